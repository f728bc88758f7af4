package eval

import (
	"fmt"
	"strings"

	"github.com/gocfg/gocfg/modules/defs"
	"github.com/gocfg/gocfg/modules/elements"
	"github.com/gocfg/gocfg/modules/render"
	"github.com/gocfg/gocfg/modules/schema"
	"github.com/zclconf/go-cty/cty"
)

// merge combines the filtered definitions ds of n by n's type t.
func (e *Evaluator) merge(n *node, t *schema.Type, ds []*defs.Def) (cty.Value, bool) {
	if len(ds) == 0 {
		return nullOf(t), false
	}
	switch t.Kind {
	case schema.Uniq:
		if len(ds) > 1 {
			e.listDefs(n, t, ds, "Option defined more than once",
				"The option %[1]s is unique (uniq) but has %[2]d definitions:\n%[3]s\nhint: keep one definition, or give one a priority with force().")
			return cty.DynamicVal, true
		}
		return e.merge(n, t.Elem, ds)
	case schema.NullOr:
		var nonNull []*defs.Def
		nulls := 0
		for _, d := range ds {
			if len(d.Path) == len(n.path) && !d.Marker {
				v, ok := e.defValue(d)
				if !ok {
					return cty.DynamicVal, true
				}
				if v.IsNull() {
					nulls++
					continue
				}
			}
			nonNull = append(nonNull, d)
		}
		if len(nonNull) == 0 {
			return cty.NullVal(ctyType(t.Elem)), true
		}
		if nulls > 0 {
			e.listDefs(n, t, ds, "Option defined both null and not null",
				"The option %[1]s (%[4]s) has %[2]d definitions, some null and some not:\n%[3]s\nhint: give the one that should win a priority: force(...) or default(...).")
			return cty.DynamicVal, true
		}
		return e.merge(n, t.Elem, nonNull)
	case schema.AttrsOf, schema.Submodule:
		if !e.wholeObjects(n, t, ds) {
			return cty.DynamicVal, true
		}
		if t.Kind == schema.Submodule {
			return e.composite(n, t.Options)
		}
		return e.composite(n, nil)
	case schema.Anything:
		objects, ok := e.anythingObjects(n, ds)
		if !ok {
			return cty.DynamicVal, true
		}
		if objects {
			return e.composite(n, nil)
		}
		return e.equalValues(n, t, ds)
	case schema.ListOf:
		return e.mergeList(n, t, ds)
	case schema.Lines:
		return e.mergeLines(n, t, ds)
	default:
		return e.equalValues(n, t, ds)
	}
}

// wholeObjects checks that definitions of a keyed type are objects (the
// split into keys reports other problems).
func (e *Evaluator) wholeObjects(n *node, t *schema.Type, ds []*defs.Def) bool {
	for _, d := range ds {
		if len(d.Path) > len(n.path) || d.Marker {
			continue
		}
		v, ok := e.defValue(d)
		if !ok {
			return false
		}
		if v.IsNull() {
			e.errorf(d.Range().Ptr(), "Invalid value for "+label(n.path), "%s is of type %s; null is not a value of it.\nhint: declare the option as null_or(...) to allow null.", label(n.path), t)
			return false
		}
	}
	return true
}

// anythingObjects tells whether the definitions of an anything value
// are all objects (merged key by key) or all something else (which must
// be equal). Mixing is an error.
func (e *Evaluator) anythingObjects(n *node, ds []*defs.Def) (objects, ok bool) {
	var obj, other int
	for _, d := range ds {
		if len(d.Path) > len(n.path) || d.Marker {
			obj++
			continue
		}
		v, ok := e.defValue(d)
		if !ok {
			return false, false
		}
		if !v.IsNull() && (v.Type().IsObjectType() || v.Type().IsMapType()) {
			obj++
		} else {
			other++
		}
	}
	if obj > 0 && other > 0 {
		e.listDefs(n, &schema.Type{Kind: schema.Anything}, ds, "Conflicting definition types for "+label(n.path),
			"The value %[1]s is defined as an object (or with keys) and as something else:\n%[3]s\nhint: give the one that should win a priority: force(...) or default(...).")
		return false, false
	}
	return obj > 0, true
}

// wholeValues returns the value of each definition of n, coerced to t,
// or false when one is an error (reported): each must set n whole, not
// with a block or by keys. The values are on top of e.vals, from base
// (see pushVals), which the caller pops when done with them.
func (e *Evaluator) wholeValues(n *node, t *schema.Type, ds []*defs.Def) ([]cty.Value, bool) {
	base := len(e.vals)
	for _, d := range ds {
		if len(d.Path) > len(n.path) || d.Marker {
			e.errorf(d.Range().Ptr(), "Invalid value for "+label(n.path), "%s is of type %s; it cannot be set with a block or by keys.", label(n.path), t)
			return nil, false
		}
		v, ok := e.defValue(d)
		if !ok {
			return nil, false
		}
		cv, ok := e.coerce(t, v, d, n.path)
		if !ok {
			return nil, false
		}
		e.vals = append(e.vals, cv)
	}
	return e.vals[base:], true
}

