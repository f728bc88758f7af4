package schema

import (
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"testing"

	"github.com/gocfg/gocfg/bench/modgen"
	"github.com/gocfg/gocfg/modules/builtin"
	"github.com/gocfg/gocfg/modules/loader"
	"github.com/gocfg/gocfg/modules/optpath"
	"github.com/hashicorp/hcl/v2"
)

// TestDeclareInParts checks that declaring a large configuration with
// its option blocks read in parts gives what reading and placing each
// block in turn does: the same options, declared at the same places,
// and the same diagnostics in the same order.
func TestDeclareInParts(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	// Errors in two parts, in the middle and at the end: an option
	// declared twice (placing), a bad name and a missing type (reading).
	text := "option \"bench.m0.label\" {\n  type = str\n}\noption \"bad..name\" {\n  type = str\n}\noption \"no.type\" {\n}\n"
	entry, err := modgen.WriteWith(t.TempDir(), 1500, map[string]string{"m0700z.hcl": text, "z.hcl": text})
	if err != nil {
		t.Fatal(err)
	}
	set, diags := loader.Load(entry, builtin.FS, "", nil)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	parts := loader.SplitBySize(set.Modules, runtime.GOMAXPROCS(0), declarePart)
	if last := parts[len(parts)-1]; len(parts) < 2 || filepath.Base(last[len(last)-1].Path) != "z.hcl" ||
		slices.ContainsFunc(last, func(m *loader.Module) bool { return filepath.Base(m.Path) == "m0700z.hcl" }) {
		t.Fatalf("the modules with errors are not in two parts of the %d", len(parts))
	}
	got, gotDiags := Declare(set)

	want := &Tree{root: newGroup(), set: set}
	var wantDiags hcl.Diagnostics
	for _, m := range set.Modules {
		for i := range m.Body.Blocks {
			if b := &m.Body.Blocks[i]; b.Type != "option" {
				continue
			}
			r := want.readBlock(m, &m.Body.Blocks[i])
			wantDiags = append(wantDiags, r.diags...)
			if r.opt != nil {
				wantDiags = append(wantDiags, want.insert(want.root, optpath.Path{}, r.opt, r.rng)...)
			}
		}
	}
	wantDiags = append(wantDiags, want.resolveRefs()...)

	if len(wantDiags) != 6 || !reflect.DeepEqual(gotDiags, wantDiags) {
		t.Errorf("diagnostics:\n got %v\nwant %v (6)", gotDiags, wantDiags)
	}
	g, w := got.List(), want.List()
	if len(g) != len(w) {
		t.Fatalf("%d options, want %d", len(g), len(w))
	}
	for i := range w {
		if !reflect.DeepEqual(g[i].Path, w[i].Path) || !reflect.DeepEqual(g[i].Option.Decls, w[i].Option.Decls) || g[i].Option.Description != w[i].Option.Description {
			t.Fatalf("option %d: got %s %v, want %s %v", i, g[i].Path, g[i].Option.Decls, w[i].Path, w[i].Option.Decls)
		}
	}
}
