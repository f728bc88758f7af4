package eval

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/gocfg/gocfg/modules/defs"
	"github.com/gocfg/gocfg/modules/schema"
	"github.com/zclconf/go-cty/cty"
)

// defsAt returns the definitions that reach n: those at its path and
// below it, plus the option's default.
func (e *Evaluator) defsAt(n *node) []*defs.Def {
	if n.haveDefs {
		return n.defs
	}
	var ds []*defs.Def
	if len(n.path) == 0 {
		ds = e.coll.Defs
	} else {
		ds = e.childDefs(n.parent).get(n.path[len(n.path)-1])
	}
	if opt := n.pos.Option; opt != nil && opt.Default != nil && n.pos.Kind == schema.Value {
		// Every option with a default of every submodule value has
		// one: they come from a slab, and share their level.
		dd := e.defaultDefs.New()
		*dd = defs.Def{Path: n.path, Expr: opt.Default, Module: opt.Module, Seq: -1, OptionDefault: true}
		dd.WithExtra(e.defaultExtra(len(n.path)))
		ds = append(ds[:len(ds):len(ds)], dd)
	}
	n.defs, n.haveDefs = ds, true
	return ds
}

// defaultExtra returns what an option's default at depth holds besides
// its expression, its level: one for all the defaults at that depth, as
// a DefExtra is only read.
func (e *Evaluator) defaultExtra(depth int) *defs.DefExtra {
	for d := len(e.defaultExtras); d <= depth; d++ {
		e.defaultExtras = append(e.defaultExtras, &defs.DefExtra{Levels: []defs.Level{{Depth: d, Priority: defs.PriorityOptionDefault, Order: defs.OrderPlain}}})
	}
	return e.defaultExtras[depth]
}

// childDefs sorts the definitions of n by the key below n they reach.
// Whole definitions of n (an evaluated object) are split into one
// definition per key. In a group the split keeps priority and order; in
// a value they were filtered at n already, so the parts are plain.
func (e *Evaluator) childDefs(n *node) *children {
	b := n.branch()
	if b.haveChildren {
		return &b.children
	}
	t := task{kind: 'c', n: n}
	if !e.enter(t, nil) {
		return &children{}
	}
	defer e.leave(t)
	group := n.pos.Kind == schema.Group
	var src []*defs.Def
	if group {
		src = e.defsAt(n)
	} else {
		src = e.filtered(n)
	}
	depth := len(n.path)
	var buf [maxCounted]keyCount
	counts := countKeys(buf[:0], src, depth)
	var out children
	if counts != nil {
		out.few = make([]keyDefs, len(counts))
		for j, c := range counts {
			out.few[j].key = c.key
		}
	} else {
		out.many = make(map[string][]*defs.Def, e.distinctKeys(src, depth))
	}
	spelled := false
	for i, d := range src {
		if len(d.Path) > depth {
			k := d.Path[depth]
			out.put(k, appendRun(out.get(k), src, i, counts, k))
			spelled = spelled || len(d.Spelled()) > depth
			continue
		}
		if d.Marker {
			continue
		}
		if group && !e.condsHold(d) {
			continue
		}
		v, ok := e.defValue(d)
		if !ok || v.IsNull() {
			continue
		}
		t := v.Type()
		if !(t.IsObjectType() || t.IsMapType()) {
			what := "a group of options"
			if !group {
				what = "of type " + n.pos.Type.String()
			}
			e.errorf(d.Range().Ptr(), "Invalid value for "+label(n.path), "%s is %s, so it takes an object (or a block), not %s.%s", label(n.path), what, withArticle(t.FriendlyName()), nameTakenHint(n))
			continue
		}
		for it := v.ElementIterator(); it.Next(); {
			kv, ev := it.Element()
			k := kv.AsString()
			// The part and what it holds besides, in one allocation.
			s := &struct {
				def   defs.Def
				extra defs.DefExtra
			}{
				def:   defs.Def{Path: n.path.Append(k), Module: d.Module, Seq: d.Seq},
				extra: defs.DefExtra{Value: ev, Range: d.Range()},
			}
			if group {
				// Pushed down through a group: the priority travels on.
				s.extra.Levels = []defs.Level{{Depth: depth + 1, Priority: d.PriorityAt(depth), Order: d.OrderAt(depth)}}
			}
			out.put(k, append(out.get(k), s.def.WithExtra(&s.extra)))
		}
	}
	slices.SortFunc(out.few, func(a, b keyDefs) int { return strings.Compare(a.key, b.key) })
	if spelled {
		e.checkSpellings(n, &out)
	}
	b.children, b.haveChildren = out, true
	return &b.children
}

