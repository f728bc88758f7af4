package users_test

import (
	"slices"
	"testing"

	"github.com/gocfg/gocfg/platform/internal/providertest"
	"github.com/gocfg/gocfg/platform/users"
)

func TestConfigFromJSON(t *testing.T) {
	js := providertest.EvalJSON(t, `
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
	empty, err := users.ConfigFromJSON(providertest.EvalJSON(t, ""))
	if err != nil || len(empty.Users) != 0 || len(empty.Groups) != 0 {
		t.Errorf("no users: %+v, %v", empty, err)
	}
	if _, err := users.ConfigFromJSON([]byte(`{"users": {"a": {"uid": 1.5}}}`)); err == nil {
		t.Error("a fractional uid was accepted")
	}
}
