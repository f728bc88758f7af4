package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gocfg/gocfg/internal/testfs"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/recdiff"
)

// TestEveryProviderDiffs: every provider gocfg registers, on either
// platform, has its records compared by gocfg generations diff, and the
// providers that keep records are the ones status and rollback build.
func TestEveryProviderDiffs(t *testing.T) {
	seen := map[string]bool{}
	for _, os := range []string{"linux", "darwin"} {
		for _, f := range platform.Factories(os) {
			if seen[f.Name] {
				continue
			}
			seen[f.Name] = true
			if _, ok := recdiff.Lookup(f.Name); !ok {
				t.Errorf("provider %s: no recdiff.Register: generations diff would not show its changes", f.Name)
			}
		}
	}
	// The kinds of DESIGN.md are all wired in.
	for _, name := range []string{"users", "hostname", "packages", "files", "systemd", "names", "defaults", "touch_id", "launchd", "keyboard"} {
		if !seen[name] {
			t.Errorf("provider %s is not registered (a blank import in providers.go)", name)
		}
	}
}

// TestRuntimeDir: the invoking user's XDG_RUNTIME_DIR holds her secrets
// only when it is hers and private; one another user made (a login's
// mkdir -p /tmp/runtime-$USER that found his folder: tester AN) gives
// way to /run/user/<uid>, as for anyone else.
func TestRuntimeDir(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to give folders to other uids")
	}
	base := t.TempDir()
	mk := func(name string, uid int, mode os.FileMode) string {
		return testfs.Folder(t, filepath.Join(base, name), uid, uid, mode)
	}
	hers := mk("hers", 1000, 0o700)
	his := mk("his", 4321, 0o777)
	open := mk("open", 1000, 0o777)
	shared := mk("shared", 0, os.ModeSticky|0o777)
	env := testEnv(t)
	env.User = "alice"
	for _, tc := range []struct{ rt, user, want string }{
		{hers, "alice", hers},
		{his, "alice", "/run/user/1000"},
		{open, "alice", "/run/user/1000"},
		// Not a shared sticky folder, as /tmp (reviewer R8).
		{shared, "alice", "/run/user/1000"},
		{"/tmp", "alice", "/run/user/1000"},
		{"relative/run", "alice", "/run/user/1000"},
		{hers, "bob", "/run/user/1000"},
	} {
		env.Getenv = func(k string) string {
			if k == "XDG_RUNTIME_DIR" {
				return tc.rt
			}
			return ""
		}
		if got := runtimeDir(env)(tc.user, 1000); got != tc.want {
			t.Errorf("XDG_RUNTIME_DIR=%s for %s: %s, want %s", tc.rt, tc.user, got, tc.want)
		}
	}
}
