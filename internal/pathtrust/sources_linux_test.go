package pathtrust

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/gocfg/gocfg/platform/system"
)

// TestSources: every read of a source is checked, a folder's entries
// from their listing (a file of hers in a folder of root's, found by
// Info, the no-op switch's way), a link entry where it leads, and a
// folder reached through a link of root's by the way it resolves to.
func TestSources(t *testing.T) {
	base, do := rootTemp(t)
	do(os.MkdirAll(filepath.Join(base, "src/sub"), 0o755))
	do(os.WriteFile(filepath.Join(base, "src/a.conf"), []byte("a"), 0o644))
	do(os.WriteFile(filepath.Join(base, "src/sub/hers.conf"), []byte("h"), 0o644))
	do(os.Chown(filepath.Join(base, "src/sub/hers.conf"), 4321, 4321))
	do(os.MkdirAll(filepath.Join(base, "herdir"), 0o755))
	do(os.Chown(filepath.Join(base, "herdir"), 4321, 4321))
	do(os.WriteFile(filepath.Join(base, "herdir/x"), []byte("x"), 0o644))
	do(os.Symlink(filepath.Join(base, "herdir/x"), filepath.Join(base, "src/tohers")))
	do(os.Symlink(filepath.Join(base, "src"), filepath.Join(base, "viasrc")))

	s := NewSources(system.NewReal(), Policy{Trusted: Trusting()})
	untrusted := func(err error) bool { return errors.Is(err, ErrUntrusted) }

	if _, err := s.ReadFile(filepath.Join(base, "src/a.conf")); err != nil {
		t.Errorf("root's file: %v", err)
	}
	if _, err := s.Stat(filepath.Join(base, "src/tohers")); !untrusted(err) {
		t.Errorf("Stat of a link to her folder = %v, want refused", err)
	}
	for _, read := range []func(string) ([]os.DirEntry, error){s.ReadDir, s.ReadDirTypes} {
		es, err := read(filepath.Join(base, "viasrc/sub"))
		if err != nil {
			t.Fatalf("listing root's folder through root's link: %v", err)
		}
		for _, e := range es {
			if _, err := e.Info(); e.Name() == "hers.conf" && !untrusted(err) {
				t.Errorf("Info of her file in root's folder = %v, want refused", err)
			}
		}
	}
	if _, err := s.Open(filepath.Join(base, "src/sub/hers.conf")); !untrusted(err) {
		t.Errorf("Open of her file = %v, want refused", err)
	}
	if _, err := s.ReadDir(filepath.Join(base, "herdir")); !untrusted(err) {
		t.Errorf("ReadDir of her folder = %v, want refused", err)
	}
}

