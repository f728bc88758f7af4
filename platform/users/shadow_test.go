package users_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/accounts"
	"github.com/gocfg/gocfg/platform/internal/providertest"
	"github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/system"
	"github.com/gocfg/gocfg/platform/users"
)

const stateDir = "/var/lib/gocfg"

// switcher applies plans to a machine with the real engine and a real
// generations store on it; layout is the machine the users provider plans
// for.
type switcher struct {
	*providertest.Switcher
	layout func() *machine.Machine
}

func newSwitcher(m *testMachine) *switcher {
	m.t.Helper()
	if err := os.MkdirAll(filepath.Join(m.root, stateDir), 0o755); err != nil {
		m.t.Fatal(err)
	}
	// The shadow tools run for real, with --root.
	layout := func() *machine.Machine {
		return &machine.Machine{Sys: m.sys, Offline: true, Root: m.root, Privileged: true, OS: "linux"}
	}
	return newSwitcherOn(m.t, m.sys, layout)
}

func newSwitcherOn(t testing.TB, sys system.System, layout func() *machine.Machine) *switcher {
	return &switcher{Switcher: &providertest.Switcher{T: t, Sys: sys, Store: generations.New(sys, stateDir), Host: "atlas"}, layout: layout}
}

// switchTo plans the providers against the current generation and
// applies the plan as a new generation.
func (s *switcher) switchTo(providers ...platform.Provider) (*platform.Plan, error) {
	s.T.Helper()
	p, err := s.MakePlan(providers...)
	if err != nil {
		return nil, err
	}
	_, err = s.Run(s.SwitchNext(p))
	return p, err
}

// rollback applies generation n's records, as `gocfg rollback` does.
func (s *switcher) rollback(n int) {
	t := s.T
	t.Helper()
	recs, err := users.DecodeRecords(s.Records(n, "users"))
	if err != nil {
		t.Fatal(err)
	}
	p := s.Plan(&users.Provider{Machine: s.layout(), Records: recs})
	if _, err := s.Run(s.Rollback(p, n)); err != nil {
		t.Fatal(err)
	}
}

func (m *testMachine) user(name string) (accounts.Account, bool) {
	return m.db().User(name)
}

func (m *testMachine) group(name string) (accounts.Group, bool) {
	return m.db().GroupEntry(name)
}

func (m *testMachine) wantUser(name string, uid, gid int, gecos, home, shell string) {
	m.t.Helper()
	a, ok := m.user(name)
	want := accounts.Account{Name: name, UID: uid, GID: gid, GECOS: gecos, Home: home, Shell: shell}
	if !ok || a != want {
		m.t.Errorf("user %s = %+v (%v), want %+v", name, a, ok, want)
	}
}

func (m *testMachine) wantGroup(name string, gid int, members ...string) {
	m.t.Helper()
	g, ok := m.group(name)
	if !ok || g.GID != gid || !slices.Equal(g.Members, members) {
		m.t.Errorf("group %s = %+v (%v), want gid %d, members %q", name, g, ok, gid, members)
	}
}

func (m *testMachine) wantNo(kind, name string) {
	m.t.Helper()
	var ok bool
	if kind == "user" {
		_, ok = m.user(name)
	} else {
		_, ok = m.group(name)
	}
	if ok {
		m.t.Errorf("%s %s still exists", kind, name)
	}
}

