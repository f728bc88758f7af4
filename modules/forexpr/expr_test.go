package forexpr_test

import (
	"fmt"
	"testing"

	"github.com/gocfg/gocfg/modules/forexpr"
	"github.com/gocfg/gocfg/modules/funcs"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// evalContext is what the cases evaluate in: collections of every kind,
// values that are null, unknown or marked, and gocfg's functions.
func evalContext() *hcl.EvalContext {
	user := func(admin bool, keys ...string) cty.Value {
		k := cty.ListValEmpty(cty.String)
		if len(keys) > 0 {
			vs := make([]cty.Value, len(keys))
			for i, s := range keys {
				vs[i] = cty.StringVal(s)
			}
			k = cty.ListVal(vs)
		}
		return cty.ObjectVal(map[string]cty.Value{"admin": cty.BoolVal(admin), "keys": k})
	}
	list := cty.ListVal([]cty.Value{cty.StringVal("a"), cty.StringVal("b"), cty.StringVal("c")})
	return &hcl.EvalContext{
		Variables: map[string]cty.Value{
			"users": cty.ObjectVal(map[string]cty.Value{
				"alice": user(true, "ssh-ed25519 A"),
				"bob":   user(false),
				"carol": user(true),
			}),
			"list":   list,
			"dup":    cty.ListVal([]cty.Value{cty.StringVal("a"), cty.StringVal("a")}),
			"set":    cty.SetVal([]cty.Value{cty.StringVal("y"), cty.StringVal("x")}),
			"map":    cty.MapVal(map[string]cty.Value{"k2": cty.NumberIntVal(2), "k1": cty.NumberIntVal(1)}),
			"tuple":  cty.TupleVal([]cty.Value{cty.StringVal("a"), cty.NumberIntVal(1), cty.True}),
			"empty":  cty.EmptyObjectVal,
			"none":   cty.NullVal(cty.List(cty.String)),
			"unk":    cty.UnknownVal(cty.List(cty.String)),
			"dyn":    cty.DynamicVal,
			"secret": cty.ListVal([]cty.Value{cty.StringVal("s")}).Mark("sensitive"),
			"yes":    cty.True.Mark("sensitive"),
			"unkattr": cty.ObjectVal(map[string]cty.Value{
				"dave": cty.ObjectVal(map[string]cty.Value{"admin": cty.UnknownVal(cty.Bool), "keys": cty.ListValEmpty(cty.String)}),
			}),
			"unkstr": cty.UnknownVal(cty.String),
			"nested": cty.ObjectVal(map[string]cty.Value{
				"a": cty.ObjectVal(map[string]cty.Value{"inner": cty.ObjectVal(map[string]cty.Value{"deep": cty.StringVal("x")})}),
				"b": cty.ObjectVal(map[string]cty.Value{"inner": cty.ObjectVal(map[string]cty.Value{"deep": cty.StringVal("y")})}),
			}),
			"odd": cty.TupleVal([]cty.Value{
				user(true),
				cty.NullVal(cty.Object(map[string]cty.Type{"admin": cty.Bool, "keys": cty.List(cty.String)})),
			}),
			"markedusers": cty.TupleVal([]cty.Value{user(true).Mark("sensitive"), user(false)}),
			"unkuser":     cty.TupleVal([]cty.Value{cty.UnknownVal(cty.Object(map[string]cty.Type{"admin": cty.Bool}))}),
			"five":        cty.NumberIntVal(5),
		},
		Functions: funcs.Base(func(string) string { return "" }),
	}
}

// TestValueAsHCLSyntax evaluates each case with Expr and with
// hclsyntax's ForExpr in the same context: the same value (marks and
// types included) and the same diagnostics, and the way Expr took.
func TestValueAsHCLSyntax(t *testing.T) {
	for _, c := range []struct {
		src      string
		ordinary bool // computed by Expr itself, not handed to hclsyntax
	}{
		{`[for k, u in users : k if u.admin]`, true},
		{`{for k, u in users : k => u.keys if length(u.keys) > 0}`, true},
		{`{for k, u in users : k => { admin = u.admin }}`, true},
		{`[for x in list : upper(x)]`, true},
		{`{for i, x in list : x => i}`, true},
		{`[for i, x in list : i]`, true},
		{`{for x in list : x => x if x != "b"}`, true},
		{`[for x in list : [for y in list : "${x}${y}"]]`, true},
		{`[for x in set : x]`, true},
		{`{for k, v in map : k => v + 1}`, true},
		{`[for v in tuple : v]`, true},
		{`[for k, v in empty : k]`, true},
		{`{for k, v in empty : k => v}`, true},
		{`[for x in list : unkstr]`, true},
		{`[for x in list : secret]`, true},
		// An iteration variable's attributes, read without hclsyntax's
		// traversal where they are plain.
		{`[for k, u in users : u.keys]`, true},
		{`[for k, u in users : u]`, true},
		{`{for k, v in nested : k => v.inner.deep}`, true},
		{`{for k, v in nested : v.inner.deep => k}`, true},
		{`[for k, v in nested : k if v.inner.deep == "x"]`, true},
		{`[for u in markedusers : u.admin]`, true}, // hclsyntax reads the marked one
		{`[for u in unkuser : u.admin]`, true},     // and the unknown one
		{`[for u in users : u.keys[0]]`, false},    // an index: hclsyntax's, an error for bob
		{`[for k, u in users : u.nosuch]`, false},  // no such attribute
		{`[for u in odd : u.admin]`, false},        // an attribute of null
		{`[for x in list : x.y]`, false},           // an attribute of a string
		// Out of the ordinary: hclsyntax's answer.
		{`{for i, x in list : i => x}`, false},                  // a number for a key: converted
		{`{for x in dup : x => 1}`, false},                      // two items with one key
		{`{for x in dup : x => 1...}`, false},                   // grouping
		{`[for x in none : x]`, false},                          // null collection
		{`[for x in unk : x]`, false},                           // unknown collection
		{`[for x in dyn : x]`, false},                           // of no type yet
		{`[for x in secret : x]`, false},                        // marked collection
		{`[for x in five : x]`, false},                          // not iterable
		{`[for x in list : x if "true"]`, false},                // a string for a condition: converted
		{`[for x in list : x if null]`, false},                  // a null condition
		{`[for x in list : x if x]`, false},                     // a condition that is no bool
		{`[for k, v in empty : k if null]`, false},              // null, as hclsyntax's first look finds
		{`[for k, v in empty : k if "maybe"]`, false},           // no bool, likewise
		{`[for x in list : x if yes]`, false},                   // a marked condition
		{`[for k, u in unkattr : k if u.admin]`, false},         // an unknown condition
		{`{for x in list : unkstr => x}`, false},                // an unknown key
		{`{for x in list : (x == "a" ? null : x) => x}`, false}, // a null key
		{`[for x in list : nosuch]`, false},                     // an error in the value
		{`{for x in list : x => nosuch}`, false},                // an error in an object's value
		{`[for x in list : x if nosuch]`, false},                // an error in the condition
		{`[for x in nosuch : x]`, false},                        // an error in the collection
	} {
		t.Run(c.src, func(t *testing.T) {
			parsed, diags := hclsyntax.ParseExpression([]byte(c.src), "t.hcl", hcl.InitialPos)
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			fe, ok := parsed.(*hclsyntax.ForExpr)
			if !ok {
				t.Fatalf("parsed a %T, not a for-expression", parsed)
			}
			e := &forexpr.Expr{ForExpr: *fe}
			ctx := evalContext()
			want, wantDiags := fe.Value(ctx)
			got, gotDiags := e.Value(ctx)
			if !got.RawEquals(want) {
				t.Errorf("value %#v, want hclsyntax's %#v", got, want)
			}
			if g, w := describe(gotDiags), describe(wantDiags); g != w {
				t.Errorf("diagnostics\n%s\nwant hclsyntax's\n%s", g, w)
			}
			if _, ok := forexpr.Ordinary(e, ctx); ok != c.ordinary {
				t.Errorf("computed by Expr itself: %v, want %v", ok, c.ordinary)
			}
		})
	}
}

// describe writes what a user is shown of diagnostics.
func describe(diags hcl.Diagnostics) string {
	s := ""
	for _, d := range diags {
		s += fmt.Sprintf("%d %s: %s (%v)\n", d.Severity, d.Summary, d.Detail, d.Subject)
	}
	return s
}

// TestExprIsAnHCLSyntaxNode checks what hclsyntax does with the node
// besides evaluating it: its variables (the for's own names are not
// among them) and its walk.
func TestExprIsAnHCLSyntaxNode(t *testing.T) {
	parsed, diags := hclsyntax.ParseExpression([]byte(`[for k, u in users : k if u.admin && other]`), "t.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	var e hclsyntax.Expression = &forexpr.Expr{ForExpr: *parsed.(*hclsyntax.ForExpr)}
	var roots []string
	for _, tr := range e.Variables() {
		roots = append(roots, tr.RootName())
	}
	if fmt.Sprint(roots) != "[users other]" {
		t.Errorf("Variables: %v, want [users other]", roots)
	}
	visited := 0
	_ = hclsyntax.VisitAll(e, func(hclsyntax.Node) hcl.Diagnostics { visited++; return nil })
	if visited < 5 {
		t.Errorf("VisitAll visited %d nodes, want the for-expression and its parts", visited)
	}
}

// TestAttrOf: what the for-expression reads itself of an iteration
// variable, and what it leaves to hclsyntax.
func TestAttrOf(t *testing.T) {
	u := cty.ObjectVal(map[string]cty.Value{
		"admin": cty.True,
		"home":  cty.ObjectVal(map[string]cty.Value{"dir": cty.StringVal("/home/u")}),
	})
	vars := map[string]cty.Value{
		"u":      u,
		"marked": u.Mark("sensitive"),
		"null":   cty.NullVal(u.Type()),
		"unk":    cty.UnknownVal(u.Type()),
		"m":      cty.MapVal(map[string]cty.Value{"admin": cty.True}),
	}
	for _, c := range []struct {
		src  string
		want cty.Value // NilVal: left to hclsyntax
	}{
		{"u", u},
		{"u.admin", cty.True},
		{"u.home.dir", cty.StringVal("/home/u")},
		{"marked", u.Mark("sensitive")},
		{"u.nosuch", cty.NilVal},
		{"u.admin.x", cty.NilVal},
		{"marked.admin", cty.NilVal},
		{"null.admin", cty.NilVal},
		{"unk.admin", cty.NilVal},
		{"m.admin", cty.NilVal}, // a map: hclsyntax indexes it
		{`u["admin"]`, cty.NilVal},
		{"other.admin", cty.NilVal}, // not an iteration variable
	} {
		tr, diags := hclsyntax.ParseTraversalAbs([]byte(c.src), "t.hcl", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		got, ok := forexpr.AttrOf(tr, vars)
		if ok != (c.want != cty.NilVal) || (ok && !got.RawEquals(c.want)) {
			t.Errorf("%s: %#v %v, want %#v", c.src, got, ok, c.want)
		}
	}
}
