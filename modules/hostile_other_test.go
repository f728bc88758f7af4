//go:build !unix

package modules_test

import "errors"

// makeFIFO fails: there are no FIFOs here.
func makeFIFO(string) error { return errors.New("no FIFOs on this system") }