// TestSourcesOpen: Open and ReadFile decide alike whether the folder was
// found safe before (listed: the file is opened first and checked from
// its descriptor) or not (cold: the way is walked first), for a file of
// root's, of hers, one group may write, a link last (root's, to root's
// file or to hers), a missing file, a folder, and a hard link in a
// folder others write in (sticky, as /tmp).
func TestSourcesOpen(t *testing.T) {
	base, do := rootTemp(t)
	for _, d := range []string{"safe", "shared", "herdir", "safe/folder"} {
		do(os.Mkdir(filepath.Join(base, d), 0o755))
	}
	do(os.Chmod(filepath.Join(base, "shared"), os.ModeSticky|0o777))
	do(os.Chown(filepath.Join(base, "herdir"), 4321, 4321))
	write := func(name string, mode os.FileMode, uid, gid int) {
		p := filepath.Join(base, name)
		do(os.WriteFile(p, []byte(name), mode))
		do(os.Chmod(p, mode))
		do(os.Chown(p, uid, gid))
	}
	write("safe/root.conf", 0o644, 0, 0)
	write("safe/hers.conf", 0o644, 4321, 4321)
	write("safe/groupw.conf", 0o664, 0, 4321)
	write("herdir/x", 0o644, 4321, 4321)
	write("shared/one.conf", 0o644, 0, 0)
	write("shared/linked.conf", 0o644, 0, 0)
	do(os.Link(filepath.Join(base, "shared/linked.conf"), filepath.Join(base, "safe/elsewhere")))
	do(os.Symlink("root.conf", filepath.Join(base, "safe/toroot")))
	do(os.Symlink(filepath.Join(base, "herdir/x"), filepath.Join(base, "safe/tohers")))

	const (
		ok = iota
		refused
		missing
		failed
	)
	cases := []struct {
		name string
		want int
	}{
		{"safe/root.conf", ok},
		{"safe/hers.conf", refused},
		{"safe/groupw.conf", refused},
		{"safe/toroot", ok},
		{"safe/tohers", refused},
		{"safe/none", missing},
		{"shared/one.conf", ok},
		{"shared/linked.conf", refused},
		// Where others may make it (reviewer R6: refused cold, a mere
		// ENOENT once the folder was listed).
		{"shared/none", refused},
		// Another link of a file, in a folder only root writes.
		{"safe/elsewhere", ok},
	}
	outcome := func(err error) int {
		switch {
		case err == nil:
			return ok
		case errors.Is(err, ErrUntrusted):
			return refused
		case errors.Is(err, os.ErrNotExist):
			return missing
		}
		return failed
	}
	// cold: the way is walked; listed: the folder was found safe by the
	// walk of its listing; entries: the folder is known from its
	// parent's entries (Info); plain: over a System that cannot open
	// without following (a Rooted), which walks.
	for _, how := range []string{"cold", "listed", "entries", "plain"} {
		for _, c := range cases {
			for _, op := range []string{"Open", "ReadFile"} {
				s := sourcesAs(t, base, how)
				if _, ok := s.r.known.Load(filepath.Join(base, filepath.Dir(c.name))); how != "cold" && !ok {
					t.Fatalf("%s: %s's folder is not known safe", how, c.name)
				}
				got, err := readVia(s, op, filepath.Join(base, c.name))
				if outcome(err) != c.want {
					t.Errorf("%s %s(%s) = %v, want outcome %d", how, op, c.name, err, c.want)
				}
				want := map[string]string{"safe/toroot": "safe/root.conf", "safe/elsewhere": "shared/linked.conf"}[c.name]
				if want == "" {
					want = c.name
				}
				if err == nil && string(got) != want {
					t.Errorf("%s %s(%s) read %q", how, op, c.name, got)
				}
			}
		}
	}

	s := NewSources(system.NewReal(), Policy{Trusted: Trusting()})
	es, err := s.ReadDirTypes(filepath.Join(base, "shared"))
	do(err)
	for _, e := range es {
		_, err := e.Info()
		if want := e.Name() == "linked.conf"; want != errors.Is(err, ErrUntrusted) {
			t.Errorf("Info of shared/%s = %v, refused: want %v", e.Name(), err, want)
		}
	}
	if _, err := s.ReadDirTypes(filepath.Join(base, "safe")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ReadFile(filepath.Join(base, "safe/folder")); err == nil {
		t.Error("ReadFile of a folder read it")
	}
}

// sourcesAs is a Sources over base's folders safe and shared (see
// TestSourcesOpen), prepared how: cold, the way not walked yet; listed,
// the folders found safe by the walk of their listing; entries, known
// from their parent's entries (Info); plain, listed over a System that
// cannot open without following (a Rooted's way: it walks).
func sourcesAs(t *testing.T, base, how string) *Sources {
	t.Helper()
	var sys system.System = system.NewReal()
	if how == "plain" {
		sys = struct{ system.System }{sys}
	}
	s := NewSources(sys, Policy{Trusted: Trusting()})
	switch how {
	case "listed", "plain":
		for _, d := range []string{"safe", "shared"} {
			if _, err := s.ReadDirTypes(filepath.Join(base, d)); err != nil {
				t.Fatal(err)
			}
		}
	case "entries":
		es, err := s.ReadDir(base)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range es {
			if _, err := e.Info(); err != nil && e.Name() != "herdir" {
				t.Fatalf("Info of %s: %v", e.Name(), err)
			}
		}
	}
	return s
}

// readVia reads p whole through s's Open or ReadFile (op).
func readVia(s *Sources, op, p string) ([]byte, error) {
	if op == "ReadFile" {
		return s.ReadFile(p)
	}
	f, err := s.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}
