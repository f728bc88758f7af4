package modules_test

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
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
// returns the JSON at path, or the diagnostics. It evaluates twice, on
// one goroutine and with every object shared out (sameWithForks).
func evalJSON(t testing.TB, dir, path string, builtins bool) (string, hcl.Diagnostics) {
	t.Helper()
	js, diags := sameWithForks(t, modules.Options{
		Entry: filepath.Join(dir, "default.hcl"), Host: testHost, NoBuiltins: !builtins,
		Getenv: func(k string) string {
			if k == "GOCFG_TEST" {
				return "from-env"
			}
			return ""
		},
	}, path)
	if diags.HasErrors() {
		return "", diags
	}
	return compactJSON(t, js), diags
}

// sameWithForks loads opts and returns the JSON at path ("": the whole
// configuration, with its assert and warn blocks) and every diagnostic,
// as evaluated on one goroutine (modules.NoForks). It evaluates the same
// with every object of two members or more shared out among three
// goroutines (modules.ForkEverywhere) and fails t unless that gives the
// same bytes and the same diagnostics, in the same order.
func sameWithForks(t testing.TB, opts modules.Options, path string) ([]byte, hcl.Diagnostics) {
	t.Helper()
	js, diags := jsonAt(modules.NoForks(opts), path)
	forkedJS, forkedDiags := jsonAt(modules.ForkEverywhere(opts), path)
	if !bytes.Equal(js, forkedJS) {
		t.Errorf("%s with forks:\n%s\nwithout:\n%s", path, forkedJS, js)
	}
	if got, want := diagList(forkedDiags), diagList(diags); got != want {
		t.Errorf("%s: diagnostics with forks:\n%s\nwithout:\n%s", path, got, want)
	}
	return js, diags
}

// jsonAt loads opts and returns the JSON at path and the diagnostics.
func jsonAt(opts modules.Options, path string) ([]byte, hcl.Diagnostics) {
	ev, diags := modules.Load(opts)
	if diags.HasErrors() {
		return nil, diags
	}
	js, d := ev.JSON(path)
	return js, append(diags, d...)
}

// diagList writes each diagnostic on a line of its own, with its place.
func diagList(diags hcl.Diagnostics) string {
	var b strings.Builder
	for _, d := range diags {
		fmt.Fprintf(&b, "%d %v %s: %s\n", d.Severity, d.Subject, d.Summary, d.Detail)
	}
	return b.String()
}

func compactJSON(t testing.TB, js []byte) string {
	t.Helper()
	var buf bytes.Buffer
	if err := json.Compact(&buf, js); err != nil {
		t.Fatalf("invalid JSON %s: %v", js, err)
	}
	return buf.String()
}
