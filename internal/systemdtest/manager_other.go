//go:build !linux

package systemdtest

import "testing"

// start is never reached off Linux: skipUnlessReady skips first.
func start(t testing.TB, _, _ int) *Manager {
	t.Helper()
	t.Skip("systemdtest: no systemd user manager here: " + unavailable())
	return nil
}
