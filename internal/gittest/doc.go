// Package gittest keeps the user's and the system's git configuration,
// and any repository above a test's temporary folders, out of the tests
// that run git or go-git.
//
// It is for tests only: no production package imports it.
package gittest
