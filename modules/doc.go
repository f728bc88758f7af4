// Package modules is gocfg's module system: the first part of the
// pipeline (DESIGN.md §1 and §2). It loads a dotfiles repository's HCL
// modules with the built-in ones, merges their definitions with NixOS
// semantics, and answers with one typed configuration tree, warnings, or
// diagnostics that point at file:line:column.
//
// Load runs the static steps (parse, declare options, collect
// definitions); the returned Evaluation computes values lazily: Value for
// one path, All for everything plus the assert and warn blocks. Origin
// says where a value is written, so that an error found later (a
// provider refusing it) can point at file:line:column too.
//
// The work is split over sub-packages, in pipeline order: loader (files
// and imports), schema (option declarations and types), defs (definitions
// and priority wrappers), eval (lazy merge), with funcs (the expression
// function library), plistval (plist-typed values), optpath (option
// paths), render (values as HCL and JSON) and builtin (the built-in
// option modules).
package modules