// children holds the definitions below a node by the key they reach
// next (childDefs). Most nodes have a few keys: they are in few, sorted
// by key (two take 80 bytes, where a map's smallest table, room for
// eight, takes 352 and its header 48). The keys of a node with more
// than maxCounted are in many.
type children struct {
	few  []keyDefs
	many map[string][]*defs.Def
}

// A keyDefs is the definitions of one key, in children.few.
type keyDefs struct {
	key  string
	defs []*defs.Def
}

// get returns the definitions of key k.
func (c *children) get(k string) []*defs.Def {
	if c.many != nil {
		return c.many[k]
	}
	for i := range c.few {
		if c.few[i].key == k {
			return c.few[i].defs
		}
	}
	return nil
}

// put sets the definitions of key k. A key added to few while it is
// being filled (a key of an object split into keys, which countKeys did
// not count) is appended: childDefs sorts few once it is filled. Past
// maxCounted keys (an object of many keys set whole), they all move to
// many: looking keys up one by one in few would take quadratic time.
func (c *children) put(k string, ds []*defs.Def) {
	if c.many == nil {
		for i := range c.few {
			if c.few[i].key == k {
				c.few[i].defs = ds
				return
			}
		}
		if len(c.few) < maxCounted {
			c.few = append(c.few, keyDefs{key: k, defs: ds})
			return
		}
		c.many = make(map[string][]*defs.Def, 2*len(c.few))
		for _, kd := range c.few {
			c.many[kd.key] = kd.defs
		}
		c.few = nil
	}
	c.many[k] = ds
}

// len returns the number of keys.
func (c *children) len() int { return len(c.few) + len(c.many) }

// appendSortedKeys appends the keys to dst, sorted.
func (c *children) appendSortedKeys(dst []string) []string {
	if c.many != nil {
		return appendSortedKeys(dst, c.many)
	}
	for _, kd := range c.few {
		dst = append(dst, kd.key)
	}
	return dst
}

// distinctKeys counts the keys below depth of the definitions in src,
// for the size of the map of a node with many: grown key by key, a map
// of a thousand allocates twice its final size. The set it counts in is
// kept, emptied, for the next such node.
func (e *Evaluator) distinctKeys(src []*defs.Def, depth int) int {
	if e.keySet == nil {
		e.keySet = map[string]struct{}{}
	}
	for _, d := range src {
		if len(d.Path) > depth {
			e.keySet[d.Path[depth]] = struct{}{}
		}
	}
	n := len(e.keySet)
	clear(e.keySet)
	return n
}

// appendRun appends src[i] to ds, the definitions of key k so far.
// The definitions of a key are mostly a run in src (a block's
// attributes, one after the other): while they are, ds is a slice of
// src itself, its capacity clipped so that an append copies, and
// sorting them allocates nothing. When the run breaks, they are copied
// into an array with room for all of k's definitions if counts (see
// countKeys) says how many there are, else grown by append as needed.
func appendRun(ds, src []*defs.Def, i int, counts []keyCount, k string) []*defs.Def {
	n := len(ds)
	if n == 0 {
		return src[i : i+1 : i+1]
	}
	if n <= i && cap(ds) == n && &ds[n-1] == &src[i-1] {
		return src[i-n : i+1 : i+1]
	}
	if cap(ds) == n {
		for _, c := range counts {
			if c.key == k && c.n > n {
				ds = append(make([]*defs.Def, 0, c.n), ds...)
				break
			}
		}
	}
	return append(ds, src[i])
}

// A keyCount is the number of definitions in src below a node's path
// whose next key is key.
type keyCount struct {
	key string
	n   int
}

// maxCounted bounds the keys countKeys counts: the nodes whose
// definitions break into many runs are those with few keys that every
// module defines (the top-level groups), and a linear search through a
// few is quicker than a map.
const maxCounted = 16

// countKeys appends to counts (empty, with room for maxCounted) the
// number of definitions in src of each key below depth, the keys in
// the order first met; nil if there are more than maxCounted keys. It
// spares appendRun growing the arrays of the keys whose definitions are
// not one run (1, 2, 4... elements, then a quarter more at a time).
func countKeys(counts []keyCount, src []*defs.Def, depth int) []keyCount {
	last := -1 // counts' index of the previous definition's key
	for _, d := range src {
		if len(d.Path) <= depth {
			continue
		}
		k := d.Path[depth]
		if last >= 0 && counts[last].key == k {
			counts[last].n++
			continue
		}
		last = -1
		for j := range counts {
			if counts[j].key == k {
				last = j
				break
			}
		}
		if last < 0 {
			if len(counts) == maxCounted {
				return nil
			}
			counts = append(counts, keyCount{key: k})
			last = len(counts) - 1
		}
		counts[last].n++
	}
	return counts
}

