// Package bugtest runs a test that describes a known bug: the test says
// what is right, fails today, and is reported as skipped ("BUG: …") while
// it fails; as soon as it passes, it fails with "bug fixed: remove the
// skip", so a fixed bug cannot hide behind a skip that nobody removes.
//
// Place in the project: test-only, used by any package's tests.
package bugtest
