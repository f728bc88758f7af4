package forexpr

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/gocfg/gocfg/modules/objects"
)

// Expr is a for-expression: hclsyntax's node, with a faster Value. Every
// other method is the embedded ForExpr's.
type Expr struct {
	hclsyntax.ForExpr
}

// Value returns the expression's value, as hclsyntax's ForExpr.Value
// does.
func (e *Expr) Value(ctx *hcl.EvalContext) (cty.Value, hcl.Diagnostics) {
	if v, ok := e.ordinary(ctx); ok {
		return v, nil
	}
	return e.ForExpr.Value(ctx)
}

// ordinary computes the value where nothing is out of the ordinary (see
// the package documentation); false means hclsyntax must.
func (e *Expr) ordinary(ctx *hcl.EvalContext) (cty.Value, bool) {
	if e.Group {
		return cty.NilVal, false
	}
	// CanIterateElements is false for a marked value too.
	coll, diags := e.CollExpr.Value(ctx)
	if len(diags) > 0 || coll.IsNull() || !coll.IsKnown() || !coll.CanIterateElements() {
		return cty.NilVal, false
	}
	vars := make(map[string]cty.Value, 2)
	child := ctx.NewChild()
	child.Variables = vars
	if e.CondExpr != nil && !e.condTypeChecks(child, vars) {
		return cty.NilVal, false
	}
	// Sized for every element only where no condition filters them (the
	// users' authorized_keys files keep few of 1,000).
	n := 0
	if e.CondExpr == nil {
		n = coll.LengthInt()
	}
	var (
		obj map[string]cty.Value
		tup []cty.Value
	)
	if e.KeyExpr != nil {
		obj = make(map[string]cty.Value, n)
	} else {
		tup = make([]cty.Value, 0, n)
	}
	for it := coll.ElementIterator(); it.Next(); {
		k, v := it.Element()
		if e.KeyVar != "" {
			vars[e.KeyVar] = k
		}
		vars[e.ValVar] = v
		if e.CondExpr != nil {
			include, diags := value(e.CondExpr, child, vars)
			if len(diags) > 0 || !plain(include, cty.Bool) {
				return cty.NilVal, false
			}
			if include.False() {
				continue
			}
		}
		if e.KeyExpr == nil {
			val, diags := value(e.ValExpr, child, vars)
			if len(diags) > 0 {
				return cty.NilVal, false
			}
			tup = append(tup, val)
			continue
		}
		key, diags := value(e.KeyExpr, child, vars)
		if len(diags) > 0 || !plain(key, cty.String) {
			return cty.NilVal, false
		}
		val, diags := value(e.ValExpr, child, vars)
		if len(diags) > 0 {
			return cty.NilVal, false
		}
		s := key.AsString()
		if _, dup := obj[s]; dup {
			return cty.NilVal, false
		}
		obj[s] = val
	}
	if e.KeyExpr != nil {
		return cty.ObjectVal(obj), true
	}
	return cty.TupleVal(tup), true
}

// condTypeChecks is hclsyntax's first look at the condition, with every
// variable unknown: true when it finds nothing to report.
func (e *Expr) condTypeChecks(child *hcl.EvalContext, vars map[string]cty.Value) bool {
	if e.KeyVar != "" {
		vars[e.KeyVar] = cty.DynamicVal
	}
	vars[e.ValVar] = cty.DynamicVal
	v, diags := e.CondExpr.Value(child)
	if len(diags) > 0 || v.IsNull() {
		return false
	}
	_, err := convert.Convert(v, cty.Bool)
	return err == nil
}

// plain reports whether v is a known, unmarked, non-null value of type t.
func plain(v cty.Value, t cty.Type) bool {
	return v.Type().Equals(t) && v.IsKnown() && !v.IsMarked() && !v.IsNull()
}

// value evaluates x, an expression inside the for-expression, in child,
// whose variables are vars. An iteration variable, or an attribute of
// one (`u`, `u.admin`, `u.home.dir`), is read from vars directly: it is
// the commonest body over the users, and hclsyntax's traversal copies
// each step's range to the heap (hcl's traversals allocated 0.6 MB in
// a cold evaluation of 1,000 users, most of it here). Anything else, or
// a step that is not a plain attribute of a known, unmarked, non-null
// object, is hclsyntax's to evaluate, with its diagnostics.
func value(x hclsyntax.Expression, child *hcl.EvalContext, vars map[string]cty.Value) (cty.Value, hcl.Diagnostics) {
	if t, ok := x.(*hclsyntax.ScopeTraversalExpr); ok {
		if v, ok := attrOf(t.Traversal, vars); ok {
			return v, nil
		}
	}
	return x.Value(child)
}

// attrOf reads tr, a variable of vars and attribute steps, as
// hclsyntax would, where that is plain; false where it is not.
func attrOf(tr hcl.Traversal, vars map[string]cty.Value) (cty.Value, bool) {
	root, ok := tr[0].(hcl.TraverseRoot)
	if !ok {
		return cty.NilVal, false
	}
	v, ok := vars[root.Name]
	if !ok {
		return cty.NilVal, false
	}
	for _, step := range tr[1:] {
		a, ok := step.(hcl.TraverseAttr)
		if !ok {
			return cty.NilVal, false
		}
		t := v.Type()
		if !t.IsObjectType() || !t.HasAttribute(a.Name) || v.IsNull() || !v.IsKnown() || v.IsMarked() {
			return cty.NilVal, false
		}
		v = objects.Attr(v, a.Name)
	}
	return v, true
}
