//go:build !linux

package system

import (
	"io/fs"
	"os"
)

// flockHolder returns 0: only Linux lists who holds a flock.
func flockHolder(*os.File) int { return 0 }

// LockHolder does not know (known false): only Linux lists the locks
// held (/proc/locks), and macOS has no other list a read-only gocfg may
// read without taking the lock, which could make a real switch's
// non-blocking Lock fail. The caller goes by the pid written in the
// lock file.
func LockHolder(int, ...fs.FileInfo) (pid int, held, known bool) { return 0, false, false }
