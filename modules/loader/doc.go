// Package loader is the first stage of the pipeline: it finds the entry
// module of a dotfiles repository (DESIGN.md §5: `hosts/<host>.hcl`, else
// `default.hcl`), parses it and everything it imports, transitively, each
// module once, and returns them in module order: the built-in modules
// first, then the entry module, then its imports depth first in the order
// written. Files are read and parsed in parallel; the order is fixed
// afterwards, so it never depends on timing.
//
// A module's tree is a syntax.Body: gocfg's own compact structure
// (bodies, blocks, attributes, in source order) around hclsyntax's
// expressions. Most modules are parsed by parseFast, which builds that
// tree, ranges included, for the common shapes of a module in a
// fraction of hclsyntax's time (a cold evaluation parses every module);
// anything else, and every file with an error, is parsed by hclsyntax
// and converted (syntax.FromHCL), so diagnostics do not change. Two
// expression nodes parseFast makes differently: a for-expression is a
// forexpr.Expr, which is hclsyntax's ForExpr with a faster Value
// (package forexpr), and a quoted string without interpolation is a
// LiteralValueExpr over the quotes, not a TemplateExpr of one literal
// part (half the memory; syntax.QuotedString reads both forms). In a
// span it hands to hclsyntax, both stay hclsyntax's nodes.
//
// Only HCL native syntax is read. JSON syntax (`*.hcl.json`) is refused
// with a clear error: supporting it would need a second, schema-driven
// walk of every construct (blocks, labels, wrappers) for little gain.
//
// A configuration repository may come from someone else (a shared fleet
// repository, a pull request), so the loader refuses input that would
// crash or stall gocfg rather than fail with a diagnostic:
//
//   - Nesting deeper than MaxNesting (500) levels: brackets, template
//     interpolations and directives, and operators within one expression,
//     counted together by a byte scan before parsing (checkNesting).
//     hclsyntax parses and evaluates by recursion, and Go cannot recover
//     from a stack overflow; 70,000 parentheses were enough. Hand-written
//     modules nest 20 levels at most, so the limit costs nothing real,
//     and 500 levels use a few MiB of stack.
//   - Anything but a regular file, as a module or through file()
//     (ReadFile): /dev/zero or /dev/urandom would be read until memory
//     runs out, a FIFO would block forever. The type is checked with
//     stat before opening, so a device is never opened, and again with
//     fstat on a descriptor opened with O_NONBLOCK, so a file swapped in
//     between cannot block the open. Imports name files or folders; in an
//     imported folder every *.hcl must be a regular file (or a folder,
//     which is skipped).
//   - Files larger than MaxFileSize (16 MiB), far above any hand-written
//     module or dotfile, and small enough that a hostile repository
//     cannot exhaust memory with a few of them; a large file is deployed
//     with source = path, which never makes it a string value.
package loader
