package platform

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// order sorts changes for apply: First changes (checkpoints) before all,
// then removals, each after every removal that depends on it (files
// before their folder), then creations and updates, each after what it
// depends on (a folder before its files), then AfterFlip changes (see
// Change.AfterFlip), and last the removals that must follow a change of
// those two groups (Change.AfterDependents), with the removals that
// must follow them. Ties keep ID order, so plans are stable.
//
// It reorders cs in place and returns it (nil, and cs as it was, for an
// error). The sorting and the graphs work on the changes' indexes, and
// each change is moved once, into its place: a first switch of 10,000
// dotfiles orders 11,000 changes of about 200 bytes each, and copies of
// them into new slices for each step cost more than the ordering.
func order(cs []Change) ([]Change, error) {
	byID := make([]int, len(cs))
	for i := range byID {
		byID[i] = i
	}
	// Providers mostly list their changes in ID order already.
	cmp := func(i, j int) int { return strings.Compare(cs[i].ID, cs[j].ID) }
	if !slices.IsSortedFunc(byID, cmp) {
		slices.SortStableFunc(byID, cmp)
	}
	// The five groups, each in ID order, share one slice.
	late := lateRemovals(cs)
	group := func(i int) int {
		c := &cs[i]
		switch {
		case c.First:
			return 0
		case c.AfterFlip:
			return 3
		case late != nil && late[i]:
			return 4
		case isRemoval(c):
			return 1
		}
		return 2
	}
	var bounds [6]int
	for i := range cs {
		bounds[group(i)+1]++
	}
	for g := range 5 {
		bounds[g+1] += bounds[g]
	}
	grouped := make([]int, len(cs))
	fill := bounds
	for _, i := range byID {
		g := group(i)
		grouped[fill[g]] = i
		fill[g]++
	}
	perm := append(byID[:0], grouped[:bounds[1]]...)
	var err error
	for g := 1; g < 5; g++ {
		// Removals, and the late ones, run in the reverse order of their
		// dependencies.
		if perm, err = topo(perm, cs, grouped[bounds[g]:bounds[g+1]], g == 1 || g == 4); err != nil {
			return nil, err
		}
	}
	permute(cs, perm)
	return cs, nil
}

// isRemoval reports whether c deletes or puts back (removals run before
// creations and updates).
func isRemoval(c *Change) bool { return c.Action == Delete || c.Action == Restore }

// lateRemovals marks (by index) the removals of cs that run after the
// AfterFlip changes: those with AfterDependents that a change after the
// removals depends on, and the removals that must follow them (a late
// removal's dependencies that are removals too: an account's groups
// are deleted after her). Nil when there are none, as in most plans.
func lateRemovals(cs []Change) []bool {
	var late []bool
	var index map[string]int
	for i := range cs {
		c := &cs[i]
		if !c.AfterDependents || c.First || c.AfterFlip || !isRemoval(c) {
			continue
		}
		if index == nil {
			index = make(map[string]int, len(cs))
			for j := range cs {
				index[cs[j].ID] = j
			}
		}
		for j := range cs {
			d := &cs[j]
			if d.First || !d.AfterFlip && isRemoval(d) || !slices.Contains(d.Deps, c.ID) {
				continue
			}
			if late == nil {
				late = make([]bool, len(cs))
			}
			late[i] = true
			break
		}
	}
	if late == nil {
		return nil
	}
	// What a late removal depends on is removed after it.
	var queue []int
	for i, l := range late {
		if l {
			queue = append(queue, i)
		}
	}
	for len(queue) > 0 {
		i := queue[0]
		queue = queue[1:]
		for _, d := range cs[i].Deps {
			j, ok := index[d]
			if !ok || late[j] || !isRemoval(&cs[j]) || cs[j].First || cs[j].AfterFlip {
				continue
			}
			late[j] = true
			queue = append(queue, j)
		}
	}
	return late
}

// permute moves cs[perm[k]] to cs[k], for every k, each change once (perm
// is a permutation of cs's indexes).
func permute(cs []Change, perm []int) {
	placed := make([]bool, len(cs))
	for k := range cs {
		if placed[k] || perm[k] == k {
			continue
		}
		// Follow the cycle through k: each place takes the change that
		// goes there, and the last the one first at k.
		held := cs[k]
		at := k
		for {
			placed[at] = true
			from := perm[at]
			if from == k {
				cs[at] = held
				break
			}
			cs[at] = cs[from]
			at = from
		}
	}
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
	// systemd: a manager with no job to run.
	"units:",
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

// topo appends to out the indexes of group (indexes of cs) ordered so
// each change comes after its Deps (or, reversed, before them); ties
// keep group's order. Deps on IDs outside group are ignored (see
// UnknownDeps).
func topo(out []int, cs []Change, group []int, reversed bool) ([]int, error) {
	// Positions in group: of the IDs, and the edges as pairs, then as
	// one list per change (in the order they were found).
	index := make(map[string]int, len(group))
	for p, i := range group {
		index[cs[i].ID] = p
	}
	indeg := make([]int, len(group))
	start := make([]int, len(group)+1)
	n := 0
	for _, i := range group {
		n += len(cs[i].Deps)
	}
	edges := make([][2]int, 0, n)
	for p, i := range group {
		for _, d := range cs[i].Deps {
			q, ok := index[d]
			if !ok || q == p {
				continue
			}
			from, to := q, p // q before p
			if reversed {
				from, to = p, q
			}
			edges = append(edges, [2]int{from, to})
			start[from+1]++
			indeg[to]++
		}
	}
	for p := range group {
		start[p+1] += start[p]
	}
	next := make([]int, len(edges))
	fill := slices.Clone(start[:len(group)])
	for _, e := range edges {
		next[fill[e[0]]] = e[1]
		fill[e[0]]++
	}
	queue := make([]int, 0, len(group))
	for p := range group {
		if indeg[p] == 0 {
			queue = append(queue, p)
		}
	}
	for h := 0; h < len(queue); h++ {
		p := queue[h]
		out = append(out, group[p])
		for _, q := range next[start[p]:start[p+1]] {
			indeg[q]--
			if indeg[q] == 0 {
				queue = append(queue, q)
			}
		}
	}
	if len(queue) != len(group) {
		var stuck []string
		for p, i := range group {
			if indeg[p] > 0 {
				stuck = append(stuck, cs[i].ID)
			}
		}
		return nil, fmt.Errorf("dependency cycle among %s", strings.Join(stuck, ", "))
	}
	return out, nil
}