// pushVals and popVals bracket the use of e.vals, the stack of values
// that wholeValues and mergeList gather: the values are only read, or
// copied into a cty value, so the merges of all nodes share one array.
// Evaluating a definition may merge other nodes, whose values go on top
// of those gathered so far and are popped before their merge returns.
func (e *Evaluator) pushVals() (base int) { return len(e.vals) }

// popVals drops the values above base, clearing them for the collector.
func (e *Evaluator) popVals(base int) {
	clear(e.vals[base:])
	e.vals = e.vals[:base]
}

// equalValues merges scalars: every definition must give the same value.
func (e *Evaluator) equalValues(n *node, t *schema.Type, ds []*defs.Def) (cty.Value, bool) {
	defer e.popVals(e.pushVals())
	vals, ok := e.wholeValues(n, t, ds)
	if !ok {
		return cty.DynamicVal, true
	}
	for _, v := range vals[1:] {
		if !sameValue(v, vals[0]) {
			e.listDefs(n, t, ds, "Conflicting definitions of "+label(n.path),
				"The option %[1]s has conflicting definition values:\n%[3]s\nhint: "+conflictHint(ds[0].PriorityAt(len(n.path))))
			return cty.DynamicVal, true
		}
	}
	return vals[0], true
}

// conflictHint says how to settle a conflict of definitions that all
// have priority prio: a priority for the one that should win, or
// yielding for the others, in the words of the priority they have (all
// force already: force is not the answer).
func conflictHint(prio int) string {
	switch prio {
	case defs.PriorityPlain:
		return "give the one that should win a priority: force(value), or make the others yield with default(value)."
	case defs.PriorityDefault, defs.PriorityOptionDefault:
		return "they are all default(value): set the one that should win plainly, or remove the others."
	case defs.PriorityForce:
		return "they are all force(value): give the one that should win a lower number with override(n, value) (force is 50), or remove the others."
	}
	return fmt.Sprintf("they all have priority %d: give the one that should win a lower number with override(n, value), or remove the others.", prio)
}

// sameValue compares two values, types included (1 and real(1) differ).
func sameValue(a, b cty.Value) bool {
	if !a.Type().Equals(b.Type()) {
		return false
	}
	return a.RawEquals(b) || (a.IsKnown() && b.IsKnown() && !a.IsNull() && !b.IsNull() && a.Equals(b).True())
}

func (e *Evaluator) mergeList(n *node, t *schema.Type, ds []*defs.Def) (cty.Value, bool) {
	// The elements gathered so far are e.vals[base:], copied by listOf.
	base := e.pushVals()
	defer e.popVals(base)
	for _, d := range ds {
		if len(d.Path) > len(n.path) || d.Marker {
			e.errorf(d.Range().Ptr(), "Invalid value for "+label(n.path), "%s is a list (%s); it cannot be set by keys.", label(n.path), t)
			return cty.DynamicVal, true
		}
		v, ok := e.defValue(d)
		if !ok {
			return cty.DynamicVal, true
		}
		vt := v.Type()
		if v.IsNull() || !(vt.IsListType() || vt.IsTupleType() || vt.IsSetType()) {
			e.errorf(d.Range().Ptr(), "Invalid value for "+label(n.path), "%s is of type %s, so it takes a list, not %s.%s", label(n.path), t, describe(v), listOfOneHint(t.Elem, v))
			return cty.DynamicVal, true
		}
		if !elements.Each(v, func(_ int, ev cty.Value) bool {
			cv, ok := e.coerceElem(t.Elem, ev, d, n.path, len(e.vals)-base)
			if ok {
				e.vals = append(e.vals, cv)
			}
			return ok
		}) {
			return cty.DynamicVal, true
		}
	}
	return listOf(e.vals[base:], t.Elem), true
}

func (e *Evaluator) mergeLines(n *node, t *schema.Type, ds []*defs.Def) (cty.Value, bool) {
	defer e.popVals(e.pushVals())
	vals, ok := e.wholeValues(n, t, ds)
	if !ok {
		return cty.DynamicVal, true
	}
	parts := make([]string, 0, len(vals))
	for _, v := range vals {
		parts = append(parts, v.AsString())
	}
	return cty.StringVal(strings.Join(parts, "\n")), true
}

// listDefs reports a diagnostic listing every definition, at the one
// that comes last in module order. In detail, %[1]s is the path, %[2]d
// the number of definitions, %[3]s their list and %[4]s the type.
func (e *Evaluator) listDefs(n *node, t *schema.Type, ds []*defs.Def, summary, detail string) {
	var lines []string
	last := ds[0]
	for _, d := range ds {
		if d.Seq > last.Seq {
			last = d
		}
		val := "(a block)"
		if len(d.Path) > len(n.path) {
			val = "(by keys, at " + label(d.Path) + ")"
		} else if !d.Marker {
			if v, ok := e.defValue(d); ok {
				val = render.Inline(v, 60)
			}
		}
		lines = append(lines, fmt.Sprintf("- %s: %s", e.set.Ref(d.Range()), val))
	}
	e.errorf(last.Range().Ptr(), summary, detail, label(n.path), len(ds), strings.Join(lines, "\n"), t.String())
}
