//go:build linux || darwin

package evalcache

import (
	"io/fs"
	"syscall"

	"github.com/gocfg/gocfg/internal/filestat"
)

// signatureOf is a file's stat signature.
func signatureOf(fi fs.FileInfo) signature {
	s := signature{Size: fi.Size(), Mode: uint32(fi.Mode()), MtimeNS: fi.ModTime().UnixNano()}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		_, s.CtimeNS = filestat.Times(st)
		s.Ino, s.Dev = uint64(st.Ino), uint64(st.Dev)
	}
	return s
}

func ownerOf(fi fs.FileInfo) (uid int, ok bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	return int(st.Uid), true
}
