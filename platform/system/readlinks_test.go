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

// batchRig is a confined home for the tests of the batch reads
// (Readlinks, Lstats), and the paths they read: links in the home and in
// its folders, a regular file, missing paths and folders, a folder on
// the way that is a link leading out (ErrOutside) or inside, paths
// outside the home. machine are the same paths under the home's parent
// as root (for a Rooted), and a relative path.
type batchRig struct {
	*confinedRig
	names, machine []string
	long, longer   string
}

func newBatchRig(t *testing.T) *batchRig {
	rig := &batchRig{confinedRig: newConfinedRig(t)}
	rig.symlink(t, "top-target", "top")
	rig.symlink(t, "a1", "d/a")
	rig.symlink(t, "b1", "d/b")
	rig.symlink(t, "c1", "d/e/c")
	rig.symlink(t, rig.outside, "out")
	rig.symlink(t, "d", "in")
	rig.long = strings.Repeat("l", 256)
	rig.longer = strings.Repeat("0123456789", 100)
	rig.symlink(t, rig.long, "d/long")
	rig.symlink(t, rig.longer, "d/longer")
	if err := os.WriteFile(filepath.Join(rig.home, "d", "file"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("victim", filepath.Join(rig.outside, "link")); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// The link the rig made outside; nothing else there may change.
		if err := os.Remove(filepath.Join(rig.outside, "link")); err != nil {
			t.Error(err)
		}
		rig.untouched(t)
	})
	h := rig.home
	rels := []string{"top", "d/a", "d/long", "d/b", "d/longer", "d/a", "d/file", "d/missing", "d/e/c", "d/a", "missing/x", "out/link", "out/victim", "in/a", "in/b", "d/b", "top", "d", "d/e", "in"}
	for _, r := range rels {
		rig.names = append(rig.names, filepath.Join(h, r))
	}
	rig.names = append(rig.names, filepath.Join(rig.outside, "link"), filepath.Join(rig.outside, "victim"), rig.home)
	root := filepath.Dir(rig.home)
	for _, n := range rig.names {
		m := "/" + filepath.Base(n)
		if rel, err := filepath.Rel(root, n); err == nil {
			m = "/" + rel
		}
		rig.machine = append(rig.machine, m)
	}
	rig.machine = append(rig.machine, "relative/path")
	return rig
}

// systems are the Systems a batch read is checked on, with the paths
// each is asked: the Real with the confined home, a Rooted over it and
// a ReadOnly over that.
func (rig *batchRig) systems() map[string]struct {
	sys   System
	names []string
} {
	rooted := NewRooted(filepath.Dir(rig.home), rig.sys)
	return map[string]struct {
		sys   System
		names []string
	}{
		"Real":             {rig.sys, rig.names},
		"Rooted":           {rooted, rig.machine},
		"ReadOnly(Rooted)": {NewReadOnly(rooted), rig.machine},
	}
}

// sameAnswer says whether a batch read's error answers as the single
// read's does: both nil, or the same text and cause.
func sameAnswer(err, want error) bool {
	if (err == nil) != (want == nil) {
		return false
	}
	return err == nil || err.Error() == want.Error() && errors.Is(err, errors.Unwrap(want))
}

// agrees checks, on each of the rig's systems, that the batch read
// answers path for path what the single read answers: the same value
// (as text) and an error of the same text and cause.
func (rig *batchRig) agrees(t *testing.T, op string, batch func(System, []string) ([]string, []error), single func(System, string) (string, error)) {
	t.Helper()
	for label, s := range rig.systems() {
		got, errs := batch(s.sys, s.names)
		for i, n := range s.names {
			want, werr := single(s.sys, n)
			if got[i] != want || !sameAnswer(errs[i], werr) {
				t.Errorf("%s: %ss %s = %q, %v; %s = %q, %v", label, op, n, got[i], errs[i], op, want, werr)
			}
		}
	}
}

// TestReadlinks: Readlinks answers, name for name, what Readlink answers
// (target, or an error of the same text and cause).
func TestReadlinks(t *testing.T) {
	rig := newBatchRig(t)
	rig.agrees(t, "Readlink", Readlinks, System.Readlink)
	if targets, _ := Readlinks(rig.sys, rig.names[:6]); !slices.Equal(targets, []string{"top-target", "a1", rig.long, "b1", rig.longer, "a1"}) {
		t.Errorf("Readlinks of short and long targets = %q", targets)
	}
	if _, errs := Readlinks(rig.sys, rig.names[11:12]); !errors.Is(errs[0], ErrOutside) {
		t.Errorf("Readlinks through a link leading out: err = %v, want ErrOutside", errs[0])
	}
}
