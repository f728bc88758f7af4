//go:build !linux

package files

import "syscall"

// deviceOf returns a file's device, and no mountinfo name: without
// /proc/self/mountinfo no folder is settled (settled.go).
func deviceOf(st *syscall.Stat_t) (uint64, string) {
	return uint64(st.Dev), ""
}
