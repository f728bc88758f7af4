//go:build !linux && !darwin

package loader

import (
	"io"
	"io/fs"
	"os"
	"syscall"
)

// refuseBeforeOpen is the stat ReadFile takes before opening name (see
// readfile_unix.go), with package os, where the system calls of
// readfile_unix.go are not available.
func refuseBeforeOpen(name string) (fs.FileInfo, error) {
	info, err := os.Stat(name)
	if err != nil {
		return nil, err
	}
	if err := checkRegular(name, info.Mode(), info.Size()); err != nil {
		return info, err
	}
	return nil, nil
}

// readOpen opens name, checks that it is a regular file of at most
// MaxFileSize bytes and reads it; the Info is the open file's stat (nil
// when the open failed).
func readOpen(name string) ([]byte, fs.FileInfo, error) {
	f, err := os.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	if err := checkRegular(name, st.Mode(), st.Size()); err != nil {
		return nil, st, err
	}
	// Room for the whole file and a byte more: a file that has not
	// grown since its stat is read into it, up to the end, with one
	// allocation of its size.
	data := make([]byte, st.Size()+1)
	n, err := io.ReadFull(f, data)
	switch err {
	case io.ErrUnexpectedEOF, io.EOF:
		return data[:n], st, nil
	case nil:
		b, err := readRest(name, f, data)
		return b, st, err
	default:
		return nil, st, &fs.PathError{Op: "read", Path: name, Err: err}
	}
}
