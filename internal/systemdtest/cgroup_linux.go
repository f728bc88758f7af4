//go:build linux

package systemdtest

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/gocfg/gocfg/internal/cgrouptree"
	"github.com/gocfg/gocfg/internal/mountinfo"
)

// cgroupParents returns this process's cgroup folder in each hierarchy a
// user manager needs one in: the v2 (unified) hierarchy, and systemd's
// named v1 hierarchy on a hybrid host. They are read from
// /proc/self/cgroup and /proc/self/mountinfo.
func cgroupParents() []string {
	mounts := map[string]string{} // "" for v2, "name=systemd" → mount point
	roots := map[string]string{}
	if data, err := os.ReadFile("/proc/self/mountinfo"); err == nil {
		for _, m := range mountinfo.Parse(string(data)) {
			var key string
			switch {
			case m.FSType == "cgroup2":
				key = ""
			case m.FSType == "cgroup" && m.HasSuperOption("name=systemd"):
				key = "name=systemd"
			default:
				continue
			}
			if _, seen := mounts[key]; !seen {
				mounts[key], roots[key] = m.MountPoint, m.Root
			}
		}
	}
	data, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return nil
	}
	var dirs []string
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.SplitN(line, ":", 3)
		if len(f) != 3 {
			continue
		}
		var key string
		switch {
		case f[0] == "0" && f[1] == "":
			key = ""
		case f[1] == "name=systemd":
			key = "name=systemd"
		default:
			continue
		}
		mp, ok := mounts[key]
		if !ok {
			continue
		}
		rel := f[2]
		if r := roots[key]; r != "/" {
			rel = strings.TrimPrefix(rel, r)
		}
		dir := filepath.Join(mp, rel)
		if _, err := os.Stat(filepath.Join(dir, "cgroup.procs")); err == nil {
			dirs = append(dirs, dir)
		}
	}
	return dirs
}

// makeCgroups creates the cgroup name below each of this process's
// cgroups and gives it (the folder and its files) to uid:gid, so that a
// manager running as uid can make its own below it.
func makeCgroups(name string, uid, gid int) ([]string, error) {
	var made []string
	for _, parent := range cgroupParents() {
		dir := filepath.Join(parent, name)
		if err := os.Mkdir(dir, 0o755); err != nil {
			_ = removeCgroups(made)
			return nil, err
		}
		made = append(made, dir)
		if err := chownTree(dir, uid, gid); err != nil {
			_ = removeCgroups(made)
			return nil, err
		}
	}
	if len(made) == 0 {
		return nil, errors.New("no cgroup hierarchy to put a manager in")
	}
	return made, nil
}

// chownTree gives dir and the files in it to uid:gid.
func chownTree(dir string, uid, gid int) error {
	if uid == 0 && gid == 0 {
		return nil
	}
	return filepath.WalkDir(dir, func(p string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, uid, gid)
	})
}

// killCgroups sends SIGKILL to every process in the cgroups and below,
// until they are empty or a few seconds have passed.
func killCgroups(cgroups []string) {
	deadline := time.Now().Add(5 * time.Second)
	for {
		pids := cgroupPIDs(cgroups)
		if len(pids) == 0 || time.Now().After(deadline) {
			return
		}
		for _, pid := range pids {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// cgroupPIDs lists the processes in the cgroups and below.
func cgroupPIDs(cgroups []string) []int {
	var pids []int
	for _, top := range cgroups {
		_ = filepath.WalkDir(top, func(p string, d fs.DirEntry, err error) error {
			if err != nil || !d.IsDir() {
				return nil
			}
			data, err := os.ReadFile(filepath.Join(p, "cgroup.procs"))
			if err != nil {
				return nil
			}
			for _, f := range strings.Fields(string(data)) {
				if pid, err := strconv.Atoi(f); err == nil && pid > 0 {
					pids = append(pids, pid)
				}
			}
			return nil
		})
	}
	return pids
}

// removeCgroups removes the cgroups and what the manager made below
// them, deepest first. A cgroup whose last process just exited may stay
// busy for a moment, so it retries for a few seconds.
func removeCgroups(cgroups []string) error {
	var errs []error
	deadline := time.Now().Add(5 * time.Second)
	for _, top := range cgroups {
		for _, err := range cgrouptree.Remove(top, deadline, 10*time.Millisecond) {
			errs = append(errs, fmt.Errorf("systemdtest: remove cgroup: %w", err))
		}
	}
	return errors.Join(errs...)
}
