package eval

import (
	"math/bits"
	"slices"

	"github.com/gocfg/gocfg/modules/defs"
	"github.com/gocfg/gocfg/modules/objects"
	"github.com/gocfg/gocfg/modules/optpath"
	"github.com/gocfg/gocfg/modules/schema"
	"github.com/zclconf/go-cty/cty"
)

// Value returns the merged value at path. set is false for an option
// with no definition and no default (the value is then null).
func (e *Evaluator) Value(p optpath.Path) (v cty.Value, set bool) {
	return e.value(e.node(p), nil)
}

// value computes n's value once.
func (e *Evaluator) value(n *node, ref *refSite) (cty.Value, bool) {
	if n.done {
		return n.value, n.set
	}
	t := task{kind: 'v', n: n}
	if !e.enter(t, ref.rangePtr()) {
		return cty.DynamicVal, true
	}
	var v cty.Value
	var set bool
	switch n.pos.Kind {
	case schema.Group:
		v, set = e.composite(n, n.pos.Node)
	case schema.Value:
		v, set = e.merge(n, n.pos.Type, e.filtered(n))
	default:
		v, set = cty.DynamicVal, true
	}
	e.leave(t)
	if !set && (n.pos.Option != nil || n.pos.Kind == schema.Group) {
		e.markUnset(n.path.Key())
	}
	n.value, n.set, n.done = v, set, true
	return v, set
}

// composite builds an object from n's keys: the declared members of
// group (all of them, unset ones as null), or, for an attribute set or
// anything (group == nil), the keys that definitions give.
func (e *Evaluator) composite(n *node, group *schema.Node) (cty.Value, bool) {
	ch := e.childDefs(n)
	size := ch.len()
	if group != nil {
		size = len(group.Children)
	}
	n.branch().expectKids(size)
	attrs := e.attrMap(size)
	defer e.freeAttrMap(size, attrs)
	set := false
	// The keys go on top of e.keys, above those of the objects n is in;
	// the members' own go above them and are gone when each returns.
	base := len(e.keys)
	defer func() { e.keys = e.keys[:base] }()
	if group != nil {
		e.keys = ch.appendSortedKeys(e.keys)
		for _, k := range e.keys[base:] {
			if ds := ch.get(k); group.Children[k] == nil && len(ds) > 0 {
				rng := ds[0].Range()
				e.diags = append(e.diags, defs.Undeclared(e.tree, n.pos, n.path.Append(k), rng))
			}
		}
		e.keys = appendSortedKeys(e.keys[:base], group.Children)
	} else {
		e.keys = ch.appendSortedKeys(e.keys)
	}
	// A group has every member, unset ones as null; an attribute set
	// or anything has the keys that are set, and is set itself.
	end := len(e.keys)
	forks, mine := e.startForks(n, e.keys[base:end])
	for i := base; i < end; i++ {
		if i == base+mine {
			e.joinAll(forks, n)
		}
		k := e.keys[i]
		v, s := e.value(e.child(n, k), nil)
		if group != nil || s {
			attrs[k] = v
		}
		set = set || s
	}
	if group == nil || n.pos.Kind == schema.Value {
		set = true
	}
	if group == nil {
		return objects.Val(attrs), set
	}
	if e.shapes == nil {
		e.shapes = map[*schema.Node]cty.Type{}
	}
	v := objects.ValLike(attrs, e.shapes[group])
	e.shapes[group] = v.Type()
	return v, set
}

// attrMap returns an empty map for an object of about size attributes.
// cty.ObjectVal copies the map it is given into maps of its own, so the
// maps of objects built one after the other can be one: freeAttrMap
// keeps them, by size class, for the next object of about their size
// (a map made for many would make reading a small object from it as
// slow as a large one).
func (e *Evaluator) attrMap(size int) map[string]cty.Value {
	if c := attrClass(size); c < len(e.attrMaps) {
		if free := e.attrMaps[c]; len(free) > 0 {
			m := free[len(free)-1]
			e.attrMaps[c] = free[:len(free)-1]
			return m
		}
	}
	return make(map[string]cty.Value, size)
}

// freeAttrMap empties m, which attrMap returned for size, for reuse.
func (e *Evaluator) freeAttrMap(size int, m map[string]cty.Value) {
	clear(m)
	c := attrClass(size)
	for len(e.attrMaps) <= c {
		e.attrMaps = append(e.attrMaps, nil)
	}
	e.attrMaps[c] = append(e.attrMaps[c], m)
}

// attrClass is the class of objects of size attributes: 0 for up to
// eight (a map that small is one group of slots), then one class for
// each doubling.
func attrClass(size int) int {
	if size <= 8 {
		return 0
	}
	return bits.Len(uint(size-1) >> 3)
}

// appendSortedKeys appends m's keys to dst, sorted, so that evaluation
// and its diagnostics never depend on map iteration order.
func appendSortedKeys[V any](dst []string, m map[string]V) []string {
	base := len(dst)
	for k := range m {
		dst = append(dst, k)
	}
	slices.Sort(dst[base:])
	return dst
}
