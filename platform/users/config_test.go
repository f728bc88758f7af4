package users_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/gocfg/gocfg/modules"
	"github.com/gocfg/gocfg/platform/users"
)

// evalJSON evaluates a module with the built-in options, as gocfg does,
// and returns `gocfg eval --json` of the whole configuration.
func evalJSON(t *testing.T, src string) []byte {
	t.Helper()
	dir := t.TempDir()
	entry := filepath.Join(dir, "default.hcl")
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
	js := evalJSON(t, `
users "alice" {
  uid         = 1500
  description = "Alice A"
  shell       = "/bin/zsh"
  groups      = ["wheel", "devs"]
}
users "bob" {
  create_home = false
}
groups "devs" {
  members = ["bob"]
}
groups "ops" {
  gid = 2000
}
`)
	cfg, err := users.ConfigFromJSON(js)
	if err != nil {
		t.Fatal(err)
	}
	a := cfg.Users["alice"]
	if a.UID == nil || *a.UID != 1500 || a.Description == nil || *a.Description != "Alice A" || a.Shell == nil || *a.Shell != "/bin/zsh" ||
		a.Home != nil || !slices.Equal(a.Groups, []string{"wheel", "devs"}) || a.CreateHome == nil || !*a.CreateHome || a.IsHidden {
		t.Errorf("alice = %+v", a)
	}
	if b := cfg.Users["bob"]; b.UID != nil || b.CreateHome == nil || *b.CreateHome || len(b.Groups) != 0 {
		t.Errorf("bob = %+v", b)
	}
	if g := cfg.Groups["devs"]; g.GID != nil || !slices.Equal(g.Members, []string{"bob"}) {
		t.Errorf("devs = %+v", g)
	}
	if g := cfg.Groups["ops"]; g.GID == nil || *g.GID != 2000 {
		t.Errorf("ops = %+v", g)
	}
	empty, err := users.ConfigFromJSON(evalJSON(t, ""))
	if err != nil || len(empty.Users) != 0 || len(empty.Groups) != 0 {
		t.Errorf("no users: %+v, %v", empty, err)
	}
	if _, err := users.ConfigFromJSON([]byte(`{"users": {"a": {"uid": 1.5}}}`)); err == nil {
		t.Error("a fractional uid was accepted")
	}
}
