// Package funcs is the function library of module expressions: go-cty's
// standard functions under their Terraform names, try and can, the plist
// helpers real/date/data, env, and the per-module file and path. It also
// defines the priority wrappers (force, default, ...) as functions that
// always fail, because the definition collector (modules/defs) handles
// them by syntax: reaching one here means it was used inside a value.
//
// Five of go-cty's functions are replaced by our own with its names:
// length (Terraform's, which also counts an object's attributes) and
// join, whose results and errors are go-cty's but whose time is linear:
// go-cty's declares list(string) arguments, and converting a list
// written in a module (a tuple) to that type is quadratic in its length,
// minutes for 160,000 elements, which a hostile module could use to
// stall gocfg; and regex, regexall and regex_replace, go-cty's in all
// they return but compiling each pattern once per process (from a cache
// bounded in entries and bytes) instead of twice per call. file() reads only regular files of at most
// loader.MaxFileSize bytes (modules/loader says why).
package funcs
