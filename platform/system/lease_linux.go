package system

import "golang.org/x/sys/unix"

// readLease takes a read lease on fd, a regular file opened read-only:
// the kernel grants it only while no open file description of the file
// is open for writing, and holds any open for writing (or truncate) back
// until it ends; it ends when fd is closed. It returns true when the
// lease is held, an error wrapping ErrShared when a program has the file
// open for writing, and false where no lease can be had for another
// reason (a file system without leases or leases turned off: EINVAL,
// ENOLCK; a file this process neither owns nor has CAP_LEASE for:
// EACCES, EPERM), so that the caller goes on without one.
//
// The kernel also sends SIGIO to this process when another one starts to
// open the file for writing; the Go runtime drops SIGIO unless a program
// asks for it with signal.Notify, which gocfg does not.
func readLease(fd int) (bool, error) {
	for {
		_, err := unix.FcntlInt(uintptr(fd), unix.F_SETLEASE, unix.F_RDLCK)
		switch err {
		case nil:
			return true, nil
		case unix.EINTR:
			continue
		case unix.EAGAIN:
			return false, ErrShared
		}
		return false, nil
	}
}

// leaseBreaking reports whether the lease on fd is being broken: a
// program is opening the file for writing and waits for it to end. An
// error reading the lease counts as breaking.
func leaseBreaking(fd int) bool {
	t, err := unix.FcntlInt(uintptr(fd), unix.F_GETLEASE, 0)
	return err != nil || t != unix.F_RDLCK
}
