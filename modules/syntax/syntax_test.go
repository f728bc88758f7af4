package syntax

import (
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// parse converts hclsyntax's tree of src.
func parse(t *testing.T, src string) (*Body, *hclsyntax.Body) {
	t.Helper()
	f, diags := hclsyntax.ParseConfig([]byte(src), "m.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	hb := f.Body.(*hclsyntax.Body)
	return FromHCL(hb), hb
}

// TestItemsInSourceOrder: attributes and blocks come in the order they
// are written, however they interleave (hclsyntax keeps attributes in a
// map).
func TestItemsInSourceOrder(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"", ""},
		{"a = 1\n", "a"},
		{"x {\n}\n", "x{}"},
		{"a = 1\nx {\n}\nb = 2\ny {\n}\nz {\n}\nc = 3\n", "a x{} b y{} z{} c"},
		{"m {\n}\nz = 1\ny = 2\nx = 3\nn {\n}\n", "m{} z y x n{}"},
	} {
		b, _ := parse(t, tc.src)
		got := ""
		for _, it := range b.AppendItems(nil) {
			if got != "" {
				got += " "
			}
			if it.Attr != nil {
				got += it.Attr.Name
			} else {
				got += it.Block.Type + "{}"
			}
		}
		if got != tc.want {
			t.Errorf("%q: items %q, want %q", tc.src, got, tc.want)
		}
	}
}

// TestRangesAsHCL: the ranges a Body gives are hclsyntax's.
func TestRangesAsHCL(t *testing.T) {
	src := "top = 1\nplain {\n  a = \"x\"\n}\nlabelled \"one\" two {\n  inner \"é\" {\n    b = 2\n  }\n}\n"
	b, hb := parse(t, src)
	if a := b.Attr("top"); a == nil || a.NameRange("m.hcl") != hb.Attributes["top"].NameRange {
		t.Errorf("top's name range %v, want %v", a, hb.Attributes["top"].NameRange)
	}
	if b.Attr("missing") != nil {
		t.Errorf("Attr of a name not set is not nil")
	}
	var walk func(got *Body, want *hclsyntax.Body)
	walk = func(got *Body, want *hclsyntax.Body) {
		if len(got.Blocks) != len(want.Blocks) || len(got.Attrs) != len(want.Attributes) {
			t.Fatalf("%d blocks and %d attributes, want %d and %d", len(got.Blocks), len(got.Attrs), len(want.Blocks), len(want.Attributes))
		}
		for i := range got.Attrs {
			g := &got.Attrs[i]
			if w := want.Attributes[g.Name]; w == nil || g.NameRange("m.hcl") != w.NameRange || g.Expr != w.Expr {
				t.Errorf("attribute %s differs from hclsyntax's", g.Name)
			}
		}
		for i := range got.Blocks {
			g, w := &got.Blocks[i], want.Blocks[i]
			for _, c := range []struct {
				what      string
				got, want hcl.Range
			}{
				{"type", g.TypeRange("m.hcl"), w.TypeRange},
				{"whole", g.Range("m.hcl"), w.Range()},
				{"definition", g.DefRange("m.hcl"), w.DefRange()},
			} {
				if c.got != c.want {
					t.Errorf("block %s: %s range %v, want %v", g.Type, c.what, c.got, c.want)
				}
			}
			for j := range g.Labels {
				if g.Labels[j] != w.Labels[j] || g.LabelRange(j, "m.hcl") != w.LabelRanges[j] {
					t.Errorf("block %s: label %d %q at %v, want %q at %v", g.Type, j, g.Labels[j], g.LabelRange(j, "m.hcl"), w.Labels[j], w.LabelRanges[j])
				}
			}
			walk(&g.Body, w.Body)
		}
	}
	walk(b, hb)
}

func TestQuotedString(t *testing.T) {
	lit := func(v cty.Value) *hclsyntax.LiteralValueExpr { return &hclsyntax.LiteralValueExpr{Val: v} }
	for _, tc := range []struct {
		name string
		e    hcl.Expression
		want string
		ok   bool
	}{
		{"fast parser's form", lit(cty.StringVal("a b")), "a b", true},
		{"hclsyntax's form", &hclsyntax.TemplateExpr{Parts: []hclsyntax.Expression{lit(cty.StringVal("a b"))}}, "a b", true},
		{"empty", lit(cty.StringVal("")), "", true},
		{"number", lit(cty.NumberIntVal(1)), "", false},
		{"null", lit(cty.NullVal(cty.String)), "", false},
		{"interpolation", &hclsyntax.TemplateExpr{Parts: []hclsyntax.Expression{lit(cty.StringVal("a")), &hclsyntax.ScopeTraversalExpr{Traversal: hcl.Traversal{hcl.TraverseRoot{Name: "x"}}}}}, "", false},
		{"variable", &hclsyntax.ScopeTraversalExpr{Traversal: hcl.Traversal{hcl.TraverseRoot{Name: "x"}}}, "", false},
	} {
		got, ok := QuotedString(tc.e)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s: %q %v, want %q %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}
