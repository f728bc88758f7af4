//go:build linux || darwin

package system

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/gocfg/gocfg/internal/filestat"
	"golang.org/x/sys/unix"
)

// A fileReader is a regular file (or a folder, whose reads fail) open for
// reading, read with read(2) on its descriptor. Open hands one out
// instead of an *os.File: os.NewFile asks the descriptor's flags (fcntl)
// to decide whether to register it with the network poller, which a
// regular file never needs, and a switch opens thousands of files. The
// descriptor may still have O_NONBLOCK, from its open (see
// regularReader).
type fileReader struct {
	fd   int
	name string       // the host path, for errors
	st   *unix.Stat_t // the fstat when it was opened
	// blocking: O_NONBLOCK was cleared after a read answered EAGAIN.
	blocking bool
}

// Read reads up to len(p) bytes; io.EOF at the end, as *os.File.
func (f *fileReader) Read(p []byte) (int, error) {
	if f.fd < 0 {
		return 0, &fs.PathError{Op: "read", Path: f.name, Err: os.ErrClosed}
	}
	if len(p) == 0 {
		return 0, nil
	}
	for {
		n, err := unix.Read(f.fd, p)
		switch {
		case err == unix.EINTR:
			continue
		case err == unix.EAGAIN && !f.blocking:
			// Opened with O_NONBLOCK (so that opening a FIFO could not
			// block), which a file system that heeds it for regular
			// files answers with EAGAIN: read blocking from now on.
			if err := unix.SetNonblock(f.fd, false); err != nil {
				return 0, &fs.PathError{Op: "read", Path: f.name, Err: err}
			}
			f.blocking = true
			continue
		case err != nil:
			return 0, &fs.PathError{Op: "read", Path: f.name, Err: err}
		case n == 0:
			return 0, io.EOF
		}
		return n, nil
	}
}

// Close closes the descriptor; a second Close fails, as *os.File's.
func (f *fileReader) Close() error { return closeDescriptor(&f.fd, f.name) }

// closeDescriptor closes *fd, the descriptor of name, and sets it to -1;
// closing one already closed fails with os.ErrClosed, as *os.File's
// Close does.
func closeDescriptor(fd *int, name string) error {
	if *fd < 0 {
		return &fs.PathError{Op: "close", Path: name, Err: os.ErrClosed}
	}
	err := unix.Close(*fd)
	*fd = -1
	if err != nil {
		return &fs.PathError{Op: "close", Path: name, Err: err}
	}
	return nil
}

// Size returns the size the file had when it was opened (its fstat): a
// reader that checks what it read against a hash may take a short read
// that reaches it as the end (the store's copies do).
func (f *fileReader) Size() int64 { return f.st.Size }

// Stat returns the file's fstat when it was opened, which said it is a
// regular file (or a folder): a walk that listed the file without its
// stat takes it here, of the file it reads.
func (f *fileReader) Stat() (fs.FileInfo, error) {
	return filestat.NewInfo(filepath.Base(f.name), f.st), nil
}
