package files

import (
	"io/fs"
	"syscall"

	"github.com/gocfg/gocfg/internal/filestat"
)

// sigOf returns a file's stat signature, with its ctime in nanoseconds.
func sigOf(fi fs.FileInfo) Sig {
	s := Sig{Size: fi.Size(), Mtime: fi.ModTime().UnixNano()}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		_, s.Ctime = filestat.Times(st)
		s.Ino = st.Ino
	}
	return s
}
