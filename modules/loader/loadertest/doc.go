// Package loadertest loads module source written by a test: the first
// step of the module system, for the tests of the steps after it
// (modules/schema, modules/defs, modules/eval).
package loadertest
