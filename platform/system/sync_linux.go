package system

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// syncFS flushes the filesystem holding f with syncfs(2), or f alone with
// fsync(2) when the kernel has no syncfs.
func syncFS(f *os.File) error {
	err := unix.Syncfs(int(f.Fd()))
	if errors.Is(err, unix.ENOSYS) {
		return f.Sync()
	}
	return err
}
