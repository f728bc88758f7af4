package eval

import (
	"testing"

	"github.com/gocfg/gocfg/modules/optpath"
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
