// Package funcs is the function library of module expressions: go-cty's
// standard functions under their Terraform names, Terraform's functions
// that go-cty lacks (startswith, alltrue, one, sum, base64encode, sha256,
// urlencode, tolist, ...), try and can, the plist helpers real/date/data,
// env, and the per-module file and path. It also defines the priority
// wrappers (force, default, ...) as functions that always fail, because
// the definition collector (modules/defs) handles them by syntax:
// reaching one here means it was used inside a value. docs/functions.md
// lists them all, and TestFunctionReference holds it to the table.
//
// Six of go-cty's functions are replaced by our own with its names:
// length (Terraform's, which also counts an object's attributes); index
// (Terraform's, the position of a value in a list; go-cty's looks an
// element up, which a module writes as list[i]); join, whose results and
// errors are go-cty's but whose time is linear: go-cty's declares
// list(string) arguments, and converting a list written in a module (a
// tuple) to that type is quadratic in its length, minutes for 160,000
// elements, which a hostile module could use to stall gocfg; and regex,
// regexall and regex_replace, go-cty's in all they return but compiling
// each pattern once per process (from a cache bounded in entries and
// bytes) instead of twice per call. For the same reason the functions
// added here that take a list take any sequence and convert its
// elements one by one, and tolist, toset and tomap convert in linear
// time. file() reads only regular files of at most loader.MaxFileSize
// bytes (modules/loader says why).
//
// No function reads a file other than file(), whose reads the
// evaluation cache records (modules/evalcache): Terraform's fileexists,
// templatefile, fileset or abspath would make a cached evaluation depend
// on files or a working folder the cache does not watch.
package funcs
