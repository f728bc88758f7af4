package packages

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/gocfg/gocfg/modules"
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
	cfg, err := ConfigFromJSON(evalJSON(t, "environment {\n  system_packages = [\"git\", \"ripgrep\"]\n  package_manager = \"apt\"\n}\n"))
	if err != nil || !slices.Equal(cfg.SystemPackages, []string{"git", "ripgrep"}) || cfg.PackageManager != "apt" {
		t.Errorf("set: %+v, %v", cfg, err)
	}
	cfg, err = ConfigFromJSON(evalJSON(t, ""))
	if err != nil || len(cfg.SystemPackages) != 0 || (cfg.PackageManager != "" && cfg.PackageManager != "auto") {
		t.Errorf("defaults: %+v, %v", cfg, err)
	}
}

func TestConfigFromJSONHomebrew(t *testing.T) {
	cfg, err := ConfigFromJSON(evalJSON(t, `macos {
  primary_user = "alice"
  homebrew {
    casks = ["firefox"]
    taps  = ["hashicorp/tap"]
  }
}
`))
	if err != nil || !slices.Equal(cfg.Casks, []string{"firefox"}) || !slices.Equal(cfg.Taps, []string{"hashicorp/tap"}) || cfg.BrewUser != "alice" {
		t.Errorf("set: %+v, %v", cfg, err)
	}
	cfg, err = ConfigFromJSON(evalJSON(t, "macos {\n  primary_user = \"alice\"\n  homebrew { user = \"brewer\" }\n}\n"))
	if err != nil || cfg.BrewUser != "brewer" || len(cfg.Casks) != 0 || len(cfg.Taps) != 0 {
		t.Errorf("user: %+v, %v", cfg, err)
	}
}
