package platform

import (
	"fmt"
	"sort"
	"strings"
)

// order sorts changes for apply: First changes (checkpoints) before all,
// AfterFlip changes after all (see Change.AfterFlip), then removals, each after every removal
// that depends on it (files before their folder), then creations and
// updates, each after what it depends on (a folder before its files).
// Ties keep ID order, so plans are stable.
func order(cs []Change) ([]Change, error) {
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].ID < cs[j].ID })
	var first, removals, others, after []Change
	for _, c := range cs {
		if c.First {
			first = append(first, c)
			continue
		}
		if c.AfterFlip {
			after = append(after, c)
			continue
		}
		if c.Action == Delete || c.Action == Restore {
			removals = append(removals, c)
		} else {
			others = append(others, c)
		}
	}
	r, err := topo(removals, true)
	if err != nil {
		return nil, err
	}
	o, err := topo(others, false)
	if err != nil {
		return nil, err
	}
	a, err := topo(after, false)
	if err != nil {
		return nil, err
	}
	return append(append(append(first, r...), o...), a...), nil
}

// topo orders cs so each change comes after its Deps (or, reversed,
// before them). Deps on IDs outside cs are ignored.
func topo(cs []Change, reversed bool) ([]Change, error) {
	index := make(map[string]int, len(cs))
	for i, c := range cs {
		index[c.ID] = i
	}
	indeg := make([]int, len(cs))
	next := make([][]int, len(cs))
	for i, c := range cs {
		for _, d := range c.Deps {
			j, ok := index[d]
			if !ok || j == i {
				continue
			}
			from, to := j, i // j before i
			if reversed {
				from, to = i, j
			}
			next[from] = append(next[from], to)
			indeg[to]++
		}
	}
	queue := make([]int, 0, len(cs))
	for i := range cs {
		if indeg[i] == 0 {
			queue = append(queue, i)
		}
	}
	out := make([]Change, 0, len(cs))
	for len(queue) > 0 {
		i := queue[0]
		queue = queue[1:]
		out = append(out, cs[i])
		for _, k := range next[i] {
			indeg[k]--
			if indeg[k] == 0 {
				queue = append(queue, k)
			}
		}
	}
	if len(out) != len(cs) {
		var stuck []string
		for i := range cs {
			if indeg[i] > 0 {
				stuck = append(stuck, cs[i].ID)
			}
		}
		return nil, fmt.Errorf("dependency cycle among %s", strings.Join(stuck, ", "))
	}
	return out, nil
}
