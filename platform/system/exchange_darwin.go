package system

import (
	"os"

	"golang.org/x/sys/unix"
)

// exchangeAt swaps two places with renameatx_np(RENAME_SWAP), atomic for
// every program that opens either name. A file system that cannot (no
// VOL_CAP_INT_RENAME_SWAP: ENOTSUP; HFS+ on old systems, SMB, FAT) gives
// an error wrapping errors.ErrUnsupported.
func exchangeAt(from, to *place) error {
	var err error
	for {
		err = unix.RenameatxNp(from.dir, from.base, to.dir, to.base, unix.RENAME_SWAP)
		if err != unix.EINTR {
			break
		}
	}
	if err != nil {
		return &os.LinkError{Op: "exchange", Old: from.name, New: to.name, Err: exchangeError(err)}
	}
	return nil
}
