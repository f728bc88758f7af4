package system

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// flockHolder returns the pid of the process that holds the flock on the
// open file f, as /proc/locks lists it, or 0 when it cannot tell. Lines
// look like "1: FLOCK  ADVISORY  WRITE 4242 08:02:131074 0 EOF"; blocked
// waiters ("1: -> FLOCK …") are skipped. The file is matched by device
// and inode, else by inode alone when only one lock has it (some file
// systems report another device number there than stat does).
func flockHolder(f *os.File) int {
	var st unix.Stat_t
	if err := unix.Fstat(int(f.Fd()), &st); err != nil {
		return 0
	}
	dev := uint64(st.Dev)
	id := fmt.Sprintf("%02x:%02x:%d", unix.Major(dev), unix.Minor(dev), st.Ino)
	ino := ":" + strconv.FormatUint(uint64(st.Ino), 10)
	locks, err := os.Open("/proc/locks")
	if err != nil {
		return 0
	}
	defer locks.Close()
	exact, byIno, inoMatches := 0, 0, 0
	sc := bufio.NewScanner(locks)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 6 || f[1] != "FLOCK" {
			continue
		}
		pid, err := strconv.Atoi(f[4])
		if err != nil || pid <= 0 {
			continue
		}
		switch {
		case f[5] == id:
			exact = pid
		case strings.HasSuffix(f[5], ino):
			byIno = pid
			inoMatches++
		}
	}
	if exact > 0 {
		return exact
	}
	if inoMatches == 1 {
		return byIno
	}
	return 0
}
