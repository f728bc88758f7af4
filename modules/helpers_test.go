package modules_test

import (
	"bytes"
	"path/filepath"
	"testing"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/internal/testfs"
	"github.com/gocfg/gocfg/modules"
	"github.com/hashicorp/hcl/v2"
)

// writeFiles writes a small dotfiles tree and returns its folder.
func writeFiles(t testing.TB, files map[string]string) string {
	t.Helper()
	return testfs.Tree(t, t.TempDir(), files)
}

var testHost = modules.Host{OS: "linux", Arch: "amd64", Name: "atlas", User: "alice"}

// evalJSON loads dir/default.hcl without the built-in modules and
// returns the JSON at path, or the diagnostics.
func evalJSON(t testing.TB, dir, path string, builtins bool) (string, hcl.Diagnostics) {
	t.Helper()
	ev, diags := modules.Load(modules.Options{
		Entry: filepath.Join(dir, "default.hcl"), Host: testHost, NoBuiltins: !builtins,
		Getenv: func(k string) string {
			if k == "GOCFG_TEST" {
				return "from-env"
			}
			return ""
		},
	})
	if diags.HasErrors() {
		return "", diags
	}
	js, d := ev.JSON(path)
	diags = append(diags, d...)
	if diags.HasErrors() {
		return "", diags
	}
	return compactJSON(t, js), diags
}

func compactJSON(t testing.TB, js []byte) string {
	t.Helper()
	var buf bytes.Buffer
	if err := json.Compact(&buf, js); err != nil {
		t.Fatalf("invalid JSON %s: %v", js, err)
	}
	return buf.String()
}
