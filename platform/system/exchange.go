//go:build linux || darwin

package system

import (
	"errors"
	"fmt"

	"golang.org/x/sys/unix"
)

// exchangeError is the error of a swap that failed with errno: one
// wrapping errors.ErrUnsupported when the file system or the kernel
// cannot swap (EINVAL for a flag it does not know, ENOSYS, ENOTSUP or
// EOPNOTSUPP), so that the caller does it another way; errno itself
// otherwise (ENOENT: one of the names is missing).
func exchangeError(errno error) error {
	// ENOTSUP and EOPNOTSUPP are one number on Linux, two on macOS.
	if errno == unix.EINVAL || errno == unix.ENOSYS || errno == unix.ENOTSUP || errno == unix.EOPNOTSUPP {
		return &unsupportedError{errno}
	}
	return errno
}

// An unsupportedError is a system call's errno that means "not here":
// it is both errors.ErrUnsupported and the errno.
type unsupportedError struct{ errno error }

func (e *unsupportedError) Error() string {
	return fmt.Sprintf("%v (%v)", errors.ErrUnsupported, e.errno)
}

func (e *unsupportedError) Is(target error) bool { return target == errors.ErrUnsupported }

func (e *unsupportedError) Unwrap() error { return e.errno }
