package main

import "golang.org/x/sys/unix"

// processGroup lists the processes in process group pgrp, as the kernel's
// process table shows them now (macOS has no /proc). Their state and
// start are left unknown.
func processGroup(pgrp int) ([]procInfo, error) {
	kps, err := unix.SysctlKinfoProcSlice("kern.proc.pgrp", pgrp)
	if err != nil {
		return nil, err
	}
	group := make([]procInfo, 0, len(kps))
	for _, kp := range kps {
		group = append(group, procInfo{
			pid:  int(kp.Proc.P_pid),
			ppid: int(kp.Eproc.Ppid),
			pgrp: int(kp.Eproc.Pgid),
		})
	}
	return group, nil
}
