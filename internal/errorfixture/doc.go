// Package errorfixture checks an invalid HCL fixture against the
// errors read from it. The project's convention for such fixtures
// (testdata/invalid/*.hcl) is to mark the line each error starts on
// with `# ERROR: <summary>`. Every marked line must start one error with
// that summary, and every error must start on a marked line of the
// fixture.
//
// It is for tests only: no production package imports it. The modules
// evaluator's fixtures and the secrets recipients file's use it.
package errorfixture