func TestShadowToolsCreateChangeDeleteRollback(t *testing.T) {
	needShadow(t)
	m := newMachine(t)
	if b, err := os.ReadFile("/etc/login.defs"); err == nil {
		m.write("etc/login.defs", string(b), 0o644)
	}
	s := newSwitcher(m)

	// 1: a group, a user in it and in sudo, a group with an existing member.
	cfg1 := &users.Config{
		Users:  map[string]users.User{"alice": {Description: ptr("Alice A"), Shell: ptr("/bin/bash"), Groups: []string{"devs", "sudo"}}},
		Groups: map[string]users.Group{"devs": {}, "ops": {Members: []string{"bob"}}},
	}
	p, err := s.switchTo(&users.Provider{Machine: s.layout(), Config: cfg1})
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, c := range p.Changes {
		order = append(order, c.ID)
	}
	if !slices.Equal(order, []string{"group:devs", "group:ops", "user:alice"}) {
		t.Errorf("apply order = %q", order)
	}
	m.wantUser("alice", 1001, 1001, "Alice A", "/home/alice", "/bin/bash")
	m.wantGroup("alice", 1001)
	m.wantGroup("devs", 1002, "alice")
	m.wantGroup("ops", 1003, "bob")
	m.wantGroup("sudo", 27, "alice")
	fi, err := os.Stat(filepath.Join(m.root, "home/alice"))
	if err != nil {
		t.Fatal(err)
	}
	if st := fi.Sys().(*syscall.Stat_t); fi.Mode().Perm() != 0o700 || st.Uid != 1001 || st.Gid != 1001 {
		t.Errorf("home folder: %v %d:%d, want 0700 1001:1001", fi.Mode(), st.Uid, st.Gid)
	}
	if !strings.Contains(m.read("etc/shadow"), "alice:") {
		t.Error("alice has no shadow entry")
	}
	// The same configuration again plans nothing.
	again, err := s.MakePlan(&users.Provider{Machine: s.layout(), Config: cfg1})
	if err != nil || !again.Empty() {
		t.Fatalf("second plan: %v, %+v", err, again)
	}

	// 2: change the shell, leave sudo, renumber devs, take bob off ops.
	cfg2 := &users.Config{
		Users:  map[string]users.User{"alice": {Description: ptr("Alice A"), Shell: ptr("/bin/sh"), Groups: []string{"devs"}}},
		Groups: map[string]users.Group{"devs": {GID: ptr(2000)}, "ops": {}},
	}
	if _, err := s.switchTo(&users.Provider{Machine: s.layout(), Config: cfg2}); err != nil {
		t.Fatal(err)
	}
	m.wantUser("alice", 1001, 1001, "Alice A", "/home/alice", "/bin/sh")
	m.wantGroup("devs", 2000, "alice")
	m.wantGroup("sudo", 27)
	m.wantGroup("ops", 1003)

	// 3: nothing declared: gocfg deletes what it made, and only that.
	if _, err := s.switchTo(&users.Provider{Machine: s.layout(), Config: &users.Config{}}); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"alice", "devs", "ops"} {
		m.wantNo("group", n)
	}
	m.wantNo("user", "alice")
	m.wantUser("bob", 1000, 1000, "Bob,,,", "/home/bob", "/bin/bash")
	m.wantGroup("sudo", 27)
	if _, err := os.Stat(filepath.Join(m.root, "home/alice")); err != nil {
		t.Errorf("the deleted user's home folder is gone: %v", err)
	}

	// Rolling back to generation 1 makes alice again, with the same IDs.
	s.rollback(1)
	m.wantUser("alice", 1001, 1001, "Alice A", "/home/alice", "/bin/bash")
	m.wantGroup("devs", 1002, "alice")
	m.wantGroup("ops", 1003, "bob")
	m.wantGroup("sudo", 27, "alice")
}

// failOp fails, so the engine undoes the ops before it.
type failOp struct{}

func (failOp) Describe() string                           { return "fail on purpose" }
func (failOp) Apply(context.Context, system.System) error { return errors.New("failed on purpose") }
func (failOp) Undo(context.Context, system.System) error  { return nil }

func init() { platform.RegisterOp("users-test.fail", func() platform.Op { return failOp{} }) }

type failProvider struct{}

func (failProvider) Name() string { return "fail" }
func (failProvider) Plan(context.Context, json.RawMessage) (*platform.Part, error) {
	return &platform.Part{Changes: []platform.Change{{ID: "zz:fail", Kind: "test", Action: platform.Create, Deps: []string{"user:alice"}, Ops: []platform.Op{failOp{}}}}}, nil
}

