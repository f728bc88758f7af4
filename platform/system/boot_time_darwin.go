package system

import (
	"time"

	"golang.org/x/sys/unix"
)

// BootTime is when this boot of the machine began, as kern.boottime says
// (worked out again from the clock and the uptime, so it moves when the
// clock is set); the zero time when it cannot be read. Recovery reads a
// journal of an older gocfg, which did not record its boot, by it.
func BootTime() time.Time {
	tv, err := unix.SysctlTimeval("kern.boottime")
	if err != nil {
		return time.Time{}
	}
	return time.Unix(tv.Unix())
}
