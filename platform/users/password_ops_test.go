package users_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform/users"
)

// TestShadowPasswordOps: users.<name>.hashed_password's ops with the
// real shadow tools. A change applies the hash and its undo puts the
// earlier one back; a hash changed since the plan (passwd) is replaced
// too; an undo never leaves an account without a password (an empty or
// unread earlier field is put back as "!"); a new account gets its hash
// after useradd. No op describes a hash.
func TestShadowPasswordOps(t *testing.T) {
	needShadow(t)
	ctx := context.Background()
	const old, hash = `$6$old$AAAA`, `$6$new$BBBB`
	setup := func(t *testing.T, field string) *testMachine {
		m := newMachine(t)
		m.write("etc/passwd", basePasswd+"carol:x:1001:1001:Carol:/home/carol:/bin/bash\n", 0o644)
		m.write("etc/group", baseGroup+"carol:x:1001:\n", 0o644)
		m.write("etc/shadow", baseShadow+"carol:"+field+":19000:0:99999:7:::\n", 0o640)
		m.write("etc/gshadow", baseGShadow+"carol:!::\n", 0o640)
		return m
	}
	field := func(t *testing.T, m *testMachine, name string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(m.root, "etc/shadow"))
		if err != nil {
			t.Fatal(err)
		}
		for line := range strings.SplitSeq(string(b), "\n") {
			if f := strings.SplitN(line, ":", 3); len(f) == 3 && f[0] == name {
				return f[1]
			}
		}
		t.Fatalf("%s is not in /etc/shadow:\n%s", name, b)
		return ""
	}
	planned := func(t *testing.T, m *testMachine, u users.User) *users.UserModOp {
		t.Helper()
		part, err := m.plan(&users.Provider{Config: &users.Config{Users: map[string]users.User{"carol": u}}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, ch := range part.Changes {
			for _, o := range ch.Ops {
				if op, ok := o.(*users.UserModOp); ok {
					if strings.Contains(ch.Before+ch.After+op.Describe(), "$6$") {
						t.Errorf("the change shows a hash: %q → %q (%s)", ch.Before, ch.After, op.Describe())
					}
					return op
				}
			}
		}
		t.Fatalf("no UserModOp in %+v", part.Changes)
		return nil
	}

	t.Run("set, then undone", func(t *testing.T) {
		m := setup(t, old)
		op := planned(t, m, users.User{HashedPassword: ptr(hash)})
		if err := op.Apply(ctx, m.sys); err != nil {
			t.Fatal(err)
		}
		wantField(t, field(t, m, "carol"), hash)
		if err := op.Undo(ctx, m.sys); err != nil {
			t.Fatal(err)
		}
		wantField(t, field(t, m, "carol"), old)
	})

	// Set anyway (tester Z: refused, it let carol fail every root
	// switch by running passwd while root planned).
	t.Run("changed since the plan", func(t *testing.T) {
		m := setup(t, old)
		op := planned(t, m, users.User{HashedPassword: ptr(hash)})
		m.write("etc/shadow", baseShadow+"carol:$6$passwd$CCCC:19000:0:99999:7:::\n", 0o640)
		if err := op.Apply(ctx, m.sys); err != nil {
			t.Fatalf("Apply after passwd: %v", err)
		}
		wantField(t, field(t, m, "carol"), hash)
	})

	t.Run("an empty field is put back locked", func(t *testing.T) {
		m := setup(t, "")
		op := planned(t, m, users.User{HashedPassword: ptr(hash)})
		if err := op.Apply(ctx, m.sys); err != nil {
			t.Fatal(err)
		}
		if err := op.Undo(ctx, m.sys); err != nil {
			t.Fatal(err)
		}
		wantField(t, field(t, m, "carol"), "!")
	})

	t.Run("a new account", func(t *testing.T) {
		m := setup(t, old)
		op := &users.UserAddOp{Root: m.root, Name: "dave", UID: 1002, Group: "users", Home: "/home/dave", Password: hash}
		if err := op.Apply(ctx, m.sys); err != nil {
			t.Fatal(err)
		}
		wantField(t, field(t, m, "dave"), hash)
		if strings.Contains(op.Describe(), "$6$") {
			t.Errorf("Describe shows the hash: %s", op.Describe())
		}
	})
}

func wantField(t *testing.T, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("carol's password field is %q, want %q", got, want)
	}
}
