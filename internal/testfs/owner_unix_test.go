//go:build unix

package testfs

import (
	"os"
	"path/filepath"
	"testing"
)

func TestOwner(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	WriteMode(t, p, "x", 0o640)
	if err := os.Symlink("f", filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	if mode, uid, gid := Owner(t, p); mode != 0o640 || uid != os.Getuid() || gid != os.Getgid() {
		t.Errorf("f: %v %d:%d; want -rw-r----- %d:%d", mode, uid, gid, os.Getuid(), os.Getgid())
	}
	if mode, _, _ := Owner(t, filepath.Join(dir, "link")); mode.Type() != os.ModeSymlink {
		t.Errorf("link: %v, want the link itself", mode)
	}
}
