package eval

import (
	"testing"

	"github.com/gocfg/gocfg/modules/optpath"
	"github.com/gocfg/gocfg/modules/schema"
	"github.com/zclconf/go-cty/cty"
)

// TestQuoteHint: a number where a string is wanted is told to be
// quoted; a mode, to be written in octal with its leading zero (tester
// U: mode = 644 said only "not a number").
func TestQuoteHint(t *testing.T) {
	for _, tt := range []struct {
		v    cty.Value
		p    optpath.Path
		want string
	}{
		{cty.NumberIntVal(644), optpath.Path{"home", "alice", "files", ".x", "mode"}, "\nhint: write a mode as a string in octal: mode = \"0644\""},
		{cty.NumberIntVal(600), optpath.Path{"environment", "etc", "x", "mode"}, "\nhint: write a mode as a string in octal: mode = \"0600\""},
		{cty.NumberIntVal(42), optpath.Path{"networking", "host_name"}, "\nhint: write it quoted: \"42\""},
		{cty.NumberFloatVal(1.5), optpath.Path{"x"}, "\nhint: write it quoted: \"1.5\""},
		{cty.True, optpath.Path{"x"}, ""},
		{cty.NumberIntVal(1), nil, ""},
	} {
		if got := quoteHint(tt.v, tt.p); got != tt.want {
			t.Errorf("quoteHint(%#v, %v) = %q, want %q", tt.v, tt.p, got, tt.want)
		}
	}
}

// TestListOfOneHint: a single value where a list of such values is
// wanted is shown as a list of one (tester BC: home-manager's
// identityFile takes a string or a list; gocfg's identity_file a list).
func TestListOfOneHint(t *testing.T) {
	str, num, boolean := &schema.Type{Kind: schema.Str}, &schema.Type{Kind: schema.Int}, &schema.Type{Kind: schema.Bool}
	for _, tt := range []struct {
		elem *schema.Type
		v    cty.Value
		want string
	}{
		{str, cty.StringVal("~/.ssh/id_gh"), "\nhint: a list of one is written in brackets: [\"~/.ssh/id_gh\"]"},
		{&schema.Type{Kind: schema.Path}, cty.StringVal("/etc/x"), "\nhint: a list of one is written in brackets: [\"/etc/x\"]"},
		{num, cty.NumberIntVal(22), "\nhint: a list of one is written in brackets: [22]"},
		{boolean, cty.True, "\nhint: a list of one is written in brackets: [true]"},
		{num, cty.StringVal("22"), ""},
		{str, cty.EmptyObjectVal, ""},
		{str, cty.NullVal(cty.String), ""},
		{&schema.Type{Kind: schema.AttrsOf, Elem: str}, cty.StringVal("x"), ""},
		{nil, cty.StringVal("x"), ""},
	} {
		if got := listOfOneHint(tt.elem, tt.v); got != tt.want {
			t.Errorf("listOfOneHint(%v, %#v) = %q, want %q", tt.elem, tt.v, got, tt.want)
		}
	}
}
