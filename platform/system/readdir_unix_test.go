//go:build linux || darwin

package system

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestReadDirStat: Real.ReadDir (and ReadDirTypes) of an ordinary
// folder lists what os.ReadDir lists, in its order, with the same types
// and the same Info (mode, size, inode, modification time) for files,
// links and folders.
func TestReadDirStat(t *testing.T) {
	dir := listedFolder(t)
	want, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for name, list := range map[string]func(string) ([]fs.DirEntry, error){"ReadDir": NewReal().ReadDir, "ReadDirTypes": NewReal().ReadDirTypes} {
		got, err := list(dir)
		if err != nil {
			t.Fatal(err)
		}
		sameDirEntries(t, got, want)
		if _, err := list(filepath.Join(dir, "missing")); !os.IsNotExist(err) {
			t.Errorf("%s of a missing folder: err = %v, want not exist", name, err)
		}
		if _, err := list(filepath.Join(dir, "a")); !errors.Is(err, syscall.ENOTDIR) {
			t.Errorf("%s of a file: err = %v, want ENOTDIR", name, err)
		}
		if des, err := list(filepath.Join(dir, "sub")); err != nil || len(des) != 0 {
			t.Errorf("%s of an empty folder: %v, %v; want nothing", name, des, err)
		}
	}
}

// listedFolder makes a folder to list: files "a" ("a content"), "b"
// and "c", an empty folder "sub", a link "link" to a, and a dangling
// link.
func listedFolder(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, n := range []string{"b", "a", "c"} {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(n+" content"), 0o640); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("a", filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("nowhere", filepath.Join(dir, "dangling")); err != nil {
		t.Fatal(err)
	}
	return dir
}

// sameDirEntries checks that got lists what want lists, in its order,
// with the same types and Info.
func sameDirEntries(t *testing.T, got, want []fs.DirEntry) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("ReadDir listed %d entries, os.ReadDir %d", len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Name() != w.Name() || g.Type() != w.Type() || g.IsDir() != w.IsDir() {
			t.Errorf("entry %d = %s %v, want %s %v", i, g.Name(), g.Type(), w.Name(), w.Type())
		}
		gi, err := g.Info()
		if err != nil {
			t.Fatal(err)
		}
		wi, err := w.Info()
		if err != nil {
			t.Fatal(err)
		}
		if gi.Name() != wi.Name() || gi.Mode() != wi.Mode() || gi.Size() != wi.Size() || !gi.ModTime().Equal(wi.ModTime()) {
			t.Errorf("%s: Info = %s %v %d %v, want %s %v %d %v", w.Name(), gi.Name(), gi.Mode(), gi.Size(), gi.ModTime(), wi.Name(), wi.Mode(), wi.Size(), wi.ModTime())
		}
		if gi.Sys().(*syscall.Stat_t).Ino != wi.Sys().(*syscall.Stat_t).Ino {
			t.Errorf("%s: inode differs from os.ReadDir's", w.Name())
		}
	}
}

// TestReadDirStatBig: a folder of more entries than one read of the
// listing holds.
func TestReadDirStatBig(t *testing.T) {
	big := t.TempDir()
	for i := range 1000 {
		if err := os.WriteFile(filepath.Join(big, fmt.Sprintf("file-with-a-long-name-%04d", i)), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	des, err := NewReal().ReadDir(big)
	if err != nil || len(des) != 1000 || des[0].Name() != "file-with-a-long-name-0000" || des[999].Name() != "file-with-a-long-name-0999" {
		t.Errorf("ReadDir of 1,000 files: %d entries, %v", len(des), err)
	}
}