func TestShadowToolsUndo(t *testing.T) {
	needShadow(t)
	m := newMachine(t)
	m.write("etc/group", "root:x:0:\nsudo:x:27:\nusers:x:100:\nbob:x:1000:\nops:x:1500:\n", 0o644)
	s := newSwitcher(m)
	before := m.db()
	cfg := &users.Config{
		Users:  map[string]users.User{"alice": {Groups: []string{"devs"}}, "bob": {Shell: ptr("/bin/sh")}},
		Groups: map[string]users.Group{"devs": {}, "ops": {Members: []string{"bob"}, GID: ptr(1600)}},
	}
	_, err := s.switchTo(&users.Provider{Machine: s.layout(), Config: cfg}, failProvider{})
	var ae *platform.ApplyError
	if !errors.As(err, &ae) || len(ae.UndoErrs) > 0 {
		t.Fatalf("switch: %v", err)
	}
	after := m.db()
	if !slices.Equal(before.Users(), after.Users()) {
		t.Errorf("users after the undo:\n%+v\nwant\n%+v", after.Users(), before.Users())
	}
	if !equalGroups(before.Groups(), after.Groups()) {
		t.Errorf("groups after the undo:\n%+v\nwant\n%+v", after.Groups(), before.Groups())
	}
	if _, err := os.Lstat(filepath.Join(m.root, "home/alice")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the home folder the undone useradd made is still there: %v", err)
	}
}

func equalGroups(a, b []accounts.Group) bool {
	return slices.EqualFunc(a, b, func(x, y accounts.Group) bool {
		return x.Name == y.Name && x.GID == y.GID && slices.Equal(x.Members, y.Members)
	})
}

// Each op's Undo is safe before Apply, after it, and twice.
func TestShadowOpsUndo(t *testing.T) {
	needShadow(t)
	ctx := context.Background()
	m := newMachine(t)
	m.write("etc/passwd", basePasswd+"carol:x:1001:1001:Carol:/home/carol:/bin/bash\n", 0o644)
	m.write("etc/group", "root:x:0:\nsudo:x:27:carol\nusers:x:100:\nbob:x:1000:\ncarol:x:1001:\nops:x:1500:bob,carol\n", 0o644)
	m.write("etc/shadow", baseShadow+"carol:!:19000:0:99999:7:::\n", 0o640)
	m.write("etc/gshadow", "root:*::\nsudo:*::carol\nusers:*::\nbob:!::\ncarol:!::\nops:!::bob,carol\n", 0o640)
	root := m.root
	ops := []platform.Op{
		&users.UserModOp{Root: root, Name: "carol", Shell: &users.StrChange{From: "/bin/bash", To: "/bin/sh"}, UID: &users.IntChange{From: 1001, To: 1101}},
		&users.UserDelOp{Root: root, Name: "carol", UID: 1001, GID: 1001, GECOS: "Carol", Home: "/home/carol", Shell: "/bin/bash", Groups: []string{"ops", "sudo"}, PrivateGroup: "carol"},
		&users.GroupModOp{Root: root, Name: "ops", GID: 1600, PrevGID: 1500},
		&users.GroupDelOp{Root: root, Name: "ops", GID: 1500, Members: []string{"bob", "carol"}},
		&users.GroupAddOp{Root: root, Name: "devs", GID: 1700},
		&users.MemberAddOp{Root: root, Group: "sudo", User: "bob"},
		&users.MemberRemoveOp{Root: root, Group: "sudo", User: "carol"},
		&users.UserAddOp{Root: root, Name: "alice", UID: 1200, Group: "alice", PrivateGID: ptr(1200), Home: "/home/alice", CreateHome: true, Groups: []string{"sudo"}},
	}
	for _, op := range ops {
		t.Run(platform.OpName(op), func(t *testing.T) {
			start := m.db()
			snap := func() ([]accounts.Account, []accounts.Group) { db := m.db(); return db.Users(), db.Groups() }
			u0, g0 := start.Users(), start.Groups()
			if err := op.Undo(ctx, m.sys); err != nil {
				t.Fatalf("undo before apply: %v", err)
			}
			if u, g := snap(); !slices.Equal(u, u0) || !equalGroups(g, g0) {
				t.Fatalf("undo before apply changed the databases:\n%+v\n%+v", u, g)
			}
			if err := op.Apply(ctx, m.sys); err != nil {
				t.Fatalf("apply: %v", err)
			}
			if u, g := snap(); slices.Equal(u, u0) && equalGroups(g, g0) {
				t.Fatal("apply changed nothing")
			}
			for i := 0; i < 2; i++ {
				if err := op.Undo(ctx, m.sys); err != nil {
					t.Fatalf("undo %d: %v", i+1, err)
				}
				if u, g := snap(); !slices.Equal(u, u0) || !equalGroups(g, g0) {
					t.Fatalf("undo %d left:\n%+v\n%+v\nwant\n%+v\n%+v", i+1, u, g, u0, g0)
				}
			}
			// The journal's encoding keeps every field.
			providertest.JournalRoundTrip(t, op)
		})
	}
	// After all of it, the home folder useradd made is gone again.
	if _, err := os.Lstat(filepath.Join(root, "home/alice")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("home/alice: %v", err)
	}
}