// filtered discharges the conditions of n's definitions and keeps those
// with the lowest priority number, sorted by order then module order.
func (e *Evaluator) filtered(n *node) []*defs.Def {
	if n.haveFiltered {
		return n.filtered
	}
	t := task{kind: 'f', n: n}
	if !e.enter(t, nil) {
		return nil
	}
	defer e.leave(t)
	all := e.defsAt(n)
	depth := len(n.path)
	best := int(^uint(0) >> 1)
	var kept []*defs.Def
	// Most nodes keep every definition, in order: then kept is all
	// itself (which nothing appends to in place), not a copy.
	whole := true
	for i, d := range all {
		if !e.condsHold(d) {
			if whole {
				kept, whole = append(make([]*defs.Def, 0, len(all)), all[:i]...), false
			}
			continue
		}
		p := d.PriorityAt(depth)
		if whole && i > 0 && (p != best || !inOrder(all[i-1], d, depth)) {
			kept, whole = append(make([]*defs.Def, 0, len(all)), all[:i]...), false
		}
		if p < best {
			best = p
			kept = kept[:0]
		}
		if p == best && !whole {
			kept = append(kept, d)
		}
	}
	if whole {
		kept = all
	} else if len(kept) > 1 {
		slices.SortStableFunc(kept, func(a, b *defs.Def) int {
			if oa, ob := a.OrderAt(depth), b.OrderAt(depth); oa != ob {
				return cmp.Compare(oa, ob)
			}
			return cmp.Compare(a.Seq, b.Seq)
		})
	}
	n.filtered, n.haveFiltered = kept, true
	return kept
}

// inOrder reports whether a sorts before b, or equal, in a filtered
// list: by order, then module order.
func inOrder(a, b *defs.Def, depth int) bool {
	if oa, ob := a.OrderAt(depth), b.OrderAt(depth); oa != ob {
		return oa < ob
	}
	return a.Seq <= b.Seq
}

// condsHold reports whether all of a definition's conditions hold
// (each memoised by condHolds).
func (e *Evaluator) condsHold(d *defs.Def) bool {
	for _, c := range d.Conds() {
		if !e.condHolds(c) {
			return false
		}
	}
	return true
}

// condHolds reports whether the when condition c holds (memoised: the
// definitions of one when block, and the defaults under it, share their
// conditions, so each is evaluated, and an invalid one reported, once).
func (e *Evaluator) condHolds(c defs.Cond) bool {
	if r, ok := e.condVal[c.Expr]; ok {
		return r > 0
	}
	hold := false
	v, ok := e.evalExpr(c.Expr, c.Module)
	switch {
	case !ok:
	case v.IsNull() || !v.Type().Equals(cty.Bool):
		rng := c.Expr.Range()
		e.errorf(&rng, "Invalid condition", "A when condition must be true or false, not %s.", describe(v))
	default:
		hold = v.True()
	}
	if hold {
		e.condVal[c.Expr] = 1
	} else {
		e.condVal[c.Expr] = -1
	}
	return hold
}

// defValue evaluates a definition's expression (memoised). ok is false
// when the value is unusable because of an error already reported.
func (e *Evaluator) defValue(d *defs.Def) (cty.Value, bool) {
	if d.Expr == nil {
		v := d.Value()
		return v, v.IsWhollyKnown()
	}
	if v, ok := literal(d.Expr); ok {
		// Nothing to memoise (most definitions, and the defaults every
		// value of a submodule repeats).
		return v, true
	}
	if v, ok := e.defVal[d]; ok {
		return v, v.IsWhollyKnown()
	}
	v, ok := e.evalExpr(d.Expr, d.Module)
	e.defVal[d] = v
	return v, ok
}

func describe(v cty.Value) string {
	if v.IsNull() {
		return "null"
	}
	return withArticle(v.Type().FriendlyName())
}

// nameTakenHint is the hint of a value given where a named entry goes,
// when that name is one of the entry's own options: `users { uid = 1000
// }` makes a user named "uid" (tester U). The user meant `users "alice"
// { uid = 1000 }`, as NixOS's users.users.alice.uid. "" when n is no
// such entry.
func nameTakenHint(n *node) string {
	if len(n.path) < 2 || n.pos.Kind != schema.Value {
		return ""
	}
	base := n.pos.Type.Base()
	key := n.path[len(n.path)-1]
	if base.Kind != schema.Submodule || base.Options == nil || base.Options.Children[key] == nil {
		return ""
	}
	block := n.path[len(n.path)-2]
	return fmt.Sprintf("\nhint: %s takes one block for each name, and %q was read as a name: write %s \"NAME\" { %s = … }", label(n.path[:len(n.path)-1]), key, block, key)
}

// withArticle is name after "a", or "an" before a vowel: "an object",
// "a tuple".
func withArticle(name string) string {
	if name != "" && strings.ContainsRune("aeiou", rune(name[0])) {
		return "an " + name
	}
	return "a " + name
}
