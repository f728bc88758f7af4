package unitstate_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gocfg/gocfg/modules"
	"github.com/gocfg/gocfg/platform/unitstate"
)

func TestConfigFromJSON(t *testing.T) {
	entry := filepath.Join(t.TempDir(), "default.hcl")
	src := `systemd {
  units "ssh.service" {}
  units "fstrim.timer" {
    enable = false
  }
  units "boot-check.service" {
    wanted_by = ["multi-user.target"]
  }
  services "web" {
    exec_start = "/bin/true"
  }
  services "off" {
    exec_start = "/bin/true"
    enable     = false
  }
}
`
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
	cfg, err := unitstate.ConfigFromJSON(js)
	if err != nil {
		t.Fatal(err)
	}
	ssh, fstrim, boot := cfg.Units["ssh.service"], cfg.Units["fstrim.timer"], cfg.Units["boot-check.service"]
	if len(cfg.Units) != 3 || !ssh.Enable || ssh.WantedBy != nil || fstrim.Enable || !boot.Enable || len(boot.WantedBy) != 1 {
		t.Errorf("units: %+v", cfg.Units)
	}
	if web, ok := cfg.Services["web"]; !ok || web.Enable == nil || !*web.Enable || len(cfg.Services) != 2 {
		t.Errorf("services: %v", cfg.Services)
	}
	if off := cfg.Services["off"]; off.Enable == nil || *off.Enable {
		t.Errorf("services.off: %+v, want enable false", off)
	}
}
