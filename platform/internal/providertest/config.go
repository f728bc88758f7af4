package providertest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gocfg/gocfg/modules"
)

// Linux is the host the configurations are evaluated for unless a case
// names another: atlas, linux/amd64, run by root.
var Linux = modules.Host{OS: "linux", Arch: "amd64", Name: "atlas", User: "root"}

// EvalJSON evaluates the module src with the built-in options for Linux,
// as gocfg does, and returns `gocfg eval --json` of the whole
// configuration.
func EvalJSON(t testing.TB, src string) []byte {
	t.Helper()
	return EvalJSONFor(t, Linux, src)
}

// EvalJSONFor is EvalJSON for another host.
func EvalJSONFor(t testing.TB, host modules.Host, src string) []byte {
	t.Helper()
	entry := filepath.Join(t.TempDir(), "default.hcl")
	if err := os.WriteFile(entry, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	ev, diags := modules.Load(modules.Options{Entry: entry, Host: host})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	js, diags := ev.JSON("")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return js
}

// A ConfigCase is one configuration a provider's ConfigFromJSON reads and
// what it must make of it.
type ConfigCase[C any] struct {
	Name string
	// HCL is the module evaluated (EvalJSONFor Host) for the JSON read,
	// unless JSON is set.
	HCL  string
	JSON string
	// Host is the host HCL is evaluated for (zero: Linux).
	Host modules.Host
	// OK checks the configuration read.
	OK func(*C) bool
}

// CheckConfigs reads each case with fromJSON (a provider's
// ConfigFromJSON) and reports, under the case's name, a case that fails
// or that OK does not accept.
func CheckConfigs[C any](t *testing.T, fromJSON func([]byte) (*C, error), cases ...ConfigCase[C]) {
	t.Helper()
	for _, c := range cases {
		js := []byte(c.JSON)
		if c.JSON == "" {
			host := c.Host
			if host == (modules.Host{}) {
				host = Linux
			}
			js = EvalJSONFor(t, host, c.HCL)
		}
		cfg, err := fromJSON(js)
		if err != nil || !c.OK(cfg) {
			t.Errorf("%s: %+v, %v", c.Name, cfg, err)
		}
	}
}
