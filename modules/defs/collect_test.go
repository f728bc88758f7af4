package defs

import (
	"fmt"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"testing"

	"github.com/gocfg/gocfg/bench/modgen"
	"github.com/gocfg/gocfg/modules/builtin"
	"github.com/gocfg/gocfg/modules/loader"
	"github.com/gocfg/gocfg/modules/schema"
	"github.com/hashicorp/hcl/v2"
)

// TestCollectInParts checks that collecting a large configuration in
// parts gives what collecting its modules one after the other does:
// the same definitions in the same order and numbering, locals, checks
// and diagnostics.
func TestCollectInParts(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	// Problems in the middle and at the end, in two parts: an
	// undeclared option, a duplicate local, and a local and a check to
	// keep.
	extra := map[string]string{}
	for i, name := range []string{"m0700z.hcl", "z.hcl"} {
		extra[name] = fmt.Sprintf("nosuch_%d = 1\nlocals {\n  a = 1\n}\nlocals {\n  a = 2\n}\nassert {\n  condition = true\n  message   = \"m%d\"\n}\n", i, i)
	}
	entry, err := modgen.WriteWith(t.TempDir(), 1500, extra)
	if err != nil {
		t.Fatal(err)
	}
	set, tree := declared(t, entry)
	parts := loader.SplitBySize(set.Modules, runtime.GOMAXPROCS(0), collectPart)
	if last := parts[len(parts)-1]; len(parts) < 2 || filepath.Base(last[len(last)-1].Path) != "z.hcl" ||
		slices.ContainsFunc(last, func(m *loader.Module) bool { return filepath.Base(m.Path) == "m0700z.hcl" }) {
		t.Fatalf("the modules with problems are not in two parts of the %d", len(parts))
	}
	got, gotDiags := Collect(set, tree)

	c := &collector{set: set, tree: tree, out: &Collection{Locals: map[*loader.Module]map[string]hcl.Expression{}}}
	for _, m := range set.Modules {
		c.module(m)
	}
	want, wantDiags := c.out, c.diags

	if len(got.Defs) != len(want.Defs) {
		t.Fatalf("%d definitions, want %d", len(got.Defs), len(want.Defs))
	}
	for i := range want.Defs {
		if !reflect.DeepEqual(got.Defs[i], want.Defs[i]) {
			t.Fatalf("definition %d: got %+v, want %+v", i, *got.Defs[i], *want.Defs[i])
		}
	}
	if !reflect.DeepEqual(got.Locals, want.Locals) || !reflect.DeepEqual(got.Checks, want.Checks) {
		t.Errorf("locals or checks differ")
	}
	if len(wantDiags) != 4 || !reflect.DeepEqual(gotDiags, wantDiags) {
		t.Errorf("diagnostics:\n got %v\nwant %v (4)", gotDiags, wantDiags)
	}
}

// declared loads the configuration at entry, with the built-in modules,
// and declares its options, failing the test on any error.
func declared(t *testing.T, entry string) (*loader.Set, *schema.Tree) {
	t.Helper()
	set, diags := loader.Load(entry, builtin.FS, "", nil)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	tree, diags := schema.Declare(set)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return set, tree
}
