package eval

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/gocfg/gocfg/modules/defs"
	"github.com/gocfg/gocfg/modules/objects"
	"github.com/gocfg/gocfg/modules/optpath"
	"github.com/gocfg/gocfg/modules/plistval"
	"github.com/gocfg/gocfg/modules/render"
	"github.com/gocfg/gocfg/modules/schema"
	"github.com/zclconf/go-cty/cty"
)

// coerce checks one value against a type and returns it in canonical
// form: paths made absolute, floats from reals, lists and objects with
// their elements checked, submodules with their defaults. p names the
// value in errors; d is the definition it came from.
func (e *Evaluator) coerce(t *schema.Type, v cty.Value, d *defs.Def, p optpath.Path) (cty.Value, bool) {
	if !v.IsWhollyKnown() {
		return cty.DynamicVal, false
	}
	if t.Kind == schema.NullOr {
		if v.IsNull() {
			return cty.NullVal(ctyType(t.Elem)), true
		}
		return e.coerce(t.Elem, v, d, p)
	}
	if t.Kind == schema.Uniq {
		return e.coerce(t.Elem, v, d, p)
	}
	if t.Kind == schema.Anything {
		return v, true
	}
	bad := func(why string) (cty.Value, bool) {
		e.errorf(partRange(d, p).Ptr(), "Invalid value for "+label(p), "%s is of type %s, %s.", label(p), t, why)
		return cty.DynamicVal, false
	}
	if v.IsNull() {
		return bad("and null is not a value of it\nhint: declare the option as null_or(...) to allow null")
	}
	vt := v.Type()
	switch t.Kind {
	case schema.Bool:
		if vt != cty.Bool {
			return bad("not " + describe(v))
		}
	case schema.Str, schema.Lines:
		if vt != cty.String {
			return bad("not " + describe(v) + quoteHint(v, p))
		}
	case schema.Path:
		if vt != cty.String {
			return bad("not " + describe(v))
		}
		s := v.AsString()
		if s == "" {
			return bad("and a path cannot be empty")
		}
		if !filepath.IsAbs(s) && !strings.HasPrefix(s, "~") {
			if d.Module.Dir == "" {
				return bad("and a built-in module cannot give a relative path")
			}
			return cty.StringVal(filepath.Join(d.Module.Dir, s)), true
		}
	case schema.Int:
		if vt != cty.Number || !v.AsBigFloat().IsInt() {
			if vt == cty.Number {
				return bad("so it takes a whole number, not " + render.Inline(v, 20))
			}
			return bad("not " + describe(v))
		}
	case schema.Float:
		if f, ok := plistval.AsReal(v); ok {
			return cty.NumberFloatVal(f), true
		}
		if vt != cty.Number {
			return bad("not " + describe(v))
		}
	case schema.Enum:
		for _, allowed := range t.Values {
			if vt.Equals(allowed.Type()) && v.Equals(allowed).True() {
				return v, true
			}
		}
		return bad("and " + render.Inline(v, 40) + " is not one of its values")
	case schema.ListOf:
		if !(vt.IsListType() || vt.IsTupleType() || vt.IsSetType()) {
			return bad("so it takes a list, not " + describe(v) + listOfOneHint(t.Elem, v))
		}
		out := make([]cty.Value, 0, v.LengthInt())
		for it := v.ElementIterator(); it.Next(); {
			_, ev := it.Element()
			cv, ok := e.coerceElem(t.Elem, ev, d, p, len(out))
			if !ok {
				return cty.DynamicVal, false
			}
			out = append(out, cv)
		}
		return listOf(out, t.Elem), true
	case schema.AttrsOf:
		if !(vt.IsObjectType() || vt.IsMapType()) {
			return bad("so it takes an object, not " + describe(v))
		}
		out := map[string]cty.Value{}
		for it := v.ElementIterator(); it.Next(); {
			kv, ev := it.Element()
			cv, ok := e.coerce(t.Elem, ev, d, p.Append(kv.AsString()))
			if !ok {
				return cty.DynamicVal, false
			}
			out[kv.AsString()] = cv
		}
		return objects.Val(out), true
	case schema.Submodule:
		if !(vt.IsObjectType() || vt.IsMapType()) {
			return bad("so it takes an object (or a block), not " + describe(v))
		}
		return e.coerceGroup(t.Options, v, d, p)
	}
	return v, true
}

// coerceElem is coerce for the element i of the list at p, whose path
// it builds only when coerce may need it (a string element of a list of
// strings, the most common, is returned as it is).
func (e *Evaluator) coerceElem(t *schema.Type, v cty.Value, d *defs.Def, p optpath.Path, i int) (cty.Value, bool) {
	if t.Kind == schema.Str && v.IsKnown() && !v.IsNull() && v.Type() == cty.String {
		return v, true
	}
	return e.coerce(t, v, d, p.Append(optpath.Index(i)))
}

