package inheritedfd

import (
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// CloseOnExec marks every descriptor above standard error
// close-on-exec: with close_range(2) where the kernel has it (Linux
// 5.11), else one by one from the process's /dev/fd. Descriptors stay
// open in this process.
func CloseOnExec() error {
	if closeRangeFunc() == nil {
		return nil
	}
	d, err := os.Open("/dev/fd")
	if err != nil {
		return err
	}
	names, err := d.Readdirnames(-1)
	own := int(d.Fd())
	d.Close()
	if err != nil {
		return err
	}
	var first error
	for _, n := range names {
		fd, err := strconv.Atoi(n)
		if err != nil || fd <= 2 || fd == own {
			continue
		}
		if _, err := unix.FcntlInt(uintptr(fd), unix.F_SETFD, unix.FD_CLOEXEC); err != nil && err != unix.EBADF && first == nil {
			first = err
		}
	}
	return first
}

// closeRangeFunc is closeRange; tests take the other way.
var closeRangeFunc = closeRange
