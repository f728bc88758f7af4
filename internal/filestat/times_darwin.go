package filestat

import "syscall"

// Times returns the modification and change times of st in nanoseconds.
func Times(st *syscall.Stat_t) (mtime, ctime int64) {
	return st.Mtimespec.Nano(), st.Ctimespec.Nano()
}