// An op refuses, changing nothing, when the machine changed since the
// plan.
func TestShadowOpsRefuse(t *testing.T) {
	needShadow(t)
	ctx := context.Background()
	m := newMachine(t)
	root := m.root
	for _, op := range []platform.Op{
		&users.UserAddOp{Root: root, Name: "bob", UID: 1200, Group: "bob", Home: "/home/bob"},
		&users.UserAddOp{Root: root, Name: "alice", UID: 1000, Group: "users", Home: "/home/alice"},
		&users.UserModOp{Root: root, Name: "bob", Shell: &users.StrChange{From: "/bin/zsh", To: "/bin/sh"}},
		&users.UserDelOp{Root: root, Name: "bob", UID: 1444},
		&users.GroupAddOp{Root: root, Name: "sudo", GID: 1700},
		&users.GroupAddOp{Root: root, Name: "devs", GID: 27},
		&users.GroupModOp{Root: root, Name: "sudo", GID: 1600, PrevGID: 28},
		&users.GroupDelOp{Root: root, Name: "sudo", GID: 28},
		&users.MemberRemoveOp{Root: root, Group: "sudo", User: "bob"},
	} {
		before := m.read("etc/passwd") + m.read("etc/group")
		err := op.Apply(ctx, m.sys)
		if !errors.Is(err, platform.ErrUnchanged) {
			t.Errorf("%s %+v: %v, want a refusal", platform.OpName(op), op, err)
		}
		if after := m.read("etc/passwd") + m.read("etc/group"); after != before {
			t.Errorf("%s changed the databases while refusing", platform.OpName(op))
		}
	}
}

// TestShadowUserDelUndoPassword (tester T): undoing a deletion puts the
// account's password back, as the plan read it from /etc/shadow; an
// undone deletion used to leave the account locked ("!"), its password
// lost, and status saw no drift.
func TestShadowUserDelUndoPassword(t *testing.T) {
	needShadow(t)
	ctx := context.Background()
	m := newMachine(t)
	const hash = `$y$j9T$e2e.salt$1234567890abcdefghijklmnopqrstuvwxyzABCDE`
	m.write("etc/passwd", basePasswd+"carol:x:1001:1001:Carol:/home/carol:/bin/bash\n", 0o644)
	m.write("etc/group", "root:x:0:\nsudo:x:27:\nusers:x:100:\nbob:x:1000:\ncarol:x:1001:\n", 0o644)
	m.write("etc/shadow", baseShadow+"carol:"+hash+":19000:0:99999:7:::\n", 0o640)
	m.write("etc/gshadow", "root:*::\nsudo:*::\nusers:*::\nbob:!::\ncarol:!::\n", 0o640)
	part, err := m.plan(&users.Provider{Config: &users.Config{}}, providertest.Encode(t, &users.Records{Users: []*users.UserRecord{{Name: "carol", UID: 1001, GID: 1001, Home: "/home/carol", Created: true, PrivateGroup: true}}}))
	if err != nil {
		t.Fatal(err)
	}
	var op *users.UserDelOp
	for _, ch := range part.Changes {
		for _, o := range ch.Ops {
			if d, ok := o.(*users.UserDelOp); ok {
				op = d
			}
		}
	}
	if op == nil || op.Password != hash {
		t.Fatalf("the deletion's op %+v, want carol's password from /etc/shadow", op)
	}
	if err := op.Apply(ctx, m.sys); err != nil {
		t.Fatal(err)
	}
	if err := op.Undo(ctx, m.sys); err != nil {
		t.Fatal(err)
	}
	shadow, err := os.ReadFile(filepath.Join(m.root, "etc/shadow"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(shadow), "\ncarol:"+hash+":") {
		t.Errorf("/etc/shadow after the undo:\n%s\nwant carol's password back", shadow)
	}
	if strings.Contains(op.Describe(), hash) {
		t.Errorf("Describe shows the hash: %s", op.Describe())
	}
}
