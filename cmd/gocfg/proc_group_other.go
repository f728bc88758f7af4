//go:build !darwin

package main

import (
	"os"
	"strconv"
)

// processGroup lists the processes in process group pgrp, as /proc shows
// them now; an error where there is no /proc.
func processGroup(pgrp int) ([]procInfo, error) {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil, err
	}
	var group []procInfo
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if p, ok := procStat(pid); ok && p.pgrp == pgrp {
			group = append(group, p)
		}
	}
	return group, nil
}
