//go:build unix

package testfs

import (
	"io/fs"
	"os"
	"syscall"
	"testing"
)

// Owner returns the mode, uid and gid of the file at path, not
// following a link.
func Owner(t testing.TB, path string) (fs.FileMode, int, int) {
	t.Helper()
	fi, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	st := fi.Sys().(*syscall.Stat_t)
	return fi.Mode(), int(st.Uid), int(st.Gid)
}

// Folder makes path (and what is missing above it, 0755) with mode
// (the sticky bit too, which MkdirAll leaves out) and owner uid and gid:
// the folders a trust test gives to other users.
func Folder(t testing.TB, path string, uid, gid int, mode fs.FileMode) string {
	t.Helper()
	if err := os.MkdirAll(path, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(path, uid, gid); err != nil {
		t.Fatal(err)
	}
	return path
}
