package system

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// lockAttempts bounds how often Lock opens the lock file again when, once
// locked, its path names another file (it was deleted or replaced between
// the open and the flock).
const lockAttempts = 5

// Lock takes the lock that lets one gocfg at a time change the machine:
// an exclusive, non-blocking flock(2) on the folder name+".d" (made,
// mode 0700, when missing) and on name itself (made, mode 0600, when
// missing), and writes pid into name. Both are kept when the lock is
// released.
//
// The folder's lock is the one that counts: the lock file can be deleted
// or replaced under a running switch (by hand, by a cleaner of stale
// files), and a lock on the new file would let a second gocfg in, whose
// recovery would undo the running switch; a folder is not taken for a
// stale file. The file's lock keeps out gocfg versions that lock only
// the file (or the state folder and the file); once it is taken, Lock
// checks that name still names the file it locked (fstat of the
// descriptor against lstat of the path) and opens it again when not, a
// bounded number of times. Where a folder cannot be flocked (NFS
// emulates flock with fcntl locks, which need a descriptor open for
// writing), the file's lock is taken alone.
//
// Nothing Lock flocks may be opened by another account: flock(2) needs
// only a descriptor, so an ordinary user who could open the lock file or
// the folder (the state folder is 0755, for users to read their store
// areas) could take a shared lock and keep root's gocfg out for as long
// as they like. The folder and the file are root's (the state folder's
// owner's) only; a wider mode found on them is narrowed.
//
// A lock held by another process is a *LockedError with the holder's
// pid: the one written in name, or, when there is none, the one the
// kernel reports for the lock (/proc/locks, Linux only).
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

// LockFolder is the folder that Lock flocks beside the lock file name,
// the lock that counts (see Lock); LockHolder is asked of both.
func LockFolder(name string) string { return name + ".d" }

// lockDir flocks the folder name+".d"; it returns nil, nil where
// folders cannot be flocked.
func lockDir(name string) (*os.File, error) {
	path := LockFolder(name)
	if err := os.Mkdir(path, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, err
	}
	d, err := os.OpenFile(path, os.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW, 0)
	if err != nil {
		return nil, err
	}
	if err := ownerOnly(d, 0o700); err != nil {
		_ = d.Close()
		return nil, err
	}
	err = flock(d, unix.LOCK_EX|unix.LOCK_NB)
	if err == nil {
		return d, nil
	}
	defer d.Close()
	switch {
	case errors.Is(err, unix.EWOULDBLOCK):
		return nil, &LockedError{Path: name, PID: holderOf(d, name)}
	case errors.Is(err, unix.EBADF), errors.Is(err, unix.ENOLCK), errors.Is(err, unix.EOPNOTSUPP), errors.Is(err, unix.ENOTSUP), errors.Is(err, unix.EINVAL):
		return nil, nil
	}
	return nil, &fs.PathError{Op: "lock", Path: path, Err: err}
}

// ownerOnly narrows f's mode to mode (0700, 0600) when it gives more to
// its group or to others.
func ownerOnly(f *os.File, mode fs.FileMode) error {
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if fi.Mode().Perm()&0o077 == 0 {
		return nil
	}
	return f.Chmod(mode)
}

// holderOf is the pid of the process that holds the lock of f: the one
// written in the lock file name, else the one the kernel reports.
func holderOf(f *os.File, name string) int {
	if pid := writtenPID(name); pid > 0 {
		return pid
	}
	return flockHolder(f)
}

// lockFile opens and flocks the lock file name, again when its path
// came to name another file meanwhile.
func lockFile(name string) (*os.File, error) {
	for range lockAttempts {
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|unix.O_NOFOLLOW, 0o600)
		if err != nil {
			return nil, err
		}
		if err := ownerOnly(f, 0o600); err != nil {
			_ = f.Close()
			return nil, err
		}
		if err := flock(f, unix.LOCK_EX|unix.LOCK_NB); err != nil {
			defer f.Close()
			if errors.Is(err, unix.EWOULDBLOCK) {
				return nil, &LockedError{Path: name, PID: holderOf(f, name)}
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
