package platform

import (
	"fmt"
	"slices"
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

// Dependencies on resources not in the plan.
//
// A change's Deps name other changes' IDs. A dependency on an ID no
// change of the plan has is ignored by order, and must be: a provider
// depends on what another provider produces only when something changes
// ("packages:install" when there is nothing to install, "user:alice"
// when alice exists already and does not change, "file:/etc/x" when the
// file is as wanted). Production stays lenient.
//
// A dependency that can never be in a plan is a bug, though (a typo'd
// ID, a prefix that changed on one side only): the change would run
// unordered. OptionalDeps declares the IDs a change may depend on when
// they may be absent, by provider; UnknownDeps lists the dependencies
// that name no change and match none of them, and MakePlan fails with
// them in tests (testing.Testing), so that every engine and command test
// that makes a plan checks its dependencies. Provider tests, which make
// a Part, call UnknownDeps on it. A provider that lets others depend on
// a new kind of ID that may be absent adds it here; a dependency on a
// change the same plan always has (systemd's jobs on its units, a
// preference refresh on its keys) needs no entry.

// OptionalDeps are the IDs a dependency may name without a change of
// the plan having it: an entry ending in ':' is a prefix, any other a
// whole ID.
var OptionalDeps = []string{
	// users: an account or group that exists and does not change.
	"user:", "group:",
	// packages: nothing to install or remove, no tap to add or remove.
	"packages:install", "packages:remove", "packages:taps-add", "packages:taps-remove",
	// files: a file or folder that is as wanted.
	"file:", "dir:",
}

// UnknownDeps lists, sorted, the dependencies of cs that name no change
// of cs and are not OptionalDeps, as "<change ID> -> <dependency>".
func UnknownDeps(cs []Change) []string {
	ids := make(map[string]bool, len(cs))
	for _, c := range cs {
		ids[c.ID] = true
	}
	var unknown []string
	for _, c := range cs {
		for _, d := range c.Deps {
			if !ids[d] && !optionalDep(d) {
				unknown = append(unknown, c.ID+" -> "+d)
			}
		}
	}
	sort.Strings(unknown)
	return slices.Compact(unknown)
}

func optionalDep(id string) bool {
	for _, o := range OptionalDeps {
		if id == o || strings.HasSuffix(o, ":") && strings.HasPrefix(id, o) {
			return true
		}
	}
	return false
}

// topo orders cs so each change comes after its Deps (or, reversed,
// before them). Deps on IDs outside cs are ignored (see UnknownDeps).
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
