//go:build !linux

package systemdtest

import "testing"

// A Manager is a systemd user manager started for one test; off Linux
// there is none (StartUserManager skips the test).
type Manager struct{ session }

// start is never reached off Linux: skipUnlessReady skips first.
func start(t testing.TB, _, _ int) *Manager {
	t.Helper()
	t.Skip("systemdtest: no systemd user manager here: " + unavailable())
	return nil
}
