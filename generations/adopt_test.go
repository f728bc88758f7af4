package generations

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform/system"
)

// TestAreaRootOwned: when root switches, a user's area and every object
// in it are root's, and the area is read by the user alone (an ACL).
func TestAreaRootOwned(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to own the store")
	}
	s := New(system.NewReal(), tempState(t))
	g := gen(1, []Entry{entry("home/alice", ".netrc", "secret\n", false), entry("home/alice", ".config/a", "a\n", false)})
	g.Areas = map[string]Area{"home/alice": HomeArea("alice", 4242, 4242, true)}
	if err := s.Write(g); err != nil {
		t.Fatal(err)
	}
	area := filepath.Join(s.Dir(), "store", "home-alice")
	err := filepath.Walk(area, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if uid, gid, _ := owner(fi); uid != 0 || gid != 0 {
			t.Errorf("%s is owned by %d:%d, want root", p, uid, gid)
		}
		if p != area && fi.Mode()&os.ModeSymlink == 0 && fi.Mode().Perm()&0o222 != 0 {
			t.Errorf("%s is writable: %v", p, fi.Mode())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(area)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o750 {
		t.Errorf("area mode %v, want 0750 (the ACL's mask)", fi.Mode())
	}
}

// TestAdoptUntrustedArea: an area that is not root's (written before
// areas were root's, or planted by its user) is replaced: objects that
// verify are copied into a root-owned area, the others — a file swapped
// for a link to a root-only file, content edited in place, a subtree of
// a dropped object — are dropped and reported, and the new generation
// writes them again from its entries. Nothing of the victim ends up in
// the store.
func TestAdoptUntrustedArea(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to give the area to another user")
	}
	dir := tempState(t)
	victim := filepath.Join(filepath.Dir(dir), "victim")
	if err := os.WriteFile(victim, []byte("root only\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var warnings []string
	s := New(system.NewReal(), dir)
	s.Warn = func(m string) { warnings = append(warnings, m) }
	files := []Entry{
		entry("home/alice", ".netrc", "netrc\n", false),
		entry("home/alice", ".zshrc", "zshrc\n", false),
		entry("home/alice", ".config/app/conf", "conf\n", false),
		entry("home/alice", "keep/k", "k\n", false),
	}
	// Generation 1 as an old gocfg wrote it: the area and objects alice's.
	g1 := gen(1, files)
	g1.Areas = map[string]Area{"home/alice": {Name: "home-alice", UID: 4242, GID: 4242, Private: true}}
	if err := s.Write(g1); err != nil {
		t.Fatal(err)
	}
	area := filepath.Join(dir, "store", "home-alice")
	tree := func(rel string) string {
		p, err := filepath.EvalSymlinks(filepath.Join(dir, "generations", "1", "files", "home", "alice", rel))
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	top, app := tree(""), tree(".config/app")
	// alice attacks her area: .netrc becomes a link to the victim; the
	// app object's content is edited in place.
	for _, p := range []string{top, app} {
		if err := os.Chmod(p, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Remove(filepath.Join(top, ".netrc")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(victim, filepath.Join(top, ".netrc")); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(app, "conf"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(app, "conf"), []byte("evil\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(app, "conf"), 0o444); err != nil {
		t.Fatal(err)
	}
	keep := tree("keep")

	// Generation 2, by root: the same files.
	g2 := gen(2, files)
	g2.Areas = map[string]Area{"home/alice": HomeArea("alice", 4242, 4242, true)}
	if err := s.Write(g2); err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "was owned by uid 4242") || !strings.Contains(warnings[0], "dropped") {
		t.Errorf("warnings %q", warnings)
	}
	fi, err := os.Lstat(area)
	if err != nil {
		t.Fatal(err)
	}
	if uid, _, _ := owner(fi); uid != 0 {
		t.Errorf("area owned by %d", uid)
	}
	// The verified object was kept (copied: a new, root-owned inode).
	kfi, err := os.Lstat(filepath.Join(keep, "k"))
	if err != nil {
		t.Fatalf("the verified object was not kept: %v", err)
	}
	if uid, _, _ := owner(kfi); uid != 0 {
		t.Errorf("kept object owned by %d", uid)
	}
	// Generation 2's contents are the entries', not the attack's.
	for rel, want := range map[string]string{".netrc": "netrc\n", ".config/app/conf": "conf\n", ".zshrc": "zshrc\n", "keep/k": "k\n"} {
		p := filepath.Join(dir, "generations", "2", "files", "home", "alice", rel)
		fi, err := os.Lstat(p)
		if err != nil || !fi.Mode().IsRegular() {
			t.Errorf("%s: %v %v, want a regular file", rel, fi, err)
			continue
		}
		if b, _ := os.ReadFile(p); string(b) != want {
			t.Errorf("%s = %q, want %q", rel, b, want)
		}
	}
	// Nothing is left of the old area.
	des, err := os.ReadDir(filepath.Join(dir, "store"))
	if err != nil {
		t.Fatal(err)
	}
	for _, de := range des {
		if strings.HasPrefix(de.Name(), tempPrefix) {
			t.Errorf("left %s", de.Name())
		}
	}
	if b, _ := os.ReadFile(victim); string(b) != "root only\n" {
		t.Errorf("victim = %q", b)
	}
}

// TestGCPlantedLinks: links planted in an area its user owned (before
// areas were root's) do not make gc fail for the machine, and nothing
// they point at is touched.
func TestGCPlantedLinks(t *testing.T) {
	dir := tempState(t)
	victim := filepath.Join(filepath.Dir(dir), "victim")
	if err := os.Mkdir(victim, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(victim, "f"), []byte("v"), 0o644); err != nil {
		t.Fatal(err)
	}
	var warnings []string
	s := New(system.NewReal(), dir)
	s.Warn = func(m string) { warnings = append(warnings, m) }
	if err := s.Write(gen(1, []Entry{entry("home/alice", ".config/a", "a\n", false)})); err != nil {
		t.Fatal(err)
	}
	top, err := filepath.EvalSymlinks(filepath.Join(dir, "generations", "1", "files", "home", "alice"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(top, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(victim, filepath.Join(top, "planted")); err != nil {
		t.Fatal(err)
	}
	area := filepath.Join(dir, "store", "home-alice")
	if err := os.Symlink(victim, filepath.Join(area, strings.Repeat("ab", 32))); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GC(); err != nil {
		t.Fatalf("gc: %v", err)
	}
	if len(warnings) == 0 {
		t.Error("no warning about the planted link")
	}
	if b, err := os.ReadFile(filepath.Join(victim, "f")); err != nil || string(b) != "v" {
		t.Errorf("victim: %q %v", b, err)
	}
}

// noACLs is a System whose file system has no ACLs.
type noACLs struct{ system.System }

func (noACLs) GrantRead(dir string, _ int) error {
	return &os.PathError{Op: "setfacl", Path: dir, Err: errors.ErrUnsupported}
}

// TestAreaWithoutACLs: where the file system has no ACLs, a user's area
// is given to the user's group (0750) only when that group is hers
// alone; a group with other accounts in it would let them read her
// files, and the write fails instead, saying so.
func TestAreaWithoutACLs(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to own the store")
	}
	for _, only := range []bool{true, false} {
		s := New(noACLs{system.NewReal()}, tempState(t))
		g := gen(1, []Entry{entry("home/alice", ".netrc", "secret\n", false)})
		a := HomeArea("alice", 4242, 4343, true)
		a.ReaderGroupOnly = only
		g.Areas = map[string]Area{"home/alice": a}
		err := s.Write(g)
		area := filepath.Join(s.Dir(), "store", "home-alice")
		if !only {
			if err == nil || !strings.Contains(err.Error(), "has other accounts in it") {
				t.Errorf("a shared group: Write: %v, want it refused", err)
			}
			if fi, err := os.Stat(area); err == nil && fi.Mode().Perm()&0o077 != 0 {
				t.Errorf("a shared group: the area is %v", fi.Mode())
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		fi, err := os.Stat(area)
		if err != nil {
			t.Fatal(err)
		}
		if uid, gid, _ := owner(fi); fi.Mode().Perm() != 0o750 || uid != 0 || gid != 4343 {
			t.Errorf("her own group: the area is %v %d:%d, want 0750 0:4343", fi.Mode(), uid, gid)
		}
	}
}
