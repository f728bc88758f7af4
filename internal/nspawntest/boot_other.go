//go:build !linux

package nspawntest

import (
	"errors"
	"runtime"
	"testing"
)

// Boot skips the test: containers need Linux.
func Boot(t testing.TB, opts Options) *Container {
	t.Helper()
	Require(t)
	return nil
}

// Stop does nothing: there are no containers off Linux.
func (c *Container) Stop(t testing.TB) error {
	_ = c.proc // nothing runs
	return errors.New("nspawntest: no containers on " + runtime.GOOS)
}
