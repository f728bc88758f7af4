package modules_test

import (
	"strings"
	"testing"
)

// TestDiagnosticsSameEveryRun evaluates configurations whose errors the
// evaluator could meet in map order: the members of a submodule given
// as one object (each checked, and its default computed, in turn) and
// a module's locals read whole (`local`). Twenty evaluations report the
// same diagnostics in the same order: by the members' and the locals'
// names.
func TestDiagnosticsSameEveryRun(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      []string // the start of each diagnostic's line
	}{
		{"a submodule given as one object", `
option "things" {
  type = list_of(submodule({
    a = { type = int }
    b = { type = int }
    c = { type = int }
    d = { type = int }
    e = { type = int }
  }))
}
things = [{ a = 1, b = "x", c = 3, d = "y", e = "z" }]
`, []string{`Invalid value for things[0].b`}},
		{"a module's locals read whole", `
locals {
  a = 1 + "x"
  b = 2 + "y"
  c = 3 + "z"
  d = 4
}
option "o" {
  type = anything
}
o = local
`, []string{"Invalid operand", "Invalid operand", "Invalid operand"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeFiles(t, map[string]string{"default.hcl": tc.src})
			var first string
			for i := range 20 {
				_, diags := evalJSON(t, dir, "", false)
				got := diagList(diags)
				if i == 0 {
					first = got
					lines := strings.Split(strings.TrimSpace(got), "\n")
					if len(lines) != len(tc.want) {
						t.Fatalf("diagnostics:\n%s\nwant %d", got, len(tc.want))
					}
					for j, w := range tc.want {
						if !strings.Contains(lines[j], w) {
							t.Errorf("diagnostic %d: %s\nwant %s", j, lines[j], w)
						}
					}
					continue
				}
				if got != first {
					t.Fatalf("evaluation %d reported\n%s\nthe first\n%s", i, got, first)
				}
			}
		})
	}
}
