package funcs

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// evalWith evaluates src with join as the given function, as a module
// expression would be (HCL converts arguments to parameter types).
func evalWith(t testing.TB, join function.Function, src string, vars map[string]cty.Value) (cty.Value, hcl.Diagnostics) {
	t.Helper()
	expr, diags := hclsyntax.ParseExpression([]byte(src), "t.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("%s: %s", src, diags.Error())
	}
	ctx := &hcl.EvalContext{
		Variables: vars,
		Functions: map[string]function.Function{"join": join, "setunion": stdlib.SetUnionFunc},
	}
	return expr.Value(ctx)
}

// TestJoinAsGoCty: our join gives go-cty's results and errors.
func TestJoinAsGoCty(t *testing.T) {
	vars := map[string]cty.Value{
		"strs":     cty.ListVal([]cty.Value{cty.StringVal("a"), cty.StringVal("b")}),
		"nums":     cty.ListVal([]cty.Value{cty.NumberIntVal(1), cty.NumberIntVal(2)}),
		"empty":    cty.ListValEmpty(cty.String),
		"unknown":  cty.UnknownVal(cty.List(cty.String)),
		"partly":   cty.ListVal([]cty.Value{cty.StringVal("a"), cty.UnknownVal(cty.String)}),
		"nulls":    cty.ListVal([]cty.Value{cty.StringVal("a"), cty.NullVal(cty.String)}),
		"nulllist": cty.NullVal(cty.List(cty.String)),
		"dyn":      cty.DynamicVal,
		"tuple":    cty.TupleVal([]cty.Value{cty.StringVal("x"), cty.True, cty.NumberFloatVal(1.5)}),
		"map":      cty.MapVal(map[string]cty.Value{"k": cty.StringVal("v")}),
		"obj":      cty.ObjectVal(map[string]cty.Value{"k": cty.StringVal("v")}),
		"set":      cty.SetVal([]cty.Value{cty.StringVal("b"), cty.StringVal("a")}),
	}
	tests := []string{
		`join(",", ["a", "b", "c"])`,
		`join("", ["a", "b"])`,
		`join(", ", [])`,
		`join(",", ["only"])`,
		`join("-", ["a"], [], ["b", "c"])`,
		`join(",", [1, true, "x", 2.5])`,
		`join(",", strs, nums)`,
		`join(",", empty)`,
		`join(",", tuple)`,
		`join(",", set)`,
		`join(",", setunion(set, ["c"]))`,
		`join("→", ["é", "e\u0301"])`,
		// Unknown: the result is an unknown string.
		`join(",", unknown)`,
		`join(",", partly)`,
		`join(",", ["a", dyn])`,
		`join(",", dyn)`,
		`join(",", ["a", null], partly)`,
		// Errors.
		`join(",")`,
		`join(",", ["a", null])`,
		`join(",", ["a"], ["b", null])`,
		`join(",", nulls)`,
		`join(",", null)`,
		`join(",", nulllist)`,
		`join(",", [["a"]])`,
		`join(",", ["a", {b = 1}])`,
		`join(",", map)`,
		`join(",", obj)`,
		`join(",", "a")`,
		`join(",", 1)`,
		`join(null, ["a"])`,
		`join(["x"], ["a"])`,
	}
	for _, src := range tests {
		want, wantDiags := evalWith(t, stdlib.JoinFunc, src, vars)
		got, gotDiags := evalWith(t, joinFunc, src, vars)
		if !got.RawEquals(want) {
			t.Errorf("%s = %#v, want %#v", src, got, want)
		}
		if g, w := diagText(gotDiags), diagText(wantDiags); g != w {
			t.Errorf("%s:\n got %s\nwant %s", src, g, w)
		}
	}
}

func diagText(diags hcl.Diagnostics) string {
	var parts []string
	for _, d := range diags {
		parts = append(parts, fmt.Sprintf("%s: %s; %s", d.Subject, d.Summary, d.Detail))
	}
	return strings.Join(parts, " | ")
}

// bigList is a module's list literal of n strings.
func bigList(n int) string {
	var b strings.Builder
	b.WriteString("[")
	for i := range n {
		fmt.Fprintf(&b, "%q,", fmt.Sprint(i))
	}
	b.WriteString("]")
	return b.String()
}

// TestJoinLarge joins 200,000 elements written in a module, which went
// through go-cty's quadratic tuple conversion and took minutes; it now
// takes milliseconds.
func TestJoinLarge(t *testing.T) {
	const n = 200000
	v, diags := evalWith(t, joinFunc, `join(",", `+bigList(n)+`, ["end"])`, nil)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	s := v.AsString()
	if parts := strings.Split(s, ","); len(parts) != n+1 || parts[0] != "0" || parts[n-1] != fmt.Sprint(n-1) || parts[n] != "end" {
		t.Errorf("join of %d elements: %d parts, %.40q...", n, len(parts), s)
	}
}

// BenchmarkJoin joins a list literal of 160,000 strings; the time per
// element stays the same as the list grows.
func BenchmarkJoin(b *testing.B) {
	for _, n := range []int{1000, 10000, 160000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			expr, diags := hclsyntax.ParseExpression([]byte(`join(",", `+bigList(n)+`)`), "b.hcl", hcl.InitialPos)
			if diags.HasErrors() {
				b.Fatal(diags.Error())
			}
			ctx := &hcl.EvalContext{Functions: map[string]function.Function{"join": joinFunc}}
			b.ResetTimer()
			for b.Loop() {
				if _, diags := expr.Value(ctx); diags.HasErrors() {
					b.Fatal(diags.Error())
				}
			}
		})
	}
}
