package macos_test

import (
	"testing"

	"github.com/gocfg/gocfg/platform/accounts"
	"github.com/gocfg/gocfg/platform/macos"
)

func TestWithBuiltinAccounts(t *testing.T) {
	db := macos.WithBuiltinAccounts(accounts.New([]accounts.Account{{Name: "root", UID: 0, Home: "/private/var/root"}}, nil))
	if root, _ := db.User("root"); root.Home != "/private/var/root" {
		t.Errorf("root = %+v: an entry of the tree must win", root)
	}
	if gid, ok := db.Group("wheel"); !ok || gid != 0 {
		t.Errorf("wheel = %d %v", gid, ok)
	}
	if gid, ok := db.Group("staff"); !ok || gid != 20 {
		t.Errorf("staff = %d %v", gid, ok)
	}
}
