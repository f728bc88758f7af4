package modules_test

import (
	"strings"
	"testing"
)

// TestElementErrorAt: a value of the wrong type inside a list or an
// object is named with its index in brackets (ports[1], not ports."1")
// and shown at the element or member as written, through nested list
// and object constructors; a computed value is shown whole.
func TestElementErrorAt(t *testing.T) {
	const decls = `
option "ports" {
  type = list_of(int)
}
option "hosts" {
  type = attrs_of(submodule({ listen = { type = list_of(str) } }))
}
option "things" {
  type = list_of(submodule({ port = { type = int } }))
}
`
	for _, tc := range []struct {
		name, src   string
		summary, at string // the error's summary and the source its range covers
	}{
		{"a list element", `ports = [22, "x"]`, "Invalid value for ports[1]", `"x"`},
		{"an element in parentheses", `ports = ([22, ("x")])`, "Invalid value for ports[1]", `("x")`},
		{"through an object and a block", `hosts = { a = { listen = [80, ["x"]] } }`, "Invalid value for hosts.a.listen[0]", `80`},
		{"a quoted key", `hosts = { "b.c" = { listen = ["ok", 1] } }`, `Invalid value for hosts."b.c".listen[1]`, `1`},
		{"a submodule in a list", `things = [{ port = 1 }, { port = "x" }]`, "Invalid value for things[1].port", `"x"`},
		{"a computed list", `ports = concat([1], ["x"])`, "Invalid value for ports[1]", `concat([1], ["x"])`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := decls + tc.src + "\n"
			dir := writeFiles(t, map[string]string{"default.hcl": src})
			_, diags := evalJSON(t, dir, "", false)
			if len(diags) != 1 {
				t.Fatalf("diagnostics:\n%s\nwant one", diagList(diags))
			}
			d := diags[0]
			if d.Summary != tc.summary {
				t.Errorf("summary %q, want %q", d.Summary, tc.summary)
			}
			if d.Subject == nil {
				t.Fatalf("no range: %s", diagList(diags))
			}
			if got := src[d.Subject.Start.Byte:d.Subject.End.Byte]; got != tc.at {
				t.Errorf("at %q, want %q", got, tc.at)
			}
			if !strings.Contains(d.Detail, tc.summary[len("Invalid value for "):]) {
				t.Errorf("detail %q does not name %s", d.Detail, tc.summary)
			}
		})
	}
}
