// Package testfs writes and reads the files tests set up and check: a
// file with its parent folders, a tree of files below a folder, a file's
// text, its mode and owner. Each function fails the test on an error instead of returning it.
//
// It is for tests only: no production package imports it.
package testfs