// coerceGroup checks an object against the sub-options of a submodule
// (or a group inside one), filling in defaults.
func (e *Evaluator) coerceGroup(g *schema.Node, v cty.Value, d *defs.Def, p optpath.Path) (cty.Value, bool) {
	given := map[string]cty.Value{}
	for it := v.ElementIterator(); it.Next(); {
		kv, ev := it.Element()
		k := kv.AsString()
		if g.Children[k] == nil {
			pos := schema.Position{Kind: schema.Group, Node: g}
			e.diags = append(e.diags, defs.Undeclared(e.tree, pos, p.Append(k), d.Range()))
			return cty.DynamicVal, false
		}
		given[k] = ev
	}
	out := map[string]cty.Value{}
	// In key order, as composite computes a group's members, so that
	// the first problem reported is the same every run. The keys go on
	// top of e.keys (a member's own go above them).
	base := len(e.keys)
	defer func() { e.keys = e.keys[:base] }()
	e.keys = appendSortedKeys(e.keys, g.Children)
	for i, end := base, len(e.keys); i < end; i++ {
		k := e.keys[i]
		c := g.Children[k]
		cp := p.Append(k)
		ev, has := given[k]
		if c.Option == nil {
			if !has {
				ev = cty.EmptyObjectVal
			}
			cv, ok := e.coerceGroup(c, ev, d, cp)
			if !ok {
				return cty.DynamicVal, false
			}
			out[k] = cv
			continue
		}
		if !has {
			if c.Option.Default == nil {
				out[k] = cty.NullVal(ctyType(c.Option.Type))
				e.markUnset(cp.Key())
				continue
			}
			dv, ok := e.evalExpr(c.Option.Default, c.Option.Module)
			if !ok {
				return cty.DynamicVal, false
			}
			ev = dv
			d = &defs.Def{Path: cp, Expr: c.Option.Default, Module: c.Option.Module} // errors are at the default
		}
		cv, ok := e.coerce(c.Option.Type, ev, d, cp)
		if !ok {
			return cty.DynamicVal, false
		}
		out[k] = cv
	}
	return objects.Val(out), true
}

// nullOf is the null an unset option reads as.
func nullOf(t *schema.Type) cty.Value { return cty.NullVal(ctyType(t)) }

// ctyType is the cty type of values of t where there is one, else the
// dynamic pseudo-type.
func ctyType(t *schema.Type) cty.Type {
	switch t.Base().Kind {
	case schema.Bool:
		return cty.Bool
	case schema.Str, schema.Path, schema.Lines:
		return cty.String
	case schema.Int, schema.Float:
		return cty.Number
	case schema.Enum:
		if len(t.Base().Values) > 0 {
			return t.Base().Values[0].Type()
		}
	}
	return cty.DynamicPseudoType
}

// listOf makes a list value: a cty list when the elements share a type,
// a tuple otherwise.
func listOf(vals []cty.Value, elem *schema.Type) cty.Value {
	if len(vals) == 0 {
		if et := ctyType(elem); et != cty.DynamicPseudoType {
			return cty.ListValEmpty(et)
		}
		return cty.EmptyTupleVal
	}
	first := vals[0].Type()
	for _, v := range vals[1:] {
		if !v.Type().Equals(first) {
			return cty.TupleVal(vals)
		}
	}
	return cty.ListVal(vals)
}

// listOfOneHint suggests a list of one for a value its elements take:
// a NixOS list option takes a single value in places (home-manager's
// identityFile), which gocfg's does not (tester BC).
func listOfOneHint(elem *schema.Type, v cty.Value) string {
	if elem == nil || !v.IsKnown() || v.IsNull() {
		return ""
	}
	fits := false
	switch elem.Kind {
	case schema.Str, schema.Lines, schema.Path:
		fits = v.Type() == cty.String
	case schema.Int, schema.Float:
		fits = v.Type() == cty.Number
	case schema.Bool:
		fits = v.Type() == cty.Bool
	}
	if !fits {
		return ""
	}
	// Whole (reviewer R30: cut, a long path could not be copied).
	return "\nhint: a list of one is written in brackets: [" + render.Inline(v, 0) + "]"
}

// quoteHint is the hint of a number given where a string is wanted:
// write it quoted; a mode in octal, with its leading zero (tester U:
// mode = 644 said only "not a number").
func quoteHint(v cty.Value, p optpath.Path) string {
	if v.Type() != cty.Number || len(p) == 0 {
		return ""
	}
	n := v.AsBigFloat().Text('f', -1)
	if p[len(p)-1] == "mode" {
		return fmt.Sprintf("\nhint: write a mode as a string in octal: mode = \"0%s\"", strings.TrimLeft(n, "0"))
	}
	return fmt.Sprintf("\nhint: write it quoted: \"%s\"", n)
}
