package platform

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
)

// TestOrderSameAsCopies: order, which sorts indexes and moves each change
// once, gives the plans the order that copied the changes at every step
// gave (referenceOrder, order as it was), and the same errors, for
// random plans: repeated IDs, First and AfterFlip changes, removals and
// creations, dependencies inside and outside the plan, on themselves,
// and cycles.
func TestOrderSameAsCopies(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 2))
	for n := range 2000 {
		size := r.IntN(30)
		ids := make([]string, size+3)
		for i := range ids {
			ids[i] = fmt.Sprintf("c%d", r.IntN(size+3))
		}
		var in []Change
		for i := range size {
			c := Change{ID: ids[i], Action: []Action{Create, Update, Delete, Restore}[r.IntN(4)], Note: fmt.Sprint(i)}
			c.First = r.IntN(10) == 0
			c.AfterFlip = r.IntN(10) == 0
			for range r.IntN(3) {
				// Mostly on changes listed before it: few cycles.
				if j := r.IntN(len(ids)); j < i || r.IntN(8) == 0 {
					c.Deps = append(c.Deps, ids[j])
				}
			}
			in = append(in, c)
		}
		want, wantErr := referenceOrder(slices.Clone(in))
		got, err := order(slices.Clone(in))
		if fmt.Sprint(err) != fmt.Sprint(wantErr) {
			t.Fatalf("plan %d: error %v, want %v", n, err, wantErr)
		}
		var g, w []string
		for _, c := range got {
			g = append(g, c.ID+"/"+c.Note)
		}
		for _, c := range want {
			w = append(w, c.ID+"/"+c.Note)
		}
		if !slices.Equal(g, w) {
			t.Fatalf("plan %d: order\n%q\nwant\n%q", n, g, w)
		}
	}
}

// referenceOrder is order as it was, copying the changes.
func referenceOrder(cs []Change) ([]Change, error) {
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].ID < cs[j].ID })
	var first, removals, others, after []Change
	for _, c := range cs {
		switch {
		case c.First:
			first = append(first, c)
		case c.AfterFlip:
			after = append(after, c)
		case c.Action == Delete || c.Action == Restore:
			removals = append(removals, c)
		default:
			others = append(others, c)
		}
	}
	r, err := referenceTopo(removals, true)
	if err != nil {
		return nil, err
	}
	o, err := referenceTopo(others, false)
	if err != nil {
		return nil, err
	}
	a, err := referenceTopo(after, false)
	if err != nil {
		return nil, err
	}
	return append(append(append(first, r...), o...), a...), nil
}

func referenceTopo(cs []Change, reversed bool) ([]Change, error) {
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
			from, to := j, i
			if reversed {
				from, to = i, j
			}
			next[from] = append(next[from], to)
			indeg[to]++
		}
	}
	var queue []int
	for i := range cs {
		if indeg[i] == 0 {
			queue = append(queue, i)
		}
	}
	var out []Change
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
