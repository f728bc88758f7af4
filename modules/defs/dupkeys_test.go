package defs

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/modules/loader"
	"github.com/gocfg/gocfg/modules/loader/loadertest"
	"github.com/gocfg/gocfg/modules/schema"
	"github.com/gocfg/gocfg/modules/syntax"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// lines writes format once for each of 0 to 7, a line each.
func lines(format string) string {
	var b strings.Builder
	for i := range 8 {
		fmt.Fprintf(&b, format+"\n", i, i)
	}
	return b.String()
}

// TestDiagnosticsInSourceOrder: what is found walking the attributes of
// a body (a map, walked in no set order) is reported in the order it
// stands in the module, every time: keys named twice in the objects of
// several attributes, locals defined twice, attributes an assert block
// does not take.
func TestDiagnosticsInSourceOrder(t *testing.T) {
	for _, tc := range []struct {
		name, src, summary string
		first              int // the line of the first diagnostic
	}{
		{"duplicate keys", lines(`p%d = { k = 1, k = %d }`) + lines(`option "p%[1]d" { type = anything }`), "Duplicate key", 1},
		{"duplicate locals", "locals {\n" + lines("  l%d = %d") + "}\nlocals {\n" + lines("  l%d = %d") + "}\n", "Duplicate local value", 12},
		{"attributes of an assert block", "assert {\n  condition = true\n  message = \"m\"\n" + lines("  x%d = %d") + "}\n", "Unsupported attribute", 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			set, tree := load(t, tc.src)
			for range 20 {
				_, diags := Collect(set, tree)
				if len(diags) != 8 {
					t.Fatalf("%d diagnostics, want 8: %v", len(diags), diags)
				}
				for i, d := range diags {
					if d.Summary != tc.summary || d.Subject.Start.Line != tc.first+i {
						t.Fatalf("diagnostic %d: %s at line %d, want %s at line %d", i, d.Summary, d.Subject.Start.Line, tc.summary, tc.first+i)
					}
				}
			}
		})
	}
}

// TestBlockVariablesInSourceOrder: a block used as a value lists what
// its attributes and nested blocks read in the order they stand.
func TestBlockVariablesInSourceOrder(t *testing.T) {
	src := "x {\n" + lines("  a%d = config.v%d") + "  inner {\n    b = config.w\n  }\n  c = config.z\n}\n"
	f, diags := hclsyntax.ParseConfig([]byte(src), "x.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	b := &BlockExpr{Body: &syntax.FromHCL(f.Body.(*hclsyntax.Body)).Blocks[0].Body}
	want := lines("v%[1]d") + "w\nz\n"
	for range 20 {
		var got strings.Builder
		for _, tr := range b.Variables() {
			got.WriteString(tr[1].(hcl.TraverseAttr).Name + "\n")
		}
		if got.String() != want {
			t.Fatalf("read in the order\n%s\nwant\n%s", got.String(), want)
		}
	}
}

// load loads src as the only module, without the built-in ones, and
// declares its options.
func load(t *testing.T, src string) (*loader.Set, *schema.Tree) {
	t.Helper()
	set := loadertest.Source(t, src)
	tree, diags := schema.Declare(set)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return set, tree
}
