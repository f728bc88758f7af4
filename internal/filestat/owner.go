//go:build linux || darwin

package filestat

import (
	"io/fs"
	"syscall"
)

// Owner returns the owner of the file fi describes, its uid and gid, or
// -1, -1 when fi carries no stat (a FileInfo made by hand).
func Owner(fi fs.FileInfo) (uid, gid int) {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return int(st.Uid), int(st.Gid)
	}
	return -1, -1
}

// Links returns the number of hard links of the file fi describes, or 1
// when fi carries no stat.
func Links(fi fs.FileInfo) int {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return int(st.Nlink)
	}
	return 1
}

// SameFile reports whether a and b describe the same file (device and
// inode), as os.SameFile does for what os.Stat returns; false when
// either carries no stat.
func SameFile(a, b fs.FileInfo) bool {
	sa, ok1 := a.Sys().(*syscall.Stat_t)
	sb, ok2 := b.Sys().(*syscall.Stat_t)
	return ok1 && ok2 && sa.Dev == sb.Dev && sa.Ino == sb.Ino
}
