package diagnostics

import (
	"testing"

	"github.com/hashicorp/hcl/v2"
)

func TestSortBySource(t *testing.T) {
	at := func(summary, file string, byte int) *hcl.Diagnostic {
		d := &hcl.Diagnostic{Summary: summary}
		if file != "" {
			d.Subject = &hcl.Range{Filename: file, Start: hcl.Pos{Byte: byte}}
		}
		return d
	}
	diags := hcl.Diagnostics{
		at("b.hcl 5", "b.hcl", 5),
		at("a.hcl 30", "a.hcl", 30),
		at("none 1", "", 0),
		at("a.hcl 7, first", "a.hcl", 7),
		at("a.hcl 7, second", "a.hcl", 7),
		at("none 2", "", 0),
		at("b.hcl 1", "b.hcl", 1),
	}
	SortBySource(diags)
	want := []string{"none 1", "none 2", "a.hcl 7, first", "a.hcl 7, second", "a.hcl 30", "b.hcl 1", "b.hcl 5"}
	for i, d := range diags {
		if d.Summary != want[i] {
			t.Errorf("diagnostic %d: %s, want %s", i, d.Summary, want[i])
		}
	}
}
