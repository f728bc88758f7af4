// Package schema holds what the modules declare: option types and the
// tree of options (DESIGN.md §2, "option" blocks). It is the second step
// of evaluation: after the loader has parsed every module, Declare
// collects every `option` block into one Tree; the definition collector
// (modules/defs) and the evaluator (modules/eval) then use Tree.Child to
// learn, for any configuration path, whether it is a group of options, an
// option (with its type and default), a value inside an option (a key of
// an attrs_of, a sub-option of a submodule), or nothing that exists.
//
// Types are read statically from their syntax, never evaluated.
package schema
