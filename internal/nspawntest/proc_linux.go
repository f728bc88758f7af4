//go:build linux

package nspawntest

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// descendants returns the PIDs of every process below pid, parents
// before children, from a scan of /proc.
func descendants(pid int) []int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	children := map[int][]int{}
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if pp := parentPID(p); pp > 0 {
			children[pp] = append(children[pp], p)
		}
	}
	var out []int
	queue := []int{pid}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, ch := range children[p] {
			out = append(out, ch)
			queue = append(queue, ch)
		}
	}
	return out
}

// parentPID is the PPid of pid, or 0 when it is gone.
func parentPID(pid int) int {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	// "PID (COMM) STATE PPID ...": COMM may hold spaces and parentheses,
	// so read after the last ')'.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 2 {
		return 0
	}
	pp, _ := strconv.Atoi(f[1])
	return pp
}

// isContainerInit reports whether pid is the systemd of a container
// booted from our root file system: the PID 1 of a PID namespace nested
// at least two deep (unshare's, then nspawn's), running systemd, with the
// marker file in its root.
func isContainerInit(pid int) bool {
	dir := "/proc/" + strconv.Itoa(pid)
	comm, err := os.ReadFile(dir + "/comm")
	if err != nil || strings.TrimSpace(string(comm)) != "systemd" {
		return false
	}
	status, err := os.ReadFile(dir + "/status")
	if err != nil {
		return false
	}
	nspid := false
	for _, line := range strings.Split(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, "NSpid:"); ok {
			f := strings.Fields(rest)
			nspid = len(f) >= 3 && f[len(f)-1] == "1"
			break
		}
	}
	if !nspid {
		return false
	}
	_, err = os.Stat(filepath.Join(dir, "root", markerName))
	return err == nil
}
