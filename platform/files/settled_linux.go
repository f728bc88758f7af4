package files

import (
	"strconv"
	"syscall"

	"golang.org/x/sys/unix"
)

// deviceOf returns a file's device and its name in mountinfo
// (major:minor).
func deviceOf(st *syscall.Stat_t) (uint64, string) {
	dev := uint64(st.Dev)
	return dev, strconv.FormatUint(uint64(unix.Major(dev)), 10) + ":" + strconv.FormatUint(uint64(unix.Minor(dev)), 10)
}
