package funcs

import (
	"strings"
	"testing"

	"github.com/gocfg/gocfg/modules/render"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// evalBase evaluates the expression src with the functions every
// module has. It returns the value as HCL text, or the first error's
// detail.
func evalBase(t testing.TB, src string) (string, string) {
	t.Helper()
	expr, diags := hclsyntax.ParseExpression([]byte(src), "t.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("%s: %s", src, diags.Error())
	}
	v, diags := expr.Value(&hcl.EvalContext{Functions: Base(func(string) string { return "" })})
	if diags.HasErrors() {
		return "", diags[0].Detail
	}
	if !v.IsWhollyKnown() {
		return "(unknown)", ""
	}
	return render.Inline(v, 0), ""
}

// funcCase is an expression and what it gives: the value as HCL text,
// or (err set) words of its error.
type funcCase struct{ src, want, err string }

func checkFuncCases(t *testing.T, cases []funcCase) {
	t.Helper()
	for _, tc := range cases {
		got, err := evalBase(t, tc.src)
		switch {
		case tc.err != "" && !strings.Contains(err, tc.err):
			t.Errorf("%.80s: value %.80s, error %q; want an error with %q", tc.src, got, err, tc.err)
		case tc.err == "" && err != "":
			t.Errorf("%.80s: %s", tc.src, err)
		case tc.err == "" && got != tc.want:
			t.Errorf("%.80s = %.80s, want %s", tc.src, got, tc.want)
		}
	}
}
