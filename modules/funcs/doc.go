// Package funcs is the function library of module expressions: go-cty's
// standard functions under their Terraform names, try and can, the plist
// helpers real/date/data, env, and the per-module file and path. It also
// defines the priority wrappers (force, default, ...) as functions that
// always fail, because the definition collector (modules/defs) handles
// them by syntax: reaching one here means it was used inside a value.
package funcs
