package system

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// BootID names this boot of the machine: the time it booted
// (kern.boottime), to the microsecond; "" when it cannot be read.
func BootID() string {
	tv, err := unix.SysctlTimeval("kern.boottime")
	if err != nil {
		return ""
	}
	return fmt.Sprintf("%d.%06d", tv.Sec, tv.Usec)
}
