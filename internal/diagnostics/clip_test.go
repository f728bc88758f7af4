package diagnostics

import (
	"bytes"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// TestLongLines: a source line longer than maxSnippetCols is cut around
// the subject, with "…" where it is cut and the carets under the
// subject's start; a detail line is cut at maxDetailRunes with how much
// was left out. Tester U: a 100,000-character host_name printed 500 KB.
func TestLongLines(t *testing.T) {
	long := strings.Repeat("a", 100000)
	for _, tt := range []struct {
		name   string
		src    string
		from   int // byte offset of the subject
		line   string
		carets string
	}{
		{"subject near the start", "x = \"" + long + "\"\n", 4,
			" 1 | x = \"" + strings.Repeat("a", maxSnippetCols-5) + "…",
			"   |     " + strings.Repeat("^", maxSnippetCols-4)},
		{"subject far in", long + " = 1\n", 100001,
			" 1 | …" + strings.Repeat("a", maxSnippetCols/4-1) + " = 1",
			"   |" + strings.Repeat(" ", maxSnippetCols/4+2) + "^"},
		{"short line unchanged", "x = 1\n", 4, " 1 | x = 1", "   |     ^"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			end := len(strings.TrimSuffix(tt.src, "\n"))
			if tt.name == "subject far in" {
				end = tt.from + 1
			}
			rng := hcl.Range{Filename: "m.hcl", Start: hcl.Pos{Line: 1, Column: tt.from + 1, Byte: tt.from}, End: hcl.Pos{Line: 1, Column: end + 1, Byte: end}}
			var out bytes.Buffer
			w := &Writer{Out: &out, Sources: func(string) []byte { return []byte(tt.src) }}
			if err := w.Write(hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Bad", Detail: "value " + long, Subject: &rng}}); err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(out.String(), "\n")
			if len(lines) < 6 || lines[3] != tt.line || lines[4] != tt.carets {
				t.Errorf("got\n%s\nwant the lines\n%q\n%q", out.String(), tt.line, tt.carets)
			}
			if !strings.Contains(out.String(), "… (99606 more characters)") || out.Len() > 2000 {
				t.Errorf("the detail is not cut (%d bytes)", out.Len())
			}
		})
	}
}
