//go:build linux || darwin

package system

import (
	"errors"
	"io"
	"io/fs"

	"github.com/gocfg/gocfg/internal/filestat"
	"golang.org/x/sys/unix"
)

// errReplaced is the cause of RemoveUnshared's error when the name no
// longer names the file it checked.
var errReplaced = errors.New("replaced by another file while it was checked; not removing it")

// RemoveUnshared removes the regular file name unless a program has it
// open for writing, after check (see System.RemoveUnshared). Below a
// confined folder the name is resolved from the folder's descriptor and
// its last element is never followed; elsewhere its folder is resolved by
// name, as any path outside one.
//
// The file is opened read-only (O_NOFOLLOW, O_NONBLOCK: a link is
// refused, and the open never waits) and, on Linux, a read lease is taken
// on that descriptor: the kernel grants it only while no open file
// description of the file is open for writing (EAGAIN: ErrShared), and
// while it is held, an open for writing (or a truncate) of the file
// waits. A read lease is enough: a program that has the file open only
// for reading cannot write through it, so it does not keep the file.
// Then check reads what the descriptor describes, the name is checked to
// still be that file, a pending open for writing (the lease breaking)
// keeps it (ErrShared), and the name is unlinked; closing the descriptor
// ends the lease. A writer that opened the file before, however long
// before (a program that opened the path before a switch renamed it
// aside), is therefore always seen.
//
// What is not covered: a program that opens the file by this very name
// in the instant between the last check and the unlink (it looked the
// name up before the unlink, so it gets the unlinked file) — gocfg's
// aside names are its own, nobody else looks them up; and a program that
// reopens for writing a file it holds open for reading (through
// /proc/self/fd).
//
// Where no lease can be taken for a reason other than sharing — macOS,
// which has no leases; a file system without them or leases turned off
// (EINVAL, ENOLCK); a file the process neither owns nor has CAP_LEASE for
// (EACCES, EPERM), which gocfg, running as root or as the owner of the
// home, does not meet — the file is checked and removed without one, as
// Remove after a check would: a write that lands between the check and
// the unlink is lost there. A file that cannot be opened for reading
// (EACCES: an unprivileged owner's file of mode 0200) is checked by its
// description alone (reading the content fails with that error) and
// removed the same way.
func (r *Real) RemoveUnshared(name string, check func(fs.FileInfo, io.Reader) error) error {
	p, err := r.openPlace("remove", name)
	if err != nil {
		return err
	}
	defer p.close()
	return removeUnsharedAt(p, check)
}

func removeUnsharedAt(p *place, check func(fs.FileInfo, io.Reader) error) error {
	fail := func(err error) error { return &fs.PathError{Op: "remove", Path: p.name, Err: err} }
	fd, err := openatRetry(p.dir, p.base, unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	switch {
	case err == unix.EACCES || err == unix.EPERM:
		return removeChecked(p, check, err)
	case err == unix.EWOULDBLOCK:
		// Another process holds a lease on it (a file server): it is
		// open elsewhere.
		return fail(ErrShared)
	case err == unix.ELOOP:
		return fail(ErrNotRegular)
	case err != nil:
		return fail(err)
	}
	defer unix.Close(fd)
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return fail(err)
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG {
		return fail(ErrNotRegular)
	}
	leased, err := readLease(fd)
	if err != nil {
		return fail(err)
	}
	if check != nil {
		if err := check(filestat.NewInfo(p.base, &st), fdReader(fd)); err != nil {
			return err
		}
	}
	var now unix.Stat_t
	if err := unix.Fstatat(p.dir, p.base, &now, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		return fail(err)
	}
	if now.Dev != st.Dev || now.Ino != st.Ino {
		return fail(errReplaced)
	}
	if leased && leaseBreaking(fd) {
		return fail(ErrShared)
	}
	if err := unix.Unlinkat(p.dir, p.base, 0); err != nil {
		return fail(err)
	}
	return nil
}

// removeChecked checks the file by its description alone (its content
// reads fail with readErr) and removes it, without a lease.
func removeChecked(p *place, check func(fs.FileInfo, io.Reader) error, readErr error) error {
	fail := func(err error) error { return &fs.PathError{Op: "remove", Path: p.name, Err: err} }
	var st unix.Stat_t
	if err := unix.Fstatat(p.dir, p.base, &st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		return fail(err)
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG {
		return fail(ErrNotRegular)
	}
	if check != nil {
		if err := check(filestat.NewInfo(p.base, &st), errReader{fail(readErr)}); err != nil {
			return err
		}
	}
	if err := unix.Unlinkat(p.dir, p.base, 0); err != nil {
		return fail(err)
	}
	return nil
}

// An fdReader reads a descriptor it does not own.
type fdReader int

func (fd fdReader) Read(b []byte) (int, error) {
	for {
		n, err := unix.Read(int(fd), b)
		switch {
		case err == unix.EINTR:
			continue
		case err != nil:
			return 0, err
		case n == 0 && len(b) > 0:
			return 0, io.EOF
		}
		return n, nil
	}
}

// An errReader fails every read with err.
type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }
