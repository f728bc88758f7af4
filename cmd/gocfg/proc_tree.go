package main

import (
	"errors"
	"os"
	"syscall"
	"time"
)

// treeGrace is how long the processes stopProcessTree signals have to end
// before they are killed (SIGKILL).
const treeGrace = 5 * time.Second

// descendants returns the processes of group (the members of one process
// group, processGroup) descended from process root: its children, theirs,
// and so on; root itself too when group holds it.
func descendants(group []procInfo, root int) []procInfo {
	children := map[int][]procInfo{}
	var tree []procInfo
	for _, p := range group {
		if p.pid == root {
			tree = append(tree, p)
		} else {
			children[p.ppid] = append(children[p.ppid], p)
		}
	}
	for parents := []int{root}; len(parents) > 0; {
		pid := parents[0]
		parents = parents[1:]
		for _, c := range children[pid] {
			tree = append(tree, c)
			parents = append(parents, c.pid)
		}
	}
	return tree
}

// stopProcessTree ends root, a process gocfg started, and every process
// descended from it that is still in gocfg's process group: the ones root
// started, and theirs. It sends each sig (then SIGCONT, for one that was
// stopped), waits until they have all ended, and kills (SIGKILL) those
// left after treeGrace.
//
// It stops them all (SIGSTOP) first, looking again until no new one
// appears, and only then sends sig: otherwise a process could start
// another between the look and the signal, or end before its children
// are found, which then belong to init and are out of sight. A process
// that left the group (a daemon that called setsid, as an editor's
// server does) is its own and left alone. Where the process table cannot
// be read, only root is signalled.
func stopProcessTree(root *os.Process, sig syscall.Signal) {
	pgrp := syscall.Getpgrp()
	tree := map[int]procInfo{}
	_ = root.Signal(syscall.SIGSTOP)
	for range 20 {
		group, err := processGroup(pgrp)
		if err != nil {
			break
		}
		fresh := false
		for _, p := range descendants(group, root.Pid) {
			if _, seen := tree[p.pid]; seen {
				continue
			}
			tree[p.pid] = p
			fresh = true
			if p.pid != root.Pid {
				_ = syscall.Kill(p.pid, syscall.SIGSTOP)
			}
		}
		if !fresh {
			break
		}
	}
	// root is signalled through os.Process, which knows whether it was
	// waited for: its PID may since be another process's.
	delete(tree, root.Pid)
	signal := func(s syscall.Signal) {
		_ = root.Signal(s)
		for pid := range tree {
			_ = syscall.Kill(pid, s)
		}
	}
	signal(sig)
	signal(syscall.SIGCONT)

	deadline := time.Now().Add(treeGrace)
	killed := false
	for {
		for pid, p := range tree {
			if processGone(pid, p.start) {
				delete(tree, pid)
			}
		}
		// root is gocfg's child: it is done once the command's Wait
		// has waited for it.
		if len(tree) == 0 && errors.Is(root.Signal(syscall.Signal(0)), os.ErrProcessDone) {
			return
		}
		if time.Now().After(deadline) {
			if killed {
				return // unkillable (stuck in the kernel): give up
			}
			signal(syscall.SIGKILL)
			killed = true
			deadline = time.Now().Add(time.Second)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
