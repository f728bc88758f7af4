package eval

import (
	"cmp"
	"slices"

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
		ds = e.childDefs(n.parent)[n.path[len(n.path)-1]]
	}
	if opt := n.pos.Option; opt != nil && opt.Default != nil && n.pos.Kind == schema.Value {
		// One allocation for the definition and its level (every
		// option with a default of every submodule value has one).
		dd := e.defaultDefs.New()
		dd.level = [1]defs.Level{{Depth: len(n.path), Priority: defs.PriorityOptionDefault, Order: defs.OrderPlain}}
		dd.def = defs.Def{
			Path: n.path, Expr: opt.Default, Module: opt.Module, Range: opt.Default.Range(),
			Levels:        dd.level[:],
			Seq:           -1,
			OptionDefault: true,
		}
		ds = append(ds[:len(ds):len(ds)], &dd.def)
	}
	n.defs, n.haveDefs = ds, true
	return ds
}

// defaultDef is an option's default as a definition, with its level.
type defaultDef struct {
	def   defs.Def
	level [1]defs.Level
}

// childDefs sorts the definitions of n by the key below n they reach.
// Whole definitions of n (an evaluated object) are split into one
// definition per key. In a group the split keeps priority and order; in
// a value they were filtered at n already, so the parts are plain.
func (e *Evaluator) childDefs(n *node) map[string][]*defs.Def {
	if n.haveChildren {
		return n.children
	}
	out := map[string][]*defs.Def{}
	t := task{kind: 'c', n: n}
	if !e.enter(t, nil) {
		return out
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
	spelled := false
	for i, d := range src {
		if len(d.Path) > depth {
			k := d.Path[depth]
			out[k] = appendRun(out[k], src, i)
			spelled = spelled || len(d.Spelled) > depth
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
			e.errorf(d.Range.Ptr(), "Invalid value for "+label(n.path), "%s is %s, so it takes an object (or a block), not a %s.", label(n.path), what, t.FriendlyName())
			continue
		}
		for it := v.ElementIterator(); it.Next(); {
			kv, ev := it.Element()
			k := kv.AsString()
			part := &defs.Def{Path: n.path.Append(k), Value: ev, Module: d.Module, Range: d.Range, Seq: d.Seq}
			if group {
				// Pushed down through a group: the priority travels on.
				part.Levels = []defs.Level{{Depth: depth + 1, Priority: d.PriorityAt(depth), Order: d.OrderAt(depth)}}
			}
			out[k] = append(out[k], part)
		}
	}
	if spelled {
		e.checkSpellings(n, out)
	}
	n.children, n.haveChildren = out, true
	return out
}

// appendRun appends src[i] to ds, the definitions of one key so far.
// The definitions of a key are mostly a run in src (a block's
// attributes, one after the other): while they are, ds is a slice of
// src itself, its capacity clipped so that an append copies, and
// sorting them allocates nothing.
func appendRun(ds, src []*defs.Def, i int) []*defs.Def {
	n := len(ds)
	if n == 0 {
		return src[i : i+1 : i+1]
	}
	if n <= i && cap(ds) == n && &ds[n-1] == &src[i-1] {
		return src[i-n : i+1 : i+1]
	}
	return append(ds, src[i])
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

// condsHold evaluates a definition's conditions (memoised).
func (e *Evaluator) condsHold(d *defs.Def) bool {
	if len(d.Conds) == 0 {
		return true
	}
	if r, ok := e.conds[d]; ok {
		return r > 0
	}
	hold := true
	for _, c := range d.Conds {
		v, ok := e.evalExpr(c.Expr, c.Module)
		if !ok {
			hold = false
			break
		}
		if v.IsNull() || !v.Type().Equals(cty.Bool) {
			rng := c.Expr.Range()
			e.errorf(&rng, "Invalid condition", "A when condition must be true or false, not %s.", describe(v))
			hold = false
			break
		}
		if v.False() {
			hold = false
			break
		}
	}
	if hold {
		e.conds[d] = 1
	} else {
		e.conds[d] = -1
	}
	return hold
}

// defValue evaluates a definition's expression (memoised). ok is false
// when the value is unusable because of an error already reported.
func (e *Evaluator) defValue(d *defs.Def) (cty.Value, bool) {
	if d.Expr == nil {
		return d.Value, d.Value.IsWhollyKnown()
	}
	if v, ok := literal(d.Expr); ok {
		// Nothing to memoise (most definitions, and the defaults every
		// value of a submodule repeats).
		return v, true
	}
	if s, ok := e.defVal[d]; ok && s.done {
		return s.value, s.value.IsWhollyKnown()
	}
	v, ok := e.evalExpr(d.Expr, d.Module)
	e.defVal[d] = slot{value: v, done: true}
	return v, ok
}

func describe(v cty.Value) string {
	if v.IsNull() {
		return "null"
	}
	return "a " + v.Type().FriendlyName()
}
