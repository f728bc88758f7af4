package main

import (
	"slices"
	"testing"
)

// descendants follows parents down from root, and no further than the
// group given.
func TestDescendants(t *testing.T) {
	group := []procInfo{
		{pid: 10, ppid: 1},  // gocfg
		{pid: 11, ppid: 10}, // the editor's shell
		{pid: 12, ppid: 11}, // the editor
		{pid: 13, ppid: 12}, // its tail -f
		{pid: 14, ppid: 11}, // a background child of the shell
		{pid: 15, ppid: 1},  // a pipeline partner of gocfg
		{pid: 16, ppid: 15}, // and its child
	}
	for _, tt := range []struct {
		name  string
		group []procInfo
		root  int
		want  []int
	}{
		{"the editor's tree", group, 11, []int{11, 12, 14, 13}},
		{"a leaf", group, 13, []int{13}},
		{"root not in the group (ended)", group[2:], 11, []int{12, 14, 13}},
		{"nothing", group, 99, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var got []int
			for _, p := range descendants(tt.group, tt.root) {
				got = append(got, p.pid)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("descendants(%d) = %v, want %v", tt.root, got, tt.want)
			}
		})
	}
}
