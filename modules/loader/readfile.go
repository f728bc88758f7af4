package loader

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
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
	b, _, err := readFileInfo(name)
	return b, err
}

// ReadFileInfo is ReadFile that also returns the stat of the file it
// read (the fstat of the opened file), which the evaluation cache records
// as the file's signature; it is nil when the file was not found or could
// not be opened, and set when it was found but refused or a later step
// failed.
func ReadFileInfo(name string) ([]byte, fs.FileInfo, error) {
	return readFileInfo(name)
}

// ReadImportedInfo is ReadFileInfo for a module that an import
// resolved (Load, and a Reader's ReadImported): its stat said then that
// it is a regular file, so the stat before opening is spared. What is
// not a regular file by then is still refused before it is read.
func ReadImportedInfo(name string) ([]byte, fs.FileInfo, error) {
	return readOpen(name)
}

// readFileInfo is ReadFileInfo: the stat before the open refuses what
// is not a regular file without opening it, and readOpen checks the
// opened file again and describes it.
func readFileInfo(name string) ([]byte, fs.FileInfo, error) {
	if info, err := refuseBeforeOpen(name); err != nil {
		return nil, info, err
	}
	return readOpen(name)
}

// checkRegular refuses anything but a regular file of at most
// MaxFileSize bytes.
func checkRegular(name string, mode fs.FileMode, size int64) error {
	if !mode.IsRegular() {
		return fmt.Errorf("%s: %w: it is %s", name, ErrNotRegular, describeMode(mode))
	}
	if size > MaxFileSize {
		return fmt.Errorf("%s: %w", name, ErrTooLarge)
	}
	return nil
}

// readRest reads what is left of a file that has more than its stat
// said (it grew, or it is a procfs file of size 0) into data, which
// holds the n bytes read so far, up to MaxFileSize.
func readRest(name string, r io.Reader, data []byte) ([]byte, error) {
	buf := bytes.NewBuffer(data)
	if _, err := buf.ReadFrom(io.LimitReader(r, MaxFileSize+1-int64(len(data)))); err != nil {
		return nil, &fs.PathError{Op: "read", Path: name, Err: err}
	}
	if buf.Len() > MaxFileSize {
		return nil, fmt.Errorf("%s: %w", name, ErrTooLarge) // it grew since the check
	}
	return buf.Bytes(), nil
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
