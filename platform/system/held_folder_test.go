//go:build linux

package system

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// linkIn makes the link name -> target through sys and fails t if it is
// not at want afterwards.
func linkIn(t *testing.T, sys *Real, name, want string) {
	t.Helper()
	if err := sys.Symlink("target", name); err != nil {
		t.Fatal(err)
	}
	if got, err := os.Readlink(want); err != nil || got != "target" {
		t.Errorf("%s -> %q, %v; want a link to target", want, got, err)
	}
}

// Links made one after another in one folder of a confined folder reuse
// its descriptor, and the next link still goes where its path says: into
// the folder found at the path now, when gocfg renamed the held one aside
// or removed it, or when it was deleted and made again meanwhile.
func TestHeldFolderFollowsThePath(t *testing.T) {
	rig := newConfinedRig(t)
	dir := filepath.Join(rig.home, ".config", "app")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	linkIn(t, rig.sys, filepath.Join(dir, "a"), filepath.Join(dir, "a"))
	linkIn(t, rig.sys, filepath.Join(dir, "b"), filepath.Join(dir, "b"))

	// Renamed aside by gocfg and made again: the new folder.
	aside := filepath.Join(rig.home, ".config", "app.aside")
	if err := rig.sys.Rename(dir, aside); err != nil {
		t.Fatal(err)
	}
	if err := rig.sys.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	linkIn(t, rig.sys, filepath.Join(dir, "c"), filepath.Join(dir, "c"))
	if _, err := os.Lstat(filepath.Join(aside, "c")); err == nil {
		t.Error("the link went into the folder renamed aside")
	}

	// Deleted and made again behind gocfg's back: the new folder.
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	linkIn(t, rig.sys, filepath.Join(dir, "d"), filepath.Join(dir, "d"))

	// Removed by gocfg and made again.
	if err := rig.sys.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	linkIn(t, rig.sys, filepath.Join(dir, "e"), filepath.Join(dir, "e"))
	if err := rig.sys.Lchown(filepath.Join(dir, "e"), os.Getuid(), os.Getgid()); err != nil {
		t.Fatal(err)
	}

	// Folders made one after another in the same folder, which is then
	// deleted and made again behind gocfg's back: each where its path
	// says, with its mode.
	for i, sub := range []string{"f", "g", "h"} {
		if i == 2 {
			if err := os.RemoveAll(dir); err != nil {
				t.Fatal(err)
			}
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		p := filepath.Join(dir, sub)
		if err := rig.sys.Mkdir(p, 0o750); err != nil {
			t.Fatal(err)
		}
		if fi, err := os.Lstat(p); err != nil || fi.Mode() != fs.ModeDir|0o750 {
			t.Errorf("%s: %v, %v; want a folder drwxr-x---", p, fi, err)
		}
	}
	rig.untouched(t)
}

// A folder replaced by a link that leads out is refused once the held
// folder was dropped, as any confined operation refuses it.
func TestHeldFolderRefusesLinkOutAfterRename(t *testing.T) {
	rig := newConfinedRig(t)
	dir := filepath.Join(rig.home, "d")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	linkIn(t, rig.sys, filepath.Join(dir, "a"), filepath.Join(dir, "a"))
	if err := rig.sys.Rename(dir, dir+".aside"); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(rig.outside, dir); err != nil {
		t.Fatal(err)
	}
	if err := rig.sys.Symlink("target", filepath.Join(dir, "b")); err == nil {
		t.Error("a link was made through a link that leads out")
	}
	rig.untouched(t)
}
