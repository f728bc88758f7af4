// Package loader is the first stage of the pipeline: it finds the entry
// module of a dotfiles repository (DESIGN.md §5: `hosts/<host>.hcl`, else
// `default.hcl`), parses it and everything it imports, transitively, each
// module once, and returns them in module order: the built-in modules
// first, then the entry module, then its imports depth first in the order
// written. Files are read and parsed in parallel; the order is fixed
// afterwards, so it never depends on timing.
//
// Only HCL native syntax is read. JSON syntax (`*.hcl.json`) is refused
// with a clear error: supporting it would need a second, schema-driven
// walk of every construct (blocks, labels, wrappers) for little gain.
package loader
