package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestOptionsReference fails when docs/options.md is not what
// `gocfg options --markdown --builtins-only` prints. Regenerate it with
// go test ./cmd/gocfg -run TestOptionsReference -update
func TestOptionsReference(t *testing.T) {
	var out, errOut bytes.Buffer
	env := &Env{Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }, OS: "linux", Arch: "amd64", User: "nobody", Home: t.TempDir()}
	if err := runOptions(context.Background(), &optionsOptions{Env: env, Markdown: true, BuiltinsOnly: true}); err != nil {
		t.Fatalf("runOptions: %v\n%s", err, errOut.String())
	}
	ref := filepath.Join("..", "..", "docs", "options.md")
	if *update {
		if err := os.WriteFile(ref, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	committed, err := os.ReadFile(ref)
	if err != nil {
		t.Fatalf("%v (generate it with: go test ./cmd/gocfg -run TestOptionsReference -update)", err)
	}
	if !bytes.Equal(committed, out.Bytes()) {
		t.Errorf("docs/options.md is stale: regenerate it with go test ./cmd/gocfg -run TestOptionsReference -update")
	}
	for _, want := range []string{"## `networking.host_name`", "## `users.<name>.shell`", "## `macos.dock.autohide`", "Declared in: [`core/"} {
		if !bytes.Contains(out.Bytes(), []byte(want)) {
			t.Errorf("reference lacks %q", want)
		}
	}
}
