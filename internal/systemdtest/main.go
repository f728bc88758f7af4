package systemdtest

import (
	"os"
	"testing"
)

// envNamespace marks a test binary re-executed inside the namespaces; its
// value describes the process outside (see outside).
const envNamespace = "GOCFG_SYSTEMDTEST_NS"

// envRequire makes an unavailable manager a test failure, not a skip.
const envRequire = "GOCFG_SYSTEMDTEST_REQUIRE"

var (
	// mainCalled is set by Main.
	mainCalled bool
	// skipReason says why managers cannot start in this process ("" when
	// they can).
	skipReason string
)

// Main is a TestMain for the packages whose tests start managers: when
// managers can run here, it re-executes the test binary inside private
// mount and PID namespaces and exits with its status; inside them (or
// when managers cannot run), it runs the tests. It does not return.
func Main(m *testing.M) {
	mainCalled = true
	if v := os.Getenv(envNamespace); v != "" {
		os.Exit(runInside(m, v))
	}
	if skipReason = unavailable(); skipReason != "" {
		os.Exit(m.Run())
	}
	os.Exit(reexec())
}

// skipUnlessReady skips t (fails it with GOCFG_SYSTEMDTEST_REQUIRE) when
// managers cannot start in this process.
func skipUnlessReady(t testing.TB) {
	t.Helper()
	if !mainCalled {
		t.Fatal("systemdtest: this package's TestMain must call systemdtest.Main(m)")
	}
	if skipReason == "" {
		return
	}
	msg := "systemdtest: no systemd user manager here: " + skipReason
	if os.Getenv(envRequire) != "" {
		t.Fatal(msg + " (" + envRequire + " is set, so this fails instead of skipping)")
	}
	t.Skip(msg)
}
