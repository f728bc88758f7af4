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
	p, ok := procStat(pid)
	return p.start, ok
}

// A procInfo is what gocfg reads of a process: /proc/<pid>/stat's fields
// on Linux, the kernel's process table (sysctl) on macOS.
type procInfo struct {
	pid, ppid, pgrp int
	// state is field 3: Z for a zombie, an ended process not waited
	// for; "" where unknown (macOS).
	state string
	// start is field 22, when the process started (clock ticks after
	// boot); 0 where unknown (macOS).
	start uint64
}

// procStat reads process pid's /proc/<pid>/stat; ok is false where there
// is no /proc (macOS) or no such process.
func procStat(pid int) (p procInfo, ok bool) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return procInfo{}, false
	}
	// The command name, field 2, is in parentheses and may hold spaces
	// and parentheses: the fields after it follow the last ')'.
	s := string(data)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return procInfo{}, false
	}
	f := strings.Fields(s[i+1:])
	// f[0] is field 3 (the state): field 22 is f[19].
	if len(f) < 20 {
		return procInfo{}, false
	}
	p = procInfo{pid: pid, state: f[0]}
	p.ppid, err = strconv.Atoi(f[1])
	if err != nil {
		return procInfo{}, false
	}
	p.pgrp, err = strconv.Atoi(f[2])
	if err != nil {
		return procInfo{}, false
	}
	p.start, err = strconv.ParseUint(f[19], 10, 64)
	return p, err == nil
}

// processGone reports whether the process pid that started at start (0:
// unknown) has ended: there is no such process, it is a zombie, or the
// one with that PID started at another time (the PID was reused).
func processGone(pid int, start uint64) bool {
	if pid <= 0 {
		return false
	}
	if p, ok := procStat(pid); ok {
		return p.state == "Z" || p.state == "X" || start != 0 && p.start != start
	}
	if _, err := os.Stat("/proc/self/stat"); err == nil {
		return true // /proc is there, the process is not
	}
	// No /proc: ask the kernel whether the PID exists.
	err := syscall.Kill(pid, 0)
	return errors.Is(err, syscall.ESRCH)
}
