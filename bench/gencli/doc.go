// Package gencli is the command line of the benchmark workload
// generators (bench/cmd/gendotfiles, bench/genmodules): a count flag
// and -o DIR, the workload written there, its entry module printed.
package gencli
