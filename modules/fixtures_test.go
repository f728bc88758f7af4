package modules_test

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/modules"
	"github.com/hashicorp/hcl/v2"
)

// TestValidFixtures evaluates each testdata/valid/<name>/default.hcl (with
// the built-in modules) and compares the values named in expected.json,
// an object from option path to expected JSON value.
func TestValidFixtures(t *testing.T) {
	dirs, _ := filepath.Glob("testdata/valid/*")
	if len(dirs) == 0 {
		t.Fatal("no fixtures")
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(dir, "expected.json"))
			if err != nil {
				t.Fatal(err)
			}
			var want map[string]json.RawMessage
			if err := json.Unmarshal(raw, &want); err != nil {
				t.Fatalf("expected.json: %v", err)
			}
			abs, _ := filepath.Abs(dir)
			ev, diags := modules.Load(modules.Options{Entry: filepath.Join(abs, "default.hcl"), Host: testHost})
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			if _, d := ev.All(); d.HasErrors() {
				t.Fatal(d.Error())
			}
			paths := make([]string, 0, len(want))
			for p := range want {
				paths = append(paths, p)
			}
			sort.Strings(paths)
			for _, p := range paths {
				js, d := ev.JSON(p)
				if d.HasErrors() {
					t.Errorf("%s: %s", p, d.Error())
					continue
				}
				got := compactJSON(t, js)
				exp := strings.ReplaceAll(compactJSON(t, want[p]), "$DIR", abs)
				if got != exp {
					t.Errorf("%s =\n  %s\nwant\n  %s", p, got, exp)
				}
			}
		})
	}
}

var errorMarker = regexp.MustCompile(`#\s*ERROR:\s*(.+?)\s*$`)

// TestInvalidFixtures evaluates each testdata/invalid/*.hcl (with the
// built-in modules). Every line marked `# ERROR: <summary>` must be the
// start of an error with that summary, and every error must be marked.
func TestInvalidFixtures(t *testing.T) {
	files, _ := filepath.Glob("testdata/invalid/*.hcl")
	if len(files) == 0 {
		t.Fatal("no fixtures")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".hcl"), func(t *testing.T) {
			abs, _ := filepath.Abs(file)
			checkInvalidFixture(t, abs)
		})
	}
}

// checkInvalidFixture evaluates the module file abs (with the built-in
// modules) and checks its errors against its `# ERROR:` markers.
func checkInvalidFixture(t *testing.T, abs string) {
	t.Helper()
	src, err := os.ReadFile(abs)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]string{} // line -> summary
	for i, line := range strings.Split(string(src), "\n") {
		if m := errorMarker.FindStringSubmatch(line); m != nil {
			want[i+1] = m[1]
		}
	}
	if len(want) == 0 {
		t.Fatal("fixture has no # ERROR: marker")
	}
	ev, diags := modules.Load(modules.Options{Entry: abs, Host: testHost})
	if !diags.HasErrors() {
		_, d := ev.All()
		diags = append(diags, d...)
	}
	got := map[int]string{}
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		if d.Subject == nil {
			t.Errorf("error without a source range: %s: %s", d.Summary, d.Detail)
			continue
		}
		if d.Subject.Filename != abs {
			t.Errorf("error in another file %s: %s", d.Subject.Filename, d.Summary)
			continue
		}
		got[d.Subject.Start.Line] = d.Summary
	}
	for line, summary := range want {
		if got[line] == "" {
			t.Errorf("line %d: no error, want %q", line, summary)
		} else if got[line] != summary {
			t.Errorf("line %d: error %q, want %q", line, got[line], summary)
		}
	}
	for line, summary := range got {
		if want[line] == "" {
			t.Errorf("line %d: unexpected error %q", line, summary)
		}
	}
}
