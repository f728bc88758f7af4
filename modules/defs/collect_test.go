package defs

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
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
	dir := t.TempDir()
	entry, err := modgen.Write(dir, 1500)
	if err != nil {
		t.Fatal(err)
	}
	// Problems in the middle and at the end: an undeclared option, a
	// duplicate local, and a local and a check to keep.
	for i, name := range []string{"m0700.hcl", "m1499.hcl"} {
		text := fmt.Sprintf("nosuch_%d = 1\nlocals {\n  a = 1\n}\nlocals {\n  a = 2\n}\nassert {\n  condition = true\n  message   = \"m%d\"\n}\n", i, i)
		if err := os.WriteFile(filepath.Join(dir, "modules", "z"+name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	set, diags := loader.Load(entry, builtin.FS, "", nil)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	tree, diags := schema.Declare(set)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if parts := loader.SplitBySize(set.Modules, runtime.GOMAXPROCS(0), collectPart); len(parts) < 2 {
		t.Fatalf("the configuration is collected in %d part(s), want several", len(parts))
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
