package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestCachedConfigRecorded: a query that misses because a module
// changed still learns from the cache how many files the configuration
// had, and a configuration with no entry stays unknown.
func TestCachedConfigRecorded(t *testing.T) {
	env := testEnv(t)
	env.Getenv = cacheGetenv(t.TempDir())
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("default.hcl", "imports = [\"./a.hcl\"]\n")
	write("a.hcl", "environment {\n  system_packages = [\"a\"]\n}\n")
	entry := filepath.Join(dir, "default.hcl")
	f := &configFlags{}

	c := f.cached(env, entry)
	if _, ok := c.get("json"); ok || c.recorded != -1 {
		t.Fatalf("no entry yet: hit %v, recorded %d; want a miss and -1", ok, c.recorded)
	}
	ev, err := c.load()
	if err != nil {
		t.Fatal(err)
	}
	js, diags := ev.JSON("")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	c.put("json", map[string][]byte{"out": js})

	write("a.hcl", "environment {\n  system_packages = [\"b\"]\n}\n")
	c = f.cached(env, entry)
	if _, ok := c.get("json"); ok || c.recorded != 2 {
		t.Fatalf("after an edit: hit %v, recorded %d; want a miss and 2 (default.hcl, a.hcl)", ok, c.recorded)
	}
}
