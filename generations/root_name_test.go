package generations

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestRootNamesKeyed (tester AE): the object of a files root, whose name
// anyone reads in generations/<N>/files, is named with the store's key,
// not with the sha256 of its listing, from which a guess of a private
// file's content could be confirmed. Two stores name the same tree
// differently; the key is the store's alone (0600); the objects below a
// root keep their plain names.
func TestRootNamesKeyed(t *testing.T) {
	files := []Entry{entry("home/alice", ".pin", "4821\n", false), entry("home/alice", "sub/f", "f\n", false), entry("etc", "motd", "hi\n", false)}
	names := map[string]bool{}
	for i := range 2 {
		s, dir := tempStore(t)
		if err := s.Write(gen(1, files)); err != nil {
			t.Fatal(err)
		}
		h, err := s.TreeHash(1, "home/alice")
		if err != nil {
			t.Fatal(err)
		}
		sub := sum("f 0444 " + sum("f\n") + " f\n")
		if plainRoot := sum("f 0444 " + sum("4821\n") + " .pin\nd " + sub + " sub\n"); h == plainRoot {
			t.Errorf("store %d: home/alice's object is named by its listing alone", i)
		}
		names[h] = true
		if !slices.Contains(objects(t, dir, "home-alice"), sub) {
			t.Errorf("store %d: objects %v, want the subfolder's plain %s among them", i, objects(t, dir, "home-alice"), sub)
		}
		p := filepath.Join(dir, "store", "key")
		fi, err := os.Stat(p)
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("store %d: %s: %v, %v; want mode 0600", i, p, fi, err)
		}
		b, _ := os.ReadFile(p)
		if !regexp.MustCompile(`^[0-9a-f]{64}\n$`).Match(b) {
			t.Errorf("store %d: %s = %q, want 64 hex digits", i, p, b)
		}
		if rep, err := s.Verify(VerifyOptions{}); err != nil || len(rep.Damaged) > 0 {
			t.Errorf("store %d: Verify = %+v, %v", i, rep, err)
		}
		// Another Store of the same folder reads the same key: the
		// same tree, the same name, nothing written again.
		s2 := New(s.sys, dir)
		if err := s2.Write(gen(2, files)); err != nil {
			t.Fatal(err)
		}
		if h2, err := s2.TreeHash(2, "home/alice"); err != nil || h2 != h {
			t.Errorf("store %d: generation 2's root %s (%v), want generation 1's %s", i, h2, err, h)
		}
	}
	if len(names) != 2 {
		t.Errorf("two stores named the same tree alike: %v", names)
	}
}

// TestRootNamesPlainStillVerify: a generation written before roots were
// keyed (its root object named by its listing) still verifies, a new
// generation of the same files names its root anew, and once the old
// generation is deleted GC removes the old root object.
func TestRootNamesPlainStillVerify(t *testing.T) {
	s, dir := tempStore(t)
	files := []Entry{entry("home/alice", ".pin", "4821\n", false)}
	if err := s.Write(gen(1, files)); err != nil {
		t.Fatal(err)
	}
	h, err := s.TreeHash(1, "home/alice")
	if err != nil {
		t.Fatal(err)
	}
	plainName := sum("f 0444 " + sum("4821\n") + " .pin\n")
	area := filepath.Join(dir, "store", "home-alice")
	if err := os.Rename(filepath.Join(area, h), filepath.Join(area, plainName)); err != nil {
		t.Fatal(err)
	}
	link := s.FilePath(1, "home/alice", "")
	if err := os.Chmod(filepath.Dir(link), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(link); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../../../../store/home-alice/"+plainName, link); err != nil {
		t.Fatal(err)
	}
	if rep, err := s.Verify(VerifyOptions{}); err != nil || len(rep.Damaged) > 0 || rep.Files != 1 {
		t.Errorf("Verify of a plainly named root: %+v, %v", rep, err)
	}
	if err := s.Write(gen(2, files)); err != nil {
		t.Fatal(err)
	}
	if h2, _ := s.TreeHash(2, "home/alice"); h2 != h {
		t.Errorf("generation 2's root %s, want the keyed %s", h2, h)
	}
	if err := s.Flip(2); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(1); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GC(); err != nil {
		t.Fatal(err)
	}
	if got := objects(t, dir, "home-alice"); !slices.Equal(got, []string{h}) {
		t.Errorf("objects after GC: %v, want the keyed root alone", got)
	}
}

// TestRootNamesPerArea (tester AF): the same tree in two users' areas
// has two names, so that equal names do not tell that their files are
// the same.
func TestRootNamesPerArea(t *testing.T) {
	s, _ := tempStore(t)
	g := gen(1, []Entry{entry("home/alice", ".pin", "4821\n", false), entry("home/bob", ".pin", "4821\n", false)})
	g.Areas["home/bob"] = Area{Name: "home-bob", UID: -1, GID: -1}
	if err := s.Write(g); err != nil {
		t.Fatal(err)
	}
	a, err1 := s.TreeHash(1, "home/alice")
	b, err2 := s.TreeHash(1, "home/bob")
	if err1 != nil || err2 != nil || a == "" || a == b {
		t.Errorf("alice's root %q (%v), bob's %q (%v): want two names", a, err1, b, err2)
	}
	if rep, err := s.Verify(VerifyOptions{}); err != nil || len(rep.Damaged) > 0 {
		t.Errorf("Verify = %+v, %v", rep, err)
	}
}

// TestRootNamesKeyLost (tester AF): a state folder restored without its
// key cannot verify its roots' objects; verify says why.
func TestRootNamesKeyLost(t *testing.T) {
	s, dir := tempStore(t)
	if err := s.Write(gen(1, []Entry{entry("home/alice", ".pin", "4821\n", false)})); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "store", "key")); err != nil {
		t.Fatal(err)
	}
	rep, err := New(s.sys, dir).Verify(VerifyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Damaged) != 1 || !strings.Contains(rep.Damaged[0].Problem, "the store's key, which names files roots' objects, cannot be read ("+filepath.Join(dir, "store", "key")+" is missing)") {
		t.Errorf("Verify without the key: %+v", rep.Damaged)
	}
}
