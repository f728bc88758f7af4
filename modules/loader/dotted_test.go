package loader

import (
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// TestDottedNames: the parser's error at a dotted option path says how
// HCL writes it, at the whole name; other errors stay as they are.
func TestDottedNames(t *testing.T) {
	for _, tc := range []struct {
		src, at, detail string // detail "" keeps the parser's error
	}{
		{"services.openssh.enable = true\n", "services.openssh.enable",
			"Write services.openssh.enable as one object, services = { openssh = { enable = … } }, or as nested blocks, each on lines of its own (a block on one line holds one attribute, no block):\nservices {\n  openssh {\n    enable = …\n  }\n}\n"},
		{"a {\n  b.c   = 1\n}\n", "b.c", "one object, b = { c = … }, or as nested blocks, each on lines of its own (a block on one line holds one attribute, no block):\nb {\n  c = …\n}\n"},
		{`macos.defaults."com.apple.dock".autohide = true` + "\n", `macos.defaults."com.apple.dock".autohide`,
			"one object, macos = { defaults = { \"com.apple.dock\" = { autohide = … } } }, or as nested blocks, each on lines of its own (a block on one line holds one attribute, no block):\nmacos {\n  defaults \"com.apple.dock\" {\n    autohide = …\n  }\n}\n"},
		{`x."a.b" = 1` + "\n", `x."a.b"`, `Write x."a.b" as one object, x = { "a.b" = … }`},
		{"a.b == 1\n", "", ""},
		{"a.b\n", "", ""},
		{"foo bar baz\n", "", ""},
	} {
		_, diags := hclsyntax.ParseConfig([]byte(tc.src), "m.hcl", hcl.InitialPos)
		if !diags.HasErrors() {
			t.Fatalf("%q parses", tc.src)
		}
		before := diags[0].Summary
		dottedNames(diags, []byte(tc.src))
		d := diags[0]
		if tc.detail == "" {
			if d.Summary != before || strings.Contains(d.Detail, "dotted") {
				t.Errorf("%q: %s: %s, want the parser's error", tc.src, d.Summary, d.Detail)
			}
			continue
		}
		if d.Summary != "Option paths are not written with dots" || !strings.Contains(d.Detail, tc.detail) {
			t.Errorf("%q: %s: %s\nwant detail with %s", tc.src, d.Summary, d.Detail, tc.detail)
		}
		if got := tc.src[d.Subject.Start.Byte:d.Subject.End.Byte]; got != tc.at {
			t.Errorf("%q: at %q, want %q", tc.src, got, tc.at)
		}
	}
}
