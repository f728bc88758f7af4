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

// peekOnEOF is a System whose Open of path first runs swap once (when
// armed), and whose reader runs look when the content ends: after
// CreateFile has copied it, before the store checks its hash.
type peekOnEOF struct {
	system.System
	path  string
	armed *bool
	swap  func()
	look  func()
}

func (s peekOnEOF) Open(name string) (io.ReadCloser, error) {
	if name != s.path || !*s.armed {
		return s.System.Open(name)
	}
	*s.armed = false
	s.swap()
	rc, err := s.System.Open(name)
	if err != nil {
		return nil, err
	}
	return &eofLook{ReadCloser: rc, look: s.look}, nil
}

type eofLook struct {
	io.ReadCloser
	look func()
	done bool
}

func (r *eofLook) Read(p []byte) (int, error) {
	n, err := r.ReadCloser.Read(p)
	if err == io.EOF && !r.done {
		r.done = true
		r.look()
	}
	return n, err
}

// TestAdoptedOriginalUnreadableUntilChecked (reviewer R6): an adopted
// file's original is copied into the store from its path; a hard link
// to a root-only file swapped in after the plan was copied with the
// store's mode 0444, where her store area lets her read it, before its
// hash was found wrong. Such a copy is 0400 until it is checked, and the
// switch fails.
func TestAdoptedOriginalUnreadableUntilChecked(t *testing.T) {
	fx := newFixture(t)
	fx.switchTo(home(map[string]HomeFile{".profile": text("p")}))
	fx.Write("/home/alice/.bashrc", "gocfg's\n")
	fx.Write("/secret", "SECRET\n")
	armed, looked := false, false
	swap := func() {
		if err := os.Remove(fx.Host("/home/alice/.bashrc")); err != nil {
			t.Fatal(err)
		}
		if err := os.Link(fx.Host("/secret"), fx.Host("/home/alice/.bashrc")); err != nil {
			t.Fatal(err)
		}
	}
	look := func() {
		looked = true
		_ = filepath.WalkDir(fx.Dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() || strings.HasPrefix(p, fx.Host("/home/alice")+"/") || p == fx.Host("/secret") {
				return nil
			}
			fi, err := d.Info()
			if err != nil || fi.Mode().Perm()&0o044 == 0 {
				return nil
			}
			if b, _ := os.ReadFile(p); strings.Contains(string(b), "SECRET") {
				t.Errorf("while the store copied the adopted original, %s (mode %v) held the swapped-in file", p, fi.Mode())
			}
			return nil
		})
	}
	fx.edit = func(l *machine.Machine) {
		l.Sys = peekOnEOF{System: l.Sys, path: "/home/alice/.bashrc", armed: &armed, swap: swap, look: look}
	}
	p, _, err := fx.plan(home(map[string]HomeFile{".profile": text("p"), ".bashrc": text("gocfg's\n")}))
	if err != nil {
		t.Fatal(err)
	}
	armed = true
	if err := fx.apply(p, fx.Current(), fx.Sw.Next()); err == nil || !strings.Contains(err.Error(), "content has sha256") {
		t.Errorf("switch = %v, want the content's hash refused", err)
	}
	if !looked {
		t.Error("the store never read the adopted original")
	}
}
