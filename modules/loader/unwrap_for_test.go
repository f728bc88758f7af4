package loader

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/gocfg/gocfg/modules/forexpr"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

var (
	expressionType = reflect.TypeFor[hclsyntax.Expression]()
	forexprType    = reflect.TypeFor[*forexpr.Expr]()
)

// unwrapFor replaces, in the tree parseFast made, each *forexpr.Expr by
// the *hclsyntax.ForExpr it holds, so that the tree can be compared with
// hclsyntax's by reflect.DeepEqual. It returns how many it replaced.
func unwrapFor(tree any) int {
	n := 0
	unwrapValue(reflect.ValueOf(tree), &n)
	return n
}

// unwrapExpr is unwrapFor for an expression, which may be one itself.
func unwrapExpr(e hclsyntax.Expression) (hclsyntax.Expression, int) {
	holder := struct{ E hclsyntax.Expression }{e}
	n := unwrapFor(&holder)
	return holder.E, n
}

func unwrapValue(v reflect.Value, n *int) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			unwrapValue(v.Elem(), n)
		}
	case reflect.Interface:
		if v.IsNil() {
			return
		}
		inner := v.Elem()
		if inner.Type() == forexprType && v.CanSet() && v.Type() == expressionType {
			fe := &inner.Interface().(*forexpr.Expr).ForExpr
			unwrapValue(reflect.ValueOf(fe), n)
			v.Set(reflect.ValueOf(hclsyntax.Expression(fe)))
			*n++
			return
		}
		unwrapValue(inner, n)
	case reflect.Struct:
		for i := range v.NumField() {
			if f := v.Field(i); f.CanSet() {
				unwrapValue(f, n)
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			unwrapValue(v.Index(i), n)
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			unwrapValue(v.MapIndex(k), n)
		}
	}
}

// countFor counts the for-expressions of hclsyntax's tree.
func countFor(n hclsyntax.Node) int {
	c := 0
	_ = hclsyntax.VisitAll(n, func(n hclsyntax.Node) hcl.Diagnostics {
		if _, ok := n.(*hclsyntax.ForExpr); ok {
			c++
		}
		return nil
	})
	return c
}

// TestParseFastMakesForexpr checks that the for-expressions that iterate
// over every user in the built-in modules get forexpr's evaluation.
func TestParseFastMakesForexpr(t *testing.T) {
	for _, name := range []string{"core/users_admin.hcl", "linux/openssh.hcl"} {
		src, err := os.ReadFile(filepath.Join("..", "builtin", "hcl", name))
		if err != nil {
			t.Fatal(err)
		}
		body, _, ok := parseFast(src, name, nil)
		if !ok {
			t.Fatalf("%s: parseFast did not take it", name)
		}
		file, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		want := countFor(file.Body.(*hclsyntax.Body))
		if got := unwrapFor(body); got != want || want == 0 {
			t.Errorf("%s: %d for-expressions made forexpr.Expr, want all %d", name, got, want)
		}
	}
}

// compactStrings replaces, in a tree, each quoted string in hclsyntax's
// form (a TemplateExpr of one literal part) by the fast parser's (a
// LiteralValueExpr over the quotes; see syntax.QuotedString), so that
// trees can be compared whichever parser made each string: parseFast
// hands some spans to hclsyntax, whose strings stay in its form.
func compactStrings(tree any) {
	compactValue(reflect.ValueOf(tree))
}

func compactValue(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			compactValue(v.Elem())
		}
	case reflect.Interface:
		if v.IsNil() {
			return
		}
		if t, ok := v.Interface().(*hclsyntax.TemplateExpr); ok && t.IsStringLiteral() && v.CanSet() && v.Type() == expressionType {
			lit := t.Parts[0].(*hclsyntax.LiteralValueExpr)
			v.Set(reflect.ValueOf(hclsyntax.Expression(&hclsyntax.LiteralValueExpr{Val: lit.Val, SrcRange: t.SrcRange})))
			return
		}
		compactValue(v.Elem())
	case reflect.Struct:
		for i := range v.NumField() {
			if f := v.Field(i); f.CanSet() {
				compactValue(f)
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			compactValue(v.Index(i))
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			compactValue(v.MapIndex(k))
		}
	}
}
