package modules_test

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/internal/errorfixture"
	"github.com/gocfg/gocfg/modules"
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
			opts := modules.Options{Entry: filepath.Join(abs, "default.hcl"), Host: testHost}
			if _, diags := sameWithForks(t, opts, ""); diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			ev, diags := modules.Load(opts)
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

// TestInvalidFixtures evaluates each testdata/invalid/*.hcl (with the
// built-in modules). Every line marked `# ERROR: <summary>` must be the
// start of an error with that summary, and every error must be marked.
func TestInvalidFixtures(t *testing.T) {
	for _, file := range errorfixture.Glob(t, "testdata/invalid/*.hcl") {
		t.Run(errorfixture.Name(file), func(t *testing.T) {
			abs, _ := filepath.Abs(file)
			checkInvalidFixture(t, abs)
		})
	}
}

// checkInvalidFixture evaluates the module file abs (with the built-in
// modules) and checks its errors against its `# ERROR:` markers.
func checkInvalidFixture(t *testing.T, abs string) {
	t.Helper()
	_, diags := sameWithForks(t, modules.Options{Entry: abs, Host: testHost}, "")
	errorfixture.Check(t, abs, diags)
}
