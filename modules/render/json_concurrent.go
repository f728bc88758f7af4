package render

import (
	"slices"
	"sync"
	"sync/atomic"

	"github.com/zclconf/go-cty/cty"
)

// AppendJSONConcurrent is AppendJSON, the same bytes, written on up to
// workers goroutines: the members of v (an object or a map) and those
// of its large members are written in runs, each run by one goroutine
// into its own buffer, and the buffers joined in order. skip must be
// safe for concurrent use. Anything else than an object or a map, or
// fewer than two workers, is written by AppendJSON.
//
// Why: `gocfg eval --json` writes the whole configuration once it is
// evaluated, on one core while the other waits: for 1,000 modules that
// was 4.5 ms of about 53 (5 to 9 in a fresh process). Two thirds of it
// is `users` (1,000 users), so the members of such a large member are
// cut in runs too. On 2 cores it takes 3.3 ms (the runs themselves sum
// to more than when written in turn, and joining them copies the 435
// kB once); a cold evaluation went from 53.5 to 52.1 ms (medians of 31
// runs in turn).
func AppendJSONConcurrent(dst []byte, v cty.Value, skip Skip, workers int) ([]byte, error) {
	if workers < 2 || v.IsNull() || !v.IsKnown() || !(v.Type().IsObjectType() || v.Type().IsMapType()) {
		return AppendJSON(dst, v, skip)
	}
	plan := planJSON(v, skip, workers)
	runs := plan.runs
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(workers, len(runs)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(runs) {
					return
				}
				runs[i].write(skip)
			}
		})
	}
	wg.Wait()
	return plan.join(dst)
}

// A jsonRun is the members keys of an object (at path and depth) that
// one goroutine writes, each after a comma (the join drops the first
// comma of an object).
type jsonRun struct {
	v     cty.Value
	keys  []string
	path  []string
	depth int
	out   [][]byte // the chunks written, in order
	err   error
}

func (r *jsonRun) write(skip Skip) {
	// The writer stacks nested objects' keys above the run's own: on a
	// copy, since the runs' keys share arrays.
	w := jsonWriter{skip: skip, keys: append(make([]string, 0, len(r.keys)+32), r.keys...)}
	path := append(make([]string, 0, 16), r.path...)
	_, r.err = w.members(r.v, 0, len(r.keys), path, r.depth, false)
	r.out = w.chunks()
}

// A jsonPlan is the runs of one value, and how they join: the root's
// members in order, each either in a run of the root (rootRun) or, for
// a large one, written from runs of its own members (split).
type jsonPlan struct {
	runs  []*jsonRun
	items []jsonItem
}

// A jsonItem is one piece of the root's members, in order: a run of
// them, or one member whose own members are in runs.
type jsonItem struct {
	run   int    // the run of root members; -1 for a split member
	key   string // the split member's key
	split []int  // its runs
}

// splitMembers is how many members a member of the root must have for
// its members to be written in runs of their own.
const splitMembers = 256

// planJSON cuts the members of object or map v into runs: consecutive
// small members of the root share a run; a member that is an object or
// a map of splitMembers members or more is cut in 2 × workers runs of
// its own members. The skip of a split member is asked here.
func planJSON(v cty.Value, skip Skip, workers int) *jsonPlan {
	pl := &jsonPlan{}
	keys := appendSortedKeys(nil, v)
	var small []string
	flush := func() {
		if len(small) > 0 {
			pl.items = append(pl.items, jsonItem{run: len(pl.runs)})
			pl.runs = append(pl.runs, &jsonRun{v: v, keys: small, depth: 0})
			small = nil
		}
	}
	for _, k := range keys {
		m := index(v, k)
		if !isLarge(m) || skip != nil && skip([]string{k}) {
			small = append(small, k) // (a skipped one is left out by its run)
			continue
		}
		flush()
		mk := appendSortedKeys(nil, m)
		per := (len(mk) + 2*workers - 1) / (2 * workers)
		it := jsonItem{run: -1, key: k}
		for lo := 0; lo < len(mk); lo += per {
			it.split = append(it.split, len(pl.runs))
			pl.runs = append(pl.runs, &jsonRun{v: m, keys: mk[lo:min(lo+per, len(mk))], path: []string{k}, depth: 1})
		}
		pl.items = append(pl.items, it)
	}
	flush()
	return pl
}

// isLarge reports whether v is an object or a map of splitMembers members
// or more.
func isLarge(v cty.Value) bool {
	if v.IsNull() || !v.IsKnown() {
		return false
	}
	t := v.Type()
	switch {
	case t.IsObjectType():
		return len(t.AttributeTypes()) >= splitMembers
	case t.IsMapType():
		return v.LengthInt() >= splitMembers
	}
	return false
}

// join appends to dst what the runs wrote, as AppendJSON writes it: the
// first error in the order of the output, or the whole value, copied
// once into a slice of its exact size.
func (pl *jsonPlan) join(dst []byte) ([]byte, error) {
	for _, r := range pl.runs {
		if r.err != nil {
			return dst, r.err
		}
	}
	var j joiner
	for _, it := range pl.items {
		if it.run >= 0 {
			j.members(pl.runs[it.run].out)
			continue
		}
		// The member as members writes it: a comma, its key, its value.
		m := jsonWriter{}
		m.writeByte(',')
		m.newline(1)
		if err := m.string(it.key); err != nil {
			return dst, err
		}
		m.write(": {")
		j.members(m.chunks())
		inner := joiner{}
		for _, r := range it.split {
			inner.members(pl.runs[r].out)
		}
		if inner.n == 0 {
			j.text("}")
			continue
		}
		j.pieces = append(j.pieces, inner.pieces...)
		j.n += inner.n
		j.text("\n  }")
	}
	out := slices.Grow(dst, j.n+3)
	out = append(out, '{')
	for _, p := range j.pieces {
		out = append(out, p...)
	}
	if j.n > 0 {
		out = append(out, '\n')
	}
	return append(out, "}\n"...), nil
}

// A joiner gathers the pieces of an object's members, in order, each
// member after a comma but the first.
type joiner struct {
	pieces [][]byte
	n      int // bytes in pieces
}

// members adds the chunks of members written each after a comma,
// dropping the comma of the first member of all.
func (j *joiner) members(chunks [][]byte) {
	for _, c := range chunks {
		if j.n == 0 && len(c) > 0 {
			c = c[1:] // the first member's comma
		}
		if len(c) > 0 {
			j.pieces = append(j.pieces, c)
			j.n += len(c)
		}
	}
}

// text adds s as it is.
func (j *joiner) text(s string) {
	j.pieces = append(j.pieces, []byte(s))
	j.n += len(s)
}
