package errorfixture

import (
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// marker is a line's `# ERROR: <summary>`.
var marker = regexp.MustCompile(`#\s*ERROR:\s*(.+?)\s*$`)

// Glob returns the fixtures that pattern matches, failing t when there
// are none.
func Glob(t testing.TB, pattern string) []string {
	t.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures %s (%v)", pattern, err)
	}
	return files
}

// Name is the name of the subtest of a fixture: its file name without
// ".hcl".
func Name(file string) string { return strings.TrimSuffix(filepath.Base(file), ".hcl") }

// markers returns the marked lines of src: line number (from 1) to
// summary.
func markers(src []byte) map[int]string {
	want := map[int]string{}
	for i, line := range strings.Split(string(src), "\n") {
		if m := marker.FindStringSubmatch(line); m != nil {
			want[i+1] = m[1]
		}
	}
	return want
}

// Check compares the error diagnostics in diags with the markers of the
// fixture file, named as the diagnostics name it. A fixture with no
// marker, an error without a source range or in another file, and two
// errors starting on one line fail t too.
func Check(t testing.TB, file string, diags hcl.Diagnostics) {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	want := markers(src)
	if len(want) == 0 {
		t.Fatal("fixture has no # ERROR: marker")
	}
	got := map[int]string{}
	for _, d := range diags {
		switch {
		case d.Severity != hcl.DiagError:
		case d.Subject == nil:
			t.Errorf("error without a source range: %s: %s", d.Summary, d.Detail)
		case d.Subject.Filename != file:
			t.Errorf("error in another file %s: %s", d.Subject.Filename, d.Summary)
		case got[d.Subject.Start.Line] != "":
			t.Errorf("line %d: two errors: %q and %q", d.Subject.Start.Line, got[d.Subject.Start.Line], d.Summary)
		default:
			got[d.Subject.Start.Line] = d.Summary
		}
	}
	// Reported line by line, so that a failing fixture reads the same in
	// every run.
	for _, line := range slices.Sorted(maps.Keys(want)) {
		summary := want[line]
		switch got[line] {
		case "":
			t.Errorf("line %d: no error, want %q", line, summary)
		case summary:
		default:
			t.Errorf("line %d: error %q, want %q", line, got[line], summary)
		}
	}
	for _, line := range slices.Sorted(maps.Keys(got)) {
		if want[line] == "" {
			t.Errorf("line %d: unexpected error %q", line, got[line])
		}
	}
}
