//go:build linux

package system

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestReadlinks: Readlinks answers, name for name, what Readlink answers
// (target, or an error of the same text and cause), on a Real with a
// confined home and on a Rooted over it: links in the home and in its
// folders, a regular file, missing paths and folders, a folder on the
// way that is a link leading out (ErrOutside) or inside, paths outside
// the home, a relative path.
func TestReadlinks(t *testing.T) {
	rig := newConfinedRig(t)
	rig.symlink(t, "top-target", "top")
	rig.symlink(t, "a1", "d/a")
	rig.symlink(t, "b1", "d/b")
	rig.symlink(t, "c1", "d/e/c")
	rig.symlink(t, rig.outside, "out")
	rig.symlink(t, "d", "in")
	long := strings.Repeat("l", 256)
	longer := strings.Repeat("0123456789", 100)
	rig.symlink(t, long, "d/long")
	rig.symlink(t, longer, "d/longer")
	if err := os.WriteFile(filepath.Join(rig.home, "d", "file"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("victim", filepath.Join(rig.outside, "link")); err != nil {
		t.Fatal(err)
	}
	h := rig.home
	rels := []string{"top", "d/a", "d/long", "d/b", "d/longer", "d/a", "d/file", "d/missing", "d/e/c", "d/a", "missing/x", "out/link", "out/victim", "in/a", "in/b", "d/b", "top"}
	var names []string
	for _, r := range rels {
		names = append(names, filepath.Join(h, r))
	}
	names = append(names, filepath.Join(rig.outside, "link"), filepath.Join(rig.outside, "victim"), rig.home)

	check := func(sys System, names []string) {
		t.Helper()
		targets, errs := Readlinks(sys, names)
		for i, n := range names {
			want, werr := sys.Readlink(n)
			if targets[i] != want || (errs[i] == nil) != (werr == nil) ||
				errs[i] != nil && (errs[i].Error() != werr.Error() || !errors.Is(errs[i], errors.Unwrap(werr))) {
				t.Errorf("Readlinks %s = %q, %v; Readlink = %q, %v", n, targets[i], errs[i], want, werr)
			}
		}
	}
	check(rig.sys, names)
	if targets, _ := Readlinks(rig.sys, names[:6]); !slices.Equal(targets, []string{"top-target", "a1", long, "b1", longer, "a1"}) {
		t.Errorf("Readlinks of short and long targets = %q", targets)
	}
	if _, errs := Readlinks(rig.sys, names[11:12]); !errors.Is(errs[0], ErrOutside) {
		t.Errorf("Readlinks through a link leading out: err = %v, want ErrOutside", errs[0])
	}

	root := filepath.Dir(rig.home)
	var machine []string
	for _, n := range names {
		machine = append(machine, "/"+filepath.Base(n))
		if rel, err := filepath.Rel(root, n); err == nil {
			machine[len(machine)-1] = "/" + rel
		}
	}
	machine = append(machine, "relative/path")
	check(NewRooted(root, rig.sys), machine)
	check(NewReadOnly(NewRooted(root, rig.sys)), machine)
	if err := os.Remove(filepath.Join(rig.outside, "link")); err != nil {
		t.Fatal(err)
	}
	rig.untouched(t)
}
