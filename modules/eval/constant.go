package eval

import (
	"github.com/gocfg/gocfg/modules/objects"
	"github.com/gocfg/gocfg/modules/schema"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// literal is constant for the expressions whose value it reads without
// allocating: a literal, a plain string, an empty list or object.
func literal(e hcl.Expression) (cty.Value, bool) {
	switch e := e.(type) {
	case *hclsyntax.LiteralValueExpr:
		return e.Val, true
	case *hclsyntax.TemplateExpr:
		return constant(e)
	case *hclsyntax.TupleConsExpr:
		if len(e.Exprs) == 0 {
			return cty.EmptyTupleVal, true
		}
	case *hclsyntax.ObjectConsExpr:
		if len(e.Items) == 0 {
			return cty.EmptyObjectVal, true
		}
	}
	return cty.NilVal, false
}

// constant computes the value of an expression made only of literals
// (numbers, plain strings, bools, null, and lists and objects of them),
// without HCL's evaluation machinery: most definitions in a dotfiles
// repository are such values, and evaluating them through hcl costs a
// reference walk and an evaluation context each.
func constant(e hcl.Expression) (cty.Value, bool) {
	switch e := e.(type) {
	case *hclsyntax.LiteralValueExpr:
		return e.Val, true
	case *hclsyntax.TemplateExpr:
		if len(e.Parts) == 1 {
			if lit, ok := e.Parts[0].(*hclsyntax.LiteralValueExpr); ok && lit.Val.Type() == cty.String {
				return lit.Val, true
			}
		}
		if len(e.Parts) == 0 {
			return cty.StringVal(""), true
		}
	case *hclsyntax.TupleConsExpr:
		if len(e.Exprs) == 0 {
			return cty.EmptyTupleVal, true
		}
		// TupleVal copies the values: a short list's are gathered on
		// the stack.
		var buf [8]cty.Value
		vals := buf[:0]
		if len(e.Exprs) > len(buf) {
			vals = make([]cty.Value, 0, len(e.Exprs))
		}
		vals = vals[:len(e.Exprs)]
		for i, x := range e.Exprs {
			v, ok := constant(x)
			if !ok {
				return cty.NilVal, false
			}
			vals[i] = v
		}
		return cty.TupleVal(vals), true
	case *hclsyntax.ObjectConsExpr:
		attrs := make(map[string]cty.Value, len(e.Items))
		for _, it := range e.Items {
			k, ok := schema.StaticKey(it.KeyExpr)
			if !ok {
				return cty.NilVal, false
			}
			v, ok := constant(it.ValueExpr)
			if !ok {
				return cty.NilVal, false
			}
			attrs[k] = v
		}
		return objects.Val(attrs), true
	}
	return cty.NilVal, false
}
