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
