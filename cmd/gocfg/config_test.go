package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestConfigLocationRoot: root's default configuration is /etc/gocfg when
// it exists (where `gocfg init` clones it), else ~/.config/gocfg; an
// ordinary user's is always ~/.config/gocfg; --config and GOCFG_CONFIG
// win.
func TestConfigLocationRoot(t *testing.T) {
	_, err := os.Stat(machineConfigDir)
	etcThere := err == nil
	home := t.TempDir()
	env := &Env{Home: home, EUID: 0, Getenv: func(string) string { return "" }}
	var f configFlags
	loc, chosen := f.location(env)
	want := filepath.Join(home, ".config", "gocfg")
	if etcThere {
		want = machineConfigDir
	}
	if loc != want || chosen {
		t.Errorf("root: %s %v, want %s", loc, chosen, want)
	}
	env.EUID = 1000
	if loc, _ := f.location(env); loc != filepath.Join(home, ".config", "gocfg") {
		t.Errorf("user: %s", loc)
	}
	env.Getenv = func(k string) string {
		if k == "GOCFG_CONFIG" {
			return "/x"
		}
		return ""
	}
	if loc, chosen := f.location(env); loc != "/x" || !chosen {
		t.Errorf("GOCFG_CONFIG: %s %v", loc, chosen)
	}
}
