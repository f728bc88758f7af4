//go:build linux || darwin

package system

import (
	"io"

	"golang.org/x/sys/unix"
)

// An fdWriter writes to a descriptor with write(2), retrying EINTR and
// short writes: what an *os.File of a regular file does, without the
// fcntl and poller registration os.NewFile and os.OpenFile cost.
type fdWriter int

func (w fdWriter) Write(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		m, err := unix.Write(int(w), p[n:])
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return n, err
		}
		if m == 0 {
			return n, io.ErrShortWrite
		}
		n += m
	}
	return n, nil
}
