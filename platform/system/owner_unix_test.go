//go:build unix

package system

import (
	"io/fs"
	"syscall"
)

// ownerUID returns the uid that owns a file.
func ownerUID(fi fs.FileInfo) int {
	return int(fi.Sys().(*syscall.Stat_t).Uid)
}
