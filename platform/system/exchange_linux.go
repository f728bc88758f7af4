package system

import (
	"os"

	"golang.org/x/sys/unix"
)

// exchangeAt swaps two places with renameat2(RENAME_EXCHANGE), atomic
// for every program that opens either name. A file system that cannot
// (EINVAL: NFS, CIFS, FUSE without it; ENOSYS: a kernel before 3.15 or
// a seccomp filter that does not know the call) gives an error wrapping
// errors.ErrUnsupported.
func exchangeAt(from, to *place) error {
	var err error
	for {
		err = unix.Renameat2(from.dir, from.base, to.dir, to.base, unix.RENAME_EXCHANGE)
		if err != unix.EINTR {
			break
		}
	}
	if err != nil {
		return &os.LinkError{Op: "exchange", Old: from.name, New: to.name, Err: exchangeError(err)}
	}
	return nil
}
