package loader

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// MaxFileSize is the most gocfg reads into memory from one file: a
// module, or a file() in one. 16 MiB is far above any hand-written
// module or dotfile, and small enough that a hostile repository cannot
// exhaust memory with a few of them. Larger files are deployed with
// source = "path", which never makes them a string value.
const MaxFileSize = 16 << 20

// ErrNotRegular says that a path names something other than a regular
// file: a device, a FIFO, a socket or a folder. gocfg reads only regular
// files; /dev/zero would fill memory and a FIFO would block forever.
var ErrNotRegular = errors.New("not a regular file")

// ErrTooLarge says that a file is larger than MaxFileSize.
var ErrTooLarge = fmt.Errorf("larger than %d MiB, the most gocfg reads into memory", MaxFileSize>>20)

// ReadFile reads a regular file of at most MaxFileSize bytes. The type
// is checked before opening (so a device is never opened) and again on
// the opened descriptor (so a file swapped for a FIFO in between is
// still refused); the open is non-blocking, so opening a FIFO cannot
// hang. Errors start with the path.
func ReadFile(name string) ([]byte, error) {
	st, err := os.Stat(name)
	if err != nil {
		return nil, err
	}
	if err := checkRegular(name, st); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err = f.Stat(); err != nil {
		return nil, err
	}
	if err := checkRegular(name, st); err != nil {
		return nil, err
	}
	// Room for the whole file and a byte more: a file that has not
	// grown since its stat is read into it, up to the end, with one
	// allocation of its size (most modules are a few hundred bytes, and
	// bytes.Buffer's reading room would double that).
	data := make([]byte, st.Size()+1)
	n, err := io.ReadFull(f, data)
	switch err {
	case io.ErrUnexpectedEOF, io.EOF:
		return data[:n], nil
	case nil:
		// It grew since its stat: the rest, as far as the limit.
	default:
		return nil, &fs.PathError{Op: "read", Path: name, Err: err}
	}
	buf := bytes.NewBuffer(data)
	if _, err := buf.ReadFrom(io.LimitReader(f, MaxFileSize+1-int64(n))); err != nil {
		return nil, &fs.PathError{Op: "read", Path: name, Err: err}
	}
	if buf.Len() > MaxFileSize {
		return nil, fmt.Errorf("%s: %w", name, ErrTooLarge) // it grew since the check
	}
	return buf.Bytes(), nil
}

// checkRegular refuses anything but a regular file of at most
// MaxFileSize bytes.
func checkRegular(name string, st fs.FileInfo) error {
	if !st.Mode().IsRegular() {
		return fmt.Errorf("%s: %w: it is %s", name, ErrNotRegular, describeMode(st.Mode()))
	}
	if st.Size() > MaxFileSize {
		return fmt.Errorf("%s: %w", name, ErrTooLarge)
	}
	return nil
}

// describeMode names a file type for messages.
func describeMode(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO (named pipe)"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "a special file"
}
