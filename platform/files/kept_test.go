package files

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/system"
)

// swapOnOpen is a System that, at the open number at (1: the first) of
// path, first puts other in its place: the account of a home swapping
// files while root's gocfg reads them.
type swapOnOpen struct {
	system.System
	path  string
	at    int
	opens *int
	swap  func()
}

func (s swapOnOpen) Open(name string) (io.ReadCloser, error) {
	if name == s.path {
		if *s.opens++; *s.opens == s.at {
			s.swap()
		}
	}
	return s.System.Open(name)
}

// TestForceKeepsTheFileSeen (tester AL): force = true keeps only the
// file the plan's Lstat saw, with one link. Another file swapped in
// before the hash (the plan) or before the store's copy (the switch) is
// never read into the store: the plan holds the home, the switch fails.
func TestForceKeepsTheFileSeen(t *testing.T) {
	forced := text("gocfg's\n")
	forced.Force = true
	cfg := home(map[string]HomeFile{".profile": text("p"), ".bashrc": forced})
	// The plan opens it to compare it with gocfg's content (1), then to
	// hash what it keeps (2); the switch's store copies it (3).
	for _, at := range []int{1, 2, 3} {
		fx := newFixture(t)
		fx.Write("/home/alice/.bashrc", "decoy\n")
		fx.Write("/home/alice/other", "SECRET\n")
		fx.switchTo(home(map[string]HomeFile{".profile": text("p")}))
		opens := 0
		swap := func() {
			if err := os.Rename(fx.Host("/home/alice/other"), fx.Host("/home/alice/.bashrc")); err != nil {
				t.Fatal(err)
			}
		}
		fx.edit = func(l *machine.Machine) {
			l.Sys = swapOnOpen{System: l.Sys, path: "/home/alice/.bashrc", at: at, opens: &opens, swap: swap}
		}
		p, _, err := fx.plan(cfg)
		if err != nil {
			t.Fatalf("open %d: plan: %v", at, err)
		}
		if at < 3 {
			if len(p.Conflicts) != 1 || !strings.Contains(p.Conflicts[0].Problem, "is no longer the file gocfg looked at") {
				t.Errorf("swapped before the hash: conflicts %+v", p.Conflicts)
			}
		} else {
			if len(p.Conflicts) != 0 {
				t.Fatalf("conflicts %+v", p.Conflicts)
			}
			err := fx.apply(p, fx.Current(), fx.Sw.Next())
			if err == nil || !strings.Contains(err.Error(), "is no longer the file gocfg looked at") {
				t.Errorf("swapped before the store's copy: switch = %v", err)
			}
		}
		if opens < at {
			t.Errorf("open %d: .bashrc opened %d times, not swapped", at, opens)
		}
		// Nothing but her home holds it.
		_ = filepath.WalkDir(fx.Dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() || strings.HasPrefix(p, fx.Host("/home/alice")+"/") {
				return nil
			}
			if b, _ := os.ReadFile(p); strings.Contains(string(b), "SECRET") {
				t.Errorf("open %d: %s holds the swapped-in file", at, p)
			}
			return nil
		})
	}
}
