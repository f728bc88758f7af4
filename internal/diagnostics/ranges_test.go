package diagnostics

import (
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// TestRangesAsLocations: the ranges HCL writes into its own details (an
// attribute set twice) are shown as file:line:column, relative to the
// working folder, as every other location (tester U).
func TestRangesAsLocations(t *testing.T) {
	src := []byte("networking {\n  host_name = \"a\"\n  host_name = \"b\"\n}\n")
	_, diags := hclsyntax.ParseConfig(src, "/w/cfg/default.hcl", hcl.Pos{Line: 1, Column: 1})
	if len(diags) != 1 {
		t.Fatalf("want HCL's one 'Attribute redefined', got %v", diags)
	}
	w := &Writer{RelTo: "/w"}
	got := w.rangesAsLocations(diags[0].Detail)
	want := `The argument "host_name" was already set at cfg/default.hcl:2:3. Each argument may be set only once.`
	if got != want {
		t.Errorf("detail = %q, want %q (HCL wrote %q)", got, want, diags[0].Detail)
	}
	for in, want := range map[string]string{
		"set at /w/a.hcl:2,3-4,7 and /elsewhere/b.hcl:10,1-5.": "set at a.hcl:2:3 and /elsewhere/b.hcl:10:1.",
		"a number, 1,2-3 apart":                                "a number, 1,2-3 apart",
		"no range here":                                        "no range here",
		"in /srv/x:y/default.hcl:2,3-12.":                      "in /srv/x:y/default.hcl:2,3-12.",
		"at /w/a b/default.hcl:2,3-12.":                        "at /w/a b/default.hcl:2,3-12.",
	} {
		if got := w.rangesAsLocations(in); got != want {
			t.Errorf("rangesAsLocations(%q) = %q, want %q", in, got, want)
		}
	}
}
