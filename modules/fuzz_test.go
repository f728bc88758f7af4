package modules_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/modules"
	"github.com/gocfg/gocfg/modules/loader"
	"github.com/hashicorp/hcl/v2"
)

// FuzzModuleSource evaluates arbitrary module source with the built-in
// modules: it must never panic, and every error must be a diagnostic
// with a source range.
//
// Each run evaluates twice (one goroutine, then forks) with the built-in
// modules loaded each time: about 80 runs a second on 2 cores. For long
// runs, pass -fuzzminimizetime 1x: Go minimizes every new interesting
// input for up to 60 s by default, and with the large hostile seeds below
// the run then shows 0 execs/sec for most of its time (measured: 960 runs
// in 40 s by default, 2,255 in 30 s with 1x).
func FuzzModuleSource(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*/*.hcl")
	more, _ := filepath.Glob("testdata/valid/*/*.hcl")
	for _, p := range append(seeds, more...) {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(string(b))
		}
	}
	f.Add(decls + `users = { for n in ["a"] : n => { shell = "/bin/${n}" } }
s = try(config.users.a.shell, "x")
l = merge_all([when(config.b, ["x"]), after(["y"])])`)
	// Hostile input (issue 10) too large to commit; the small cases are
	// in testdata/fuzz/FuzzModuleSource and testdata/invalid.
	f.Add("x = " + strings.Repeat("(", 70000) + "1" + strings.Repeat(")", 70000) + "\n")
	f.Add(`s = join(",", [` + strings.Repeat(`"x",`, 20000) + `])` + "\n")
	f.Fuzz(func(t *testing.T, src string) {
		dir := t.TempDir()
		entry := filepath.Join(dir, "default.hcl")
		if err := os.WriteFile(entry, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		// Files a module may name that must be refused without reading
		// them: a FIFO (where FIFOs exist) and one byte over the size
		// limit (sparse, so it costs nothing).
		_ = makeFIFO(filepath.Join(dir, "fifo"))
		if big, err := os.Create(filepath.Join(dir, "big")); err == nil {
			_ = big.Truncate(loader.MaxFileSize + 1)
			big.Close()
		}
		// Evaluated on one goroutine and with every object shared out:
		// the same output and diagnostics (sameWithForks).
		_, diags := sameWithForks(t, modules.Options{Entry: entry, Host: testHost, Getenv: func(string) string { return "" }}, "")
		for _, d := range diags {
			if d.Severity == hcl.DiagError && d.Subject == nil {
				t.Errorf("error without a source range: %s: %s", d.Summary, d.Detail)
			}
		}
	})
}
