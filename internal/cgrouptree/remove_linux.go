package cgrouptree

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// Remove removes the cgroup folder top and every cgroup below it,
// deepest first, and returns the error of each it could not remove. A
// cgroup whose last process just exited may stay busy (EBUSY) for a
// moment: Remove tries again every poll until deadline.
func Remove(top string, deadline time.Time, poll time.Duration) []error {
	var dirs []string
	_ = filepath.WalkDir(top, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			dirs = append(dirs, p)
		}
		return nil
	})
	var errs []error
	// WalkDir lists parents before children: remove in reverse.
	for i := len(dirs) - 1; i >= 0; i-- {
		for {
			err := os.Remove(dirs[i])
			if err == nil || errors.Is(err, fs.ErrNotExist) {
				break
			}
			if errors.Is(err, syscall.EBUSY) && time.Now().Before(deadline) {
				time.Sleep(poll)
				continue
			}
			errs = append(errs, err)
			break
		}
	}
	return errs
}
