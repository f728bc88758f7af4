package system

import (
	"os"
	"strings"
)

// BootID names this boot of the machine: the kernel's random boot_id,
// new at every boot (the host's inside a container too); "" when it
// cannot be read.
func BootID() string {
	b, err := os.ReadFile("/proc/sys/kernel/random/boot_id")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}
