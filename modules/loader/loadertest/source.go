package loadertest

import (
	"path/filepath"
	"testing"

	"github.com/gocfg/gocfg/internal/testfs"
	"github.com/gocfg/gocfg/modules/loader"
)

// Source writes src as default.hcl in a folder of t's and loads it as
// the only module, without the built-in ones; an error ends the test.
func Source(t testing.TB, src string) *loader.Set {
	t.Helper()
	dir := testfs.Tree(t, t.TempDir(), map[string]string{"default.hcl": src})
	set, diags := loader.Load(filepath.Join(dir, "default.hcl"), nil, "", nil)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return set
}
