//go:build linux || darwin

package system

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestRemoveDir: RemoveDir removes an empty folder and nothing else, in
// a confined home and outside one: a file or a link at the path (put
// there by another account since the folder was made: tester S) stays,
// as does a folder with something in it.
func TestRemoveDir(t *testing.T) {
	for _, confined := range []bool{false, true} {
		dir := t.TempDir()
		sys := NewReal()
		if confined {
			sys.Confine(dir)
		}
		p := func(name string) string { return filepath.Join(dir, name) }
		if err := os.Mkdir(p("empty"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(p("full/x"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p("file"), []byte("IMPORTANT-DATA"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(p("empty"), p("link")); err != nil {
			t.Fatal(err)
		}
		if err := sys.RemoveDir(p("empty")); err != nil {
			t.Errorf("confined %v: empty folder: %v", confined, err)
		}
		if _, err := os.Lstat(p("empty")); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("confined %v: the empty folder is still there", confined)
		}
		if err := sys.RemoveDir(p("file")); !errors.Is(err, syscall.ENOTDIR) {
			t.Errorf("confined %v: a file: %v, want ENOTDIR", confined, err)
		}
		if b, err := os.ReadFile(p("file")); err != nil || string(b) != "IMPORTANT-DATA" {
			t.Errorf("confined %v: the file is gone or changed: %q, %v", confined, b, err)
		}
		if err := sys.RemoveDir(p("link")); !errors.Is(err, syscall.ENOTDIR) {
			t.Errorf("confined %v: a link: %v, want ENOTDIR", confined, err)
		}
		if _, err := os.Lstat(p("link")); err != nil {
			t.Errorf("confined %v: the link is gone: %v", confined, err)
		}
		if err := sys.RemoveDir(p("full")); !errors.Is(err, syscall.ENOTEMPTY) && !errors.Is(err, syscall.EEXIST) {
			t.Errorf("confined %v: a folder with something in it: %v", confined, err)
		}
	}
}
