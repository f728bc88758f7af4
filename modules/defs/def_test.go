package defs

import (
	"os"
	"path/filepath"
	"testing"
	"unsafe"
)

// TestDefExtra checks what a definition holds off to the side (DefExtra):
// nothing for a plain one; one DefExtra for all the definitions of a
// `when` block; a marker's range; a wrapper's level.
func TestDefExtra(t *testing.T) {
	if s := unsafe.Sizeof(Def{}); s > 80 {
		t.Errorf("a Def is %d bytes, want at most 80 (see its documentation)", s)
	}
	dir := t.TempDir()
	src := `networking { host_name = "a" }
users "bob" {
  when  = true
  uid   = 1
  shell = "/bin/sh"
}
environment {
  system_packages = force(["p"])
}
`
	entry := filepath.Join(dir, "default.hcl")
	if err := os.WriteFile(entry, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	coll, diags := Collect(declared(t, entry))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	byPath := map[string]*Def{}
	for _, d := range coll.Defs {
		if d.Module.Path == entry {
			byPath[d.Path.String()] = d
		}
	}
	get := func(p string) *Def {
		t.Helper()
		d := byPath[p]
		if d == nil {
			t.Fatalf("no definition of %s among %v", p, byPath)
		}
		return d
	}

	host := get("networking.host_name")
	if host.extra != nil || host.Conds() != nil || host.Levels() != nil || host.Spelled() != nil || host.Value() != noExtra.Value {
		t.Errorf("networking.host_name holds %+v, want nothing", host.extra)
	}
	if host.Range() != host.Expr.Range() || host.Range().Start.Line != 1 {
		t.Errorf("networking.host_name's range = %v, want its expression's on line 1", host.Range())
	}

	uid, shell := get("users.bob.uid"), get("users.bob.shell")
	if len(uid.Conds()) != 1 || uid.extra != shell.extra {
		t.Errorf("the when block's definitions hold %p and %p with %d conditions, want one DefExtra with 1", uid.extra, shell.extra, len(uid.Conds()))
	}

	marker := get("users.bob")
	if !marker.Marker || marker.Expr != nil {
		t.Fatalf("users.bob = %+v, want a marker", marker)
	}
	if r := marker.Range(); r.Start.Line != 2 || r.End.Line != 2 || r.Filename != entry {
		t.Errorf("the marker's range = %v, want the block's header on line 2", r)
	}
	if len(marker.Conds()) != 1 {
		t.Errorf("the marker has %d conditions, want the block's 1", len(marker.Conds()))
	}

	pkgs := get("environment.system_packages")
	if p := pkgs.PriorityAt(len(pkgs.Path)); p != PriorityForce || pkgs.Conds() != nil {
		t.Errorf("environment.system_packages: priority %d, conditions %v; want %d and none", p, pkgs.Conds(), PriorityForce)
	}
}
