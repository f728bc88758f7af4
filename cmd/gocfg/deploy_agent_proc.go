package main

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// procStart is when process pid started, as /proc/<pid>/stat's field 22
// tells (clock ticks after boot); ok is false where there is no /proc
// (macOS) or no such process.
func procStart(pid int) (start uint64, ok bool) {
	start, _, ok = procStat(pid)
	return start, ok
}

// procStat is process pid's start time (field 22 of /proc/<pid>/stat)
// and state (field 3: Z for a zombie, an ended process not waited for).
func procStat(pid int) (start uint64, state string, ok bool) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, "", false
	}
	// The command name, field 2, is in parentheses and may hold spaces
	// and parentheses: the fields after it follow the last ')'.
	s := string(data)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, "", false
	}
	f := strings.Fields(s[i+1:])
	// f[0] is field 3 (the state): field 22 is f[19].
	if len(f) < 20 {
		return 0, "", false
	}
	start, err = strconv.ParseUint(f[19], 10, 64)
	return start, f[0], err == nil
}

// processGone reports whether the process pid that started at start (0:
// unknown) has ended: there is no such process, it is a zombie, or the
// one with that PID started at another time (the PID was reused).
func processGone(pid int, start uint64) bool {
	if pid <= 0 {
		return false
	}
	if now, state, ok := procStat(pid); ok {
		return state == "Z" || state == "X" || start != 0 && now != start
	}
	if _, err := os.Stat("/proc/self/stat"); err == nil {
		return true // /proc is there, the process is not
	}
	// No /proc: ask the kernel whether the PID exists.
	err := syscall.Kill(pid, 0)
	return errors.Is(err, syscall.ESRCH)
}
