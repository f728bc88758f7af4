package system

import "golang.org/x/sys/unix"

// BootID names this boot of the machine: kern.bootsessionuuid, new at
// every boot; "" when it cannot be read. Not kern.boottime, which macOS
// works out again from the clock and uptime, and which moves when the
// clock is set (reviewer R26).
func BootID() string {
	id, err := unix.Sysctl("kern.bootsessionuuid")
	if err != nil {
		return ""
	}
	return id
}
