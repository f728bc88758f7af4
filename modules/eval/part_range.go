package eval

import (
	"github.com/gocfg/gocfg/modules/defs"
	"github.com/gocfg/gocfg/modules/optpath"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// partRange is where the part at p of d's value is written: the
// element of a list or the member of an object that p names below
// d.Path, followed down through the list and object constructors of d's
// expression as far as they go (listen = [80, "x"] points at 80 for
// listen[0]); d's whole range when p is not below d.Path or the value
// is computed.
func partRange(d *defs.Def, p optpath.Path) hcl.Range {
	rng := d.Range()
	if d.Expr == nil || len(p) <= len(d.Path) {
		return rng
	}
	expr := d.Expr
	for _, seg := range p[len(d.Path):] {
		if next := member(expr, seg); next != nil {
			expr = next
			rng = next.Range()
			continue
		}
		break
	}
	return rng
}

// member is the expression of seg (an optpath.Index or a key) in expr
// when expr is a list or object constructor that writes it literally;
// nil otherwise.
func member(expr hcl.Expression, seg string) hcl.Expression {
	for {
		pe, ok := expr.(*hclsyntax.ParenthesesExpr)
		if !ok {
			break
		}
		expr = pe.Expression
	}
	switch x := expr.(type) {
	case *hclsyntax.TupleConsExpr:
		if i, ok := optpath.IndexOf(seg); ok && i < len(x.Exprs) {
			return x.Exprs[i]
		}
	case *hclsyntax.ObjectConsExpr:
		for _, item := range x.Items {
			if key, ok := literalKey(item.KeyExpr); ok && key == seg {
				return item.ValueExpr
			}
		}
	}
	return nil
}

// literalKey is an object constructor's key written as a name or a
// literal string.
func literalKey(k hcl.Expression) (string, bool) {
	if ke, isKey := k.(*hclsyntax.ObjectConsKeyExpr); isKey {
		if name := hcl.ExprAsKeyword(ke.Wrapped); name != "" && !ke.ForceNonLiteral {
			return name, true
		}
		k = ke.Wrapped
	}
	if t, ok := k.(*hclsyntax.TemplateExpr); ok && t.IsStringLiteral() {
		v, diags := t.Value(nil)
		if !diags.HasErrors() {
			return v.AsString(), true
		}
	}
	if l, ok := k.(*hclsyntax.LiteralValueExpr); ok && l.Val.Type() == cty.String {
		return l.Val.AsString(), true
	}
	return "", false
}
