package system

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// lockAttempts bounds how often Lock opens the lock file again when, once
// locked, its path names another file (it was deleted or replaced between
// the open and the flock).
const lockAttempts = 5

// Lock takes the lock that lets one gocfg at a time change the machine:
// an exclusive, non-blocking flock(2) on the folder of name (the state
// folder) and on name itself (created, mode 0644, when missing), and
// writes pid into name. The file is kept when the lock is released.
//
// The folder's lock is the one that counts: the lock file can be deleted
// or replaced under a running switch (by hand, by a cleaner of stale
// files), and a lock on the new file would let a second gocfg in, whose
// recovery would undo the running switch; the folder, which holds the
// generations and the journal, cannot be swapped without taking them
// along. The file's lock keeps out gocfg versions that lock only the
// file; once it is taken, Lock checks that name still names the file it
// locked (fstat of the descriptor against lstat of the path) and opens it
// again when not, a bounded number of times. Where a folder cannot be
// flocked (NFS emulates flock with fcntl locks, which need a descriptor
// open for writing), the file's lock is taken alone.
//
// A lock held by another process is a *LockedError with the holder's
// pid: the one written in name, or, when name was deleted, the one the
// kernel reports for the folder's lock (/proc/locks, Linux only).
func (*Real) Lock(name string, pid int) (Unlocker, error) {
	dir, err := lockDir(name)
	if err != nil {
		return nil, err
	}
	f, err := lockFile(name)
	if err != nil {
		unlockFile(dir)
		return nil, err
	}
	if err := f.Truncate(0); err != nil {
		unlockFile(f)
		unlockFile(dir)
		return nil, err
	}
	if _, err := f.WriteAt([]byte(strconv.Itoa(pid)+"\n"), 0); err != nil {
		unlockFile(f)
		unlockFile(dir)
		return nil, err
	}
	return &fileLock{f: f, dir: dir}, nil
}

// lockDir flocks the folder of the lock file name; it returns nil, nil
// where folders cannot be flocked.
func lockDir(name string) (*os.File, error) {
	path := filepath.Dir(name)
	d, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	err = flock(d, unix.LOCK_EX|unix.LOCK_NB)
	if err == nil {
		return d, nil
	}
	defer d.Close()
	switch {
	case errors.Is(err, unix.EWOULDBLOCK):
		holder := writtenPID(name)
		if holder == 0 {
			holder = flockHolder(d)
		}
		return nil, &LockedError{Path: name, PID: holder}
	case errors.Is(err, unix.EBADF), errors.Is(err, unix.ENOLCK), errors.Is(err, unix.EOPNOTSUPP), errors.Is(err, unix.ENOTSUP), errors.Is(err, unix.EINVAL):
		return nil, nil
	}
	return nil, &fs.PathError{Op: "lock", Path: path, Err: err}
}

// lockFile opens and flocks the lock file name, again when its path
// came to name another file meanwhile.
func lockFile(name string) (*os.File, error) {
	for range lockAttempts {
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return nil, err
		}
		if err := flock(f, unix.LOCK_EX|unix.LOCK_NB); err != nil {
			_ = f.Close()
			if errors.Is(err, unix.EWOULDBLOCK) {
				return nil, &LockedError{Path: name, PID: writtenPID(name)}
			}
			return nil, &fs.PathError{Op: "lock", Path: name, Err: err}
		}
		same, err := namesFile(name, f)
		if err != nil {
			unlockFile(f)
			return nil, err
		}
		if same {
			return f, nil
		}
		unlockFile(f)
	}
	return nil, &fs.PathError{Op: "lock", Path: name, Err: fmt.Errorf("the lock file was replaced %d times while it was being locked", lockAttempts)}
}

// namesFile reports whether the path name still names the open file f.
func namesFile(name string, f *os.File) (bool, error) {
	fi, err := f.Stat()
	if err != nil {
		return false, err
	}
	li, err := os.Lstat(name)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return os.SameFile(fi, li), nil
}

// writtenPID returns the pid written in the lock file name, or 0.
func writtenPID(name string) int {
	f, err := os.Open(name)
	if err != nil {
		return 0
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 64))
	if err != nil {
		return 0
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid < 0 {
		return 0
	}
	return pid
}

// flock calls flock(2) on f, retrying when a signal interrupts it.
func flock(f *os.File, how int) error {
	for {
		err := unix.Flock(int(f.Fd()), how)
		if err != unix.EINTR {
			return err
		}
	}
}

// unlockFile releases f's lock and closes it; nil does nothing.
func unlockFile(f *os.File) {
	if f != nil {
		_ = flock(f, unix.LOCK_UN)
		_ = f.Close()
	}
}

// A fileLock is the Unlocker of Real.Lock: the lock file and the folder
// (nil where folders cannot be locked).
type fileLock struct {
	f, dir *os.File
}

// Unlock releases the lock and closes the lock file and the folder.
// Calling it again does nothing.
func (l *fileLock) Unlock() error {
	if l.f == nil {
		return nil
	}
	f, dir := l.f, l.dir
	l.f, l.dir = nil, nil
	err := flock(f, unix.LOCK_UN)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if dir != nil {
		if uerr := flock(dir, unix.LOCK_UN); err == nil {
			err = uerr
		}
		if cerr := dir.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return &fs.PathError{Op: "unlock", Path: f.Name(), Err: err}
	}
	return nil
}
