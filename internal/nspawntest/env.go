package nspawntest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

const (
	// markerName is the file .ci/rootfs.sh writes last into the root
	// file system (keep in sync with MARKER there).
	markerName = ".gocfg-test-rootfs"

	defaultRootfs = "/var/cache/gocfg-test/rootfs"
	defaultDebs   = "/var/cache/gocfg-test/debs"

	// DebsMount is where a container sees the local apt repository.
	DebsMount = "/srv/gocfg-debs"

	// GocfgMount is where a container sees Options.Gocfg.
	GocfgMount = "/usr/local/bin/gocfg"

	// buildHint says how to make what Boot needs.
	buildHint = "apt-get install -y --no-install-recommends debootstrap systemd-container && .ci/rootfs.sh (as root, from the repository root)"
)

// RootfsDir is the root file system containers boot:
// $GOCFG_TEST_ROOTFS, else /var/cache/gocfg-test/rootfs.
func RootfsDir() string {
	if d := os.Getenv("GOCFG_TEST_ROOTFS"); d != "" {
		return filepath.Clean(d)
	}
	return defaultRootfs
}

// DebsDir is the local apt repository bound into containers at
// [DebsMount]: $GOCFG_TEST_DEBS, else /var/cache/gocfg-test/debs.
func DebsDir() string {
	if d := os.Getenv("GOCFG_TEST_DEBS"); d != "" {
		return filepath.Clean(d)
	}
	return defaultDebs
}

// rootfsBuilt reports whether .ci/rootfs.sh finished building dir.
func rootfsBuilt(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, markerName))
	return err == nil
}

// unavailable skips the test, or fails it when GOCFG_NSPAWNTEST_REQUIRE
// is set (CI), because a container cannot be booted here.
func unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	Unavailable(t, "nspawntest", format, args...)
}

// Unavailable skips the test, or fails it when GOCFG_NSPAWNTEST_REQUIRE
// is set (CI), because what it needs is missing here: the message, from
// harness pkg, says what.
func Unavailable(t testing.TB, pkg, format string, args ...any) {
	t.Helper()
	msg := pkg + ": " + fmt.Sprintf(format, args...)
	if os.Getenv("GOCFG_NSPAWNTEST_REQUIRE") != "" {
		t.Fatal(msg + " (GOCFG_NSPAWNTEST_REQUIRE is set, so this fails instead of skipping)")
	}
	t.Skip(msg)
}

// Require skips the test (or fails it, with GOCFG_NSPAWNTEST_REQUIRE set)
// unless this machine can boot containers: Linux, root, systemd-nspawn,
// unshare and nsenter installed, and the root file system built by
// .ci/rootfs.sh. [Boot] calls it; call it first to skip before expensive
// preparations such as [BuildGocfg].
func Require(t testing.TB) {
	t.Helper()
	if runtime.GOOS != "linux" {
		unavailable(t, "systemd-nspawn containers need Linux, not %s", runtime.GOOS)
	}
	if os.Geteuid() != 0 {
		unavailable(t, "booting a container needs root")
	}
	for _, cmd := range []string{"systemd-nspawn", "unshare", "nsenter"} {
		if _, err := exec.LookPath(cmd); err != nil {
			unavailable(t, "%s not found; install it and build the root file system with: %s", cmd, buildHint)
		}
	}
	if rootfs := RootfsDir(); !rootfsBuilt(rootfs) {
		if _, err := exec.LookPath("debootstrap"); err != nil {
			unavailable(t, "no root file system at %s, and debootstrap is not installed; install it and build the root file system with: %s", rootfs, buildHint)
		}
		unavailable(t, "no root file system at %s (no %s in it); build it with .ci/rootfs.sh (as root, from the repository root)", rootfs, markerName)
	}
}
