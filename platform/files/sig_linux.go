//go:build linux

package files

import "syscall"

// ctimeOf returns the change time of st in nanoseconds.
func ctimeOf(st *syscall.Stat_t) int64 { return st.Ctim.Nano() }
