package hostname_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gocfg/gocfg/modules"
	"github.com/gocfg/gocfg/platform/hostname"
)

func evalJSON(t *testing.T, src string) []byte {
	t.Helper()
	entry := filepath.Join(t.TempDir(), "default.hcl")
	if err := os.WriteFile(entry, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	ev, diags := modules.Load(modules.Options{Entry: entry, Host: modules.Host{OS: "linux", Arch: "amd64", Name: "atlas", User: "root"}})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	js, diags := ev.JSON("")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return js
}

func TestConfigFromJSON(t *testing.T) {
	cfg, err := hostname.ConfigFromJSON(evalJSON(t, "networking {\n  host_name = \"atlas\"\n}\n"))
	if err != nil || cfg.HostName == nil || *cfg.HostName != "atlas" {
		t.Errorf("set: %+v, %v", cfg, err)
	}
	cfg, err = hostname.ConfigFromJSON(evalJSON(t, ""))
	if err != nil || cfg.HostName != nil {
		t.Errorf("unset: %+v, %v", cfg, err)
	}
}
