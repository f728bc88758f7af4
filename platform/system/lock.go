package system

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// Lock takes an exclusive, non-blocking flock(2) on name (created, mode
// 0644, when missing) and writes pid into it. The file is kept when the
// lock is released.
func (*Real) Lock(name string, pid int) (Unlocker, error) {
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if err := flock(f, unix.LOCK_EX|unix.LOCK_NB); err != nil {
		defer f.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			holder := 0
			if b, rerr := io.ReadAll(io.LimitReader(f, 64)); rerr == nil {
				holder, _ = strconv.Atoi(strings.TrimSpace(string(b)))
			}
			return nil, &LockedError{Path: name, PID: holder}
		}
		return nil, &fs.PathError{Op: "lock", Path: name, Err: err}
	}
	if err := f.Truncate(0); err != nil {
		_ = f.Close()
		return nil, err
	}
	if _, err := f.WriteAt([]byte(strconv.Itoa(pid)+"\n"), 0); err != nil {
		_ = f.Close()
		return nil, err
	}
	return &fileLock{f: f}, nil
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

// A fileLock is the Unlocker of Real.Lock.
type fileLock struct {
	f *os.File
}

// Unlock releases the lock and closes the lock file. Calling it again does
// nothing.
func (l *fileLock) Unlock() error {
	if l.f == nil {
		return nil
	}
	f := l.f
	l.f = nil
	err := flock(f, unix.LOCK_UN)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return &fs.PathError{Op: "unlock", Path: f.Name(), Err: err}
	}
	return nil
}
