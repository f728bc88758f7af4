//go:build !linux

package system

import "os"

// syncFS flushes f with fsync(2): there is no syncfs(2) here.
func syncFS(f *os.File) error {
	return f.Sync()
}
