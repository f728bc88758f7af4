package syntax

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// QuotedString returns the text of e when e is a quoted string without
// interpolation. Such a string takes two forms in a module's tree:
// hclsyntax's, a TemplateExpr of one literal part (200 bytes with the
// part), and the loader's fast parser's, a LiteralValueExpr of the
// string whose range covers the quotes, as the template's does (96
// bytes; a configuration is mostly such strings). hclsyntax itself
// makes a LiteralValueExpr of a string only as a part of a template, so
// either form here is a quoted string; what must tell a quoted string
// from other syntax asks this.
func QuotedString(e hcl.Expression) (string, bool) {
	v, ok := QuotedValue(e)
	if !ok {
		return "", false
	}
	return v.AsString(), true
}

// QuotedValue is QuotedString's text as the string value the syntax
// holds (no copy is made).
func QuotedValue(e hcl.Expression) (cty.Value, bool) {
	var v cty.Value
	switch e := e.(type) {
	case *hclsyntax.LiteralValueExpr:
		v = e.Val
	case *hclsyntax.TemplateExpr:
		if !e.IsStringLiteral() {
			return cty.NilVal, false
		}
		v = e.Parts[0].(*hclsyntax.LiteralValueExpr).Val
	default:
		return cty.NilVal, false
	}
	if v.Type() != cty.String || !v.IsKnown() || v.IsNull() {
		return cty.NilVal, false
	}
	return v, true
}
