package files

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/system"
)

// TestHoldNamesTheLinkOnTheWay (tester R): a home held for a symlink on
// the way (the confined walk's ErrOutside) names that symlink and where
// it leads, and another gocfg's link as such; it named the file's
// folder, which did not exist, and said "out of the home" of a link
// into it.
func TestHoldNamesTheLinkOnTheWay(t *testing.T) {
	dir := t.TempDir()
	home := filepath.Join(dir, "home/alice")
	if err := os.MkdirAll(filepath.Join(home, ".config"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ target, problem, remedy string }{
		{home + "/.local/state/gocfg/current/files/home/alice/.config/nvim", "a link of another gocfg (state folder " + home + "/.local/state/gocfg)", "declare the files under " + home + "/.config/nvim in one of the two configurations only"},
		{"../elsewhere", home + "/.config/nvim, a folder on the way, is a symlink (→ ../elsewhere)", "replace " + home + "/.config/nvim with a folder"},
	} {
		nvim := filepath.Join(home, ".config/nvim")
		_ = os.Remove(nvim)
		if err := os.Symlink(tc.target, nvim); err != nil {
			t.Fatal(err)
		}
		sys := system.NewReal()
		pl := &planner{
			l:    &site{Machine: &machine.Machine{Sys: sys, Store: generations.New(sys, "/var/lib/gocfg")}},
			d:    &desired{roots: map[string]rootDir{"home/alice": {Root: "home/alice", Dir: home}}},
			part: &platform.Part{}, held: map[string]bool{},
		}
		err := fmt.Errorf("%s: %w", nvim+"/lua/site.lua", system.ErrOutside)
		if !pl.hold("home/alice", "file:~alice/.config/nvim/lua/site.lua", nvim+"/lua/site.lua", err) {
			t.Fatal("not held")
		}
		c := pl.part.Conflicts[0]
		if !strings.Contains(c.Problem, tc.problem) || len(c.Remedies) != 1 || !strings.Contains(c.Remedies[0].Text, tc.remedy) {
			t.Errorf("conflict %q, remedies %v; want %q and %q", c.Problem, c.Remedies, tc.problem, tc.remedy)
		}
	}
}
