//go:build !linux && !darwin

package loader

import (
	"io"
	"io/fs"
	"os"
	"syscall"
)

// readFileInfo is ReadFile with package os, where the system calls of
// readfile_unix.go are not available.
func readFileInfo(name string) ([]byte, fs.FileInfo, error) {
	info, err := os.Stat(name)
	if err != nil {
		return nil, nil, err
	}
	if err := checkRegular(name, info.Mode(), info.Size()); err != nil {
		return nil, info, err
	}
	f, err := os.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, info, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, info, err
	}
	if err := checkRegular(name, st.Mode(), st.Size()); err != nil {
		return nil, info, err
	}
	// Room for the whole file and a byte more: a file that has not
	// grown since its stat is read into it, up to the end, with one
	// allocation of its size.
	data := make([]byte, st.Size()+1)
	n, err := io.ReadFull(f, data)
	switch err {
	case io.ErrUnexpectedEOF, io.EOF:
		return data[:n], info, nil
	case nil:
		b, err := readRest(name, f, data)
		return b, info, err
	default:
		return nil, info, &fs.PathError{Op: "read", Path: name, Err: err}
	}
}
