//go:build linux

package generations

import (
	"io/fs"
	"syscall"
)

// statSig returns the inode and the signature of the file fi describes,
// and false when fi does not say.
func statSig(fi fs.FileInfo) (uint64, fileSig, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, fileSig{}, false
	}
	return st.Ino, fileSig{size: fi.Size(), mtime: st.Mtim.Nano(), ctime: st.Ctim.Nano()}, true
}
