//go:build linux || darwin

package loader

import (
	"errors"
	"io"
	"io/fs"
	"path/filepath"

	"github.com/gocfg/gocfg/internal/filestat"
	"golang.org/x/sys/unix"
)

// refuseBeforeOpen is the stat ReadFile takes before opening name: the
// error when it fails, or when name is not a regular file of at most
// MaxFileSize bytes (with its Info then); nil, nil when name may be
// opened. A file that may be opened gets no Info here: readOpen
// describes the file it opens.
func refuseBeforeOpen(name string) (fs.FileInfo, error) {
	var st unix.Stat_t
	if err := retryEINTR(func() error { return unix.Stat(name, &st) }); err != nil {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: err}
	}
	if err := checkRegular(name, filestat.FileMode(uint32(st.Mode)), st.Size); err != nil {
		return filestat.NewInfo(filepath.Base(name), &st), err
	}
	return nil, nil
}

// readOpen opens name, checks with fstat that it is a regular file of
// at most MaxFileSize bytes and reads it; the Info is that fstat's (nil
// when the open failed). It makes four system calls of its own: open,
// fstat, read, close. It does not make an os.File, which would register
// the descriptor with Go's network poller (a failing epoll_ctl for every
// regular file opened O_NONBLOCK) and set a finalizer; and a file whose
// first read returns as many bytes as its fstat said is not read again
// to see its end (bytes appended after that read are not seen, as if the
// file had been read a moment earlier; a file that had grown by the time
// of the read fills the buffer's extra byte and is read to its end). A
// cold evaluation reads every module once, so these are its cost per
// module (issue 17: 1,000 modules made 7,000 system calls, at about 4 µs
// each on the bench machine).
func readOpen(name string) ([]byte, fs.FileInfo, error) {
	var fd int
	err := retryEINTR(func() (err error) {
		fd, err = unix.Open(name, unix.O_RDONLY|unix.O_NONBLOCK|unix.O_CLOEXEC|unix.O_NOCTTY, 0)
		return err
	})
	if err != nil {
		return nil, nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	defer unix.Close(fd)
	var st unix.Stat_t
	if err := retryEINTR(func() error { return unix.Fstat(fd, &st) }); err != nil {
		return nil, nil, &fs.PathError{Op: "stat", Path: name, Err: err}
	}
	info := filestat.NewInfo(filepath.Base(name), &st)
	if err := checkRegular(name, info.Mode(), info.Size()); err != nil {
		return nil, info, err
	}
	b, err := readFD(name, fd, st.Size)
	return b, info, err
}

// readFD reads the file open as fd, of size bytes by its fstat.
func readFD(name string, fd int, size int64) ([]byte, error) {
	r := fdReader(fd)
	// Room for the whole file and a byte more: a file that has not
	// grown since its stat is read into it with one allocation of its
	// size (most modules are a few hundred bytes).
	data := make([]byte, size+1)
	n := 0
	for n < len(data) {
		m, err := r.Read(data[n:])
		n += m
		switch {
		case err == io.EOF:
			return data[:n], nil
		case err != nil:
			return nil, &fs.PathError{Op: "read", Path: name, Err: err}
		case int64(n) == size && size > 0:
			return data[:n], nil
		}
	}
	return readRest(name, r, data)
}

// An fdReader reads a descriptor: io.EOF at its end, EINTR retried.
type fdReader int

func (r fdReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	for {
		n, err := unix.Read(int(r), p)
		switch {
		case errors.Is(err, unix.EINTR):
			continue
		case err != nil:
			return 0, err
		case n == 0:
			return 0, io.EOF
		}
		return n, nil
	}
}

// retryEINTR calls f again while it fails with EINTR, which a signal
// can make a system call return (Go's own os package does the same).
func retryEINTR(f func() error) error {
	for {
		if err := f(); !errors.Is(err, unix.EINTR) {
			return err
		}
	}
}
