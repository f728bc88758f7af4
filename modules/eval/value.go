package eval

import (
	"sort"

	"github.com/gocfg/gocfg/modules/defs"
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
		e.unset[n.path.Key()] = true
	}
	n.value, n.set, n.done = v, set, true
	return v, set
}

// composite builds an object from n's keys: the declared members of
// group (all of them, unset ones as null), or, for an attribute set or
// anything (group == nil), the keys that definitions give.
func (e *Evaluator) composite(n *node, group *schema.Node) (cty.Value, bool) {
	ch := e.childDefs(n)
	size := len(ch)
	if group != nil {
		size = len(group.Children)
	}
	if n.kids == nil {
		n.kids = make(map[string]*node, size)
	}
	attrs := make(map[string]cty.Value, size)
	set := false
	if group != nil {
		for _, k := range sortedKeys(ch) {
			if ds := ch[k]; group.Children[k] == nil && len(ds) > 0 {
				rng := ds[0].Range
				e.diags = append(e.diags, defs.Undeclared(e.tree, n.pos, n.path.Append(k), rng))
			}
		}
		for _, k := range group.SortedKeys() {
			v, s := e.value(e.child(n, k), nil)
			attrs[k] = v
			set = set || s
		}
		if n.pos.Kind == schema.Value {
			set = true
		}
		return cty.ObjectVal(attrs), set
	}
	for _, k := range sortedKeys(ch) {
		v, s := e.value(e.child(n, k), nil)
		if s {
			attrs[k] = v
		}
	}
	return cty.ObjectVal(attrs), true
}

// sortedKeys orders evaluation, so that diagnostics never depend on map
// iteration order.
func sortedKeys(m map[string][]*defs.Def) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
