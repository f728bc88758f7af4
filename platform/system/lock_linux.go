package system

import (
	"io/fs"
	"os"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// procLocks is the running kernel's list of the locks held now. It is
// read directly, not through a System: it is the kernel's, not a file of
// the machine (under a root, the tree's /proc is not the host's), and
// reading it changes nothing, so a read-only gocfg reads it too.
const procLocks = "/proc/locks"

// flockHolder returns the pid of the process that holds the flock on the
// open file f, as /proc/locks lists it, or 0 when it cannot tell. The
// file is matched by device and inode, else by inode alone when only one
// lock has it (see locksOn).
func flockHolder(f *os.File) int {
	var st unix.Stat_t
	if err := unix.Fstat(int(f.Fd()), &st); err != nil {
		return 0
	}
	data, err := os.ReadFile(procLocks)
	if err != nil {
		return 0
	}
	m := locksOn(string(data), uint64(st.Dev), st.Ino)
	if m.exact > 0 {
		return m.exact
	}
	if m.inoMatches == 1 {
		return m.byIno
	}
	return 0
}

// LockHolder tells whether the lock that Lock takes is held now, and by
// which pid, from the kernel's list of locks: files are the lock's folder
// (LockFolder) and file, as Lstat describes them (one that is missing is
// left out), and written is the pid written in the lock file (0: none).
// known is false when the kernel's list cannot be read or no file has a
// device and inode to look for; the caller then has only written to go
// by.
//
// The pid in the lock file alone cannot tell: it stays after Unlock, and
// once its process is gone the pid may be another's (tester BI #4:
// a reused pid made status say "a switch is under way" with the lock
// free). Nothing is locked to find out either: a probe, even a shared
// non-blocking one, could make a real switch's non-blocking Lock fail.
//
// The list is the reader's PID namespace's: a reader in another one (a
// container that shares the state folder with the machine) sees no lock
// a process outside it holds, and is told the lock is free (reviewer
// R34); gocfg's own commands run in the machine's.
//
// A lock matched by inode alone (a file system whose stat reports another
// device than /proc/locks does, such as a btrfs subvolume) counts only
// when its holder is written, so that a lock on another file system's
// file with the same inode number is not taken for it.
func LockHolder(written int, files ...fs.FileInfo) (pid int, held, known bool) {
	data, err := os.ReadFile(procLocks)
	if err != nil {
		return 0, false, false
	}
	return lockHolderIn(string(data), written, files)
}

// lockHolderIn is LockHolder with locks as the text of /proc/locks.
func lockHolderIn(locks string, written int, files []fs.FileInfo) (pid int, held, known bool) {
	for _, fi := range files {
		st, ok := fi.Sys().(*syscall.Stat_t)
		if !ok || st == nil {
			continue
		}
		known = true
		m := locksOn(locks, uint64(st.Dev), st.Ino)
		switch {
		case m.exact > 0:
			return m.exact, true, true
		case written > 0 && m.inoMatches == 1 && m.byIno == written:
			return written, true, true
		}
	}
	return 0, false, known
}

// A lockMatch is what /proc/locks says of one file: the pid holding a
// lock on it by device and inode (exact, 0: none), else the pid of the
// last lock on its inode number on any device (byIno) and how many locks
// are on that inode number (inoMatches).
type lockMatch struct {
	exact, byIno, inoMatches int
}

// locksOn finds the locks held on the file dev:ino in locks, the text of
// /proc/locks. Lines look like "1: FLOCK  ADVISORY  WRITE 4242
// 08:02:131074 0 EOF": the device is major:minor in hex, the inode
// decimal. FLOCK and POSIX locks count (NFS emulates flock with POSIX
// locks); blocked waiters ("1: -> FLOCK …"), leases, locks whose pid is
// not known (OFD locks list -1) and malformed lines do not.
func locksOn(locks string, dev, ino uint64) lockMatch {
	major, minor := uint64(unix.Major(dev)), uint64(unix.Minor(dev))
	var m lockMatch
	for line := range strings.Lines(locks) {
		f := strings.Fields(line)
		if len(f) < 6 || (f[1] != "FLOCK" && f[1] != "POSIX") {
			continue
		}
		pid, err := strconv.Atoi(f[4])
		if err != nil || pid <= 0 {
			continue
		}
		lmajor, lminor, lino, ok := lockedFile(f[5])
		if !ok || lino != ino {
			continue
		}
		if lmajor == major && lminor == minor {
			m.exact = pid
			continue
		}
		m.byIno = pid
		m.inoMatches++
	}
	return m
}

// lockedFile parses the file field of a /proc/locks line,
// "MAJOR:MINOR:INODE" (hex, hex, decimal).
func lockedFile(s string) (major, minor, ino uint64, ok bool) {
	parts := strings.Split(s, ":")
	if len(parts) != 3 {
		return 0, 0, 0, false
	}
	major, err1 := strconv.ParseUint(parts[0], 16, 32)
	minor, err2 := strconv.ParseUint(parts[1], 16, 32)
	ino, err3 := strconv.ParseUint(parts[2], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil {
		return 0, 0, 0, false
	}
	return major, minor, ino, true
}
