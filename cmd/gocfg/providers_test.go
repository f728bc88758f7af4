package main

import (
	"testing"

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
