//go:build linux || darwin

package evalcache

import (
	"os"

	"golang.org/x/sys/unix"
)

// mapFile maps the first size bytes of f into memory, read-only: the
// pages are the file system's cached ones, where reading the file would
// copy them into fresh memory of the process, which costs more than the
// copy (an entry is about 0.5 MB for 1,000 modules; read, 0.3 ms; mapped
// and checksummed, 0.1 ms). release unmaps them.
func mapFile(f *os.File, size int64) (b []byte, release func(), ok bool) {
	if size <= 0 || int64(int(size)) != size {
		return nil, nil, false
	}
	b, err := unix.Mmap(int(f.Fd()), 0, int(size), unix.PROT_READ, unix.MAP_PRIVATE)
	if err != nil {
		return nil, nil, false
	}
	return b, func() { _ = unix.Munmap(b) }, true
}
