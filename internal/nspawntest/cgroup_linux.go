//go:build linux

package nspawntest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"syscall"
	"time"

	"github.com/gocfg/gocfg/internal/cgrouptree"
)

// cgroupRoots are the hierarchies a container gets its own cgroup in:
// systemd's named v1 hierarchy and the v2 one of a hybrid host, or the
// v2 one of a unified host. Only those that are cgroup file systems
// (have cgroup.procs) are used; the setup script in boot_linux.go uses
// the same list.
var cgroupRoots = []string{"/sys/fs/cgroup/systemd", "/sys/fs/cgroup/unified", "/sys/fs/cgroup"}

// removeCgroup removes the cgroup name, and what the container's systemd
// made below it, from every hierarchy, deepest first. A cgroup whose last
// process just exited may stay busy for a moment, so it retries for up to
// wait.
func removeCgroup(name string, wait time.Duration) error {
	var errs []error
	for _, root := range cgroupRoots {
		if _, err := os.Stat(filepath.Join(root, "cgroup.procs")); err != nil {
			continue
		}
		top := filepath.Join(root, name)
		if _, err := os.Stat(top); err != nil {
			continue
		}
		for _, err := range cgrouptree.Remove(top, time.Now().Add(wait), 20*time.Millisecond) {
			errs = append(errs, fmt.Errorf("nspawntest: removing cgroup: %w", err))
		}
	}
	return errors.Join(errs...)
}

// staleName matches the cgroups Boot makes: gocfg-nspawntest-PID-N.
var staleName = regexp.MustCompile(`^gocfg-nspawntest-([0-9]+)-[0-9]+$`)

// sweepCgroups removes the cgroups of test processes that died before
// their cleanup ran (killed, or timed out). rmdir cannot remove a cgroup
// that still has processes, so this never breaks a running container.
func sweepCgroups() {
	done := map[string]bool{}
	for _, root := range cgroupRoots {
		entries, err := os.ReadDir(root)
		if err != nil {
			continue
		}
		for _, e := range entries {
			m := staleName.FindStringSubmatch(e.Name())
			if m == nil || done[e.Name()] {
				continue
			}
			pid, _ := strconv.Atoi(m[1])
			if pid == os.Getpid() || syscall.Kill(pid, 0) != syscall.ESRCH {
				continue
			}
			done[e.Name()] = true
			_ = removeCgroup(e.Name(), 0)
		}
	}
}
