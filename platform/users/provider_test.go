package users_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/internal/providertest"
	"github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/system"
	"github.com/gocfg/gocfg/platform/users"
)

// changeLines shows a change as the tests compare it: mark, ID, before →
// after, the op types and the deps.
var changeLines = providertest.Lines{Deps: true}

func line(c platform.Change) string { return changeLines.Line(c) }

// lines shows the listed changes; hidden Forget changes (a record dropped
// while the account is left alone) are checked by TestForget.
func lines(part *platform.Part) []string { return changeLines.Of(part.Changes) }

func TestPlanDecisions(t *testing.T) {
	alice := func(u users.User) *users.Config { return &users.Config{Users: map[string]users.User{"alice": u}} }
	created := &users.Records{Users: []*users.UserRecord{{Name: "carol", UID: 1001, GID: 1001, Home: "/home/carol", Created: true, PrivateGroup: true}}}
	tests := []planCase{
		{
			name: "nothing declared, nothing recorded",
			cfg:  &users.Config{},
		},
		{
			name: "a new user gets the next uid and its own group",
			cfg:  alice(users.User{Shell: ptr("/usr/bin/zsh"), Description: ptr("Alice"), Groups: []string{"sudo"}}),
			want: []string{`+ user:alice  → uid 1001, group alice (gid 1001, new), home /home/alice (created, 0700), description "Alice", shell /usr/bin/zsh, groups sudo [user.add] after group:sudo`},
			check: func(t *testing.T, part *platform.Part) {
				op := part.Changes[0].Ops[0].(*users.UserAddOp)
				if op.UID != 1001 || op.PrivateGID == nil || *op.PrivateGID != 1001 || !op.CreateHome || !slices.Equal(op.Groups, []string{"sudo"}) || op.Root == "" {
					t.Errorf("op = %+v", op)
				}
				recs := part.Records.(*users.Records)
				u := recs.Users[0]
				if !u.Created || !u.PrivateGroup || u.UID != 1001 || u.GID != 1001 || u.Home != "/home/alice" {
					t.Errorf("record = %+v", u)
				}
				if !slices.Equal(recs.Members, []users.Membership{{Group: "sudo", User: "alice"}}) {
					t.Errorf("members = %+v", recs.Members)
				}
			},
		},
		{
			name: "an existing home folder is kept, create_home = false makes none",
			cfg: &users.Config{Users: map[string]users.User{
				"alice": {Home: ptr("/home/bob")},
				"carol": {CreateHome: ptr(false), UID: ptr(2000)},
			}},
			want: []string{
				"+ user:alice  → uid 2001, group alice (gid 2001, new), home /home/bob [user.add]",
				"+ user:carol  → uid 2000, group carol (gid 2000, new), home /home/carol [user.add]",
			},
			// bob's home is the test's, whoever runs it: not alice's uid's,
			// a warning, unless root runs it (a folder of root's is none).
			warnings: unlessRoot("users.alice: the home folder /home/bob exists and belongs to "),
		},
		{
			name: "a declared group is created first and becomes the primary group of its namesake",
			cfg: &users.Config{
				Users:  map[string]users.User{"alice": {Groups: []string{"devs"}}},
				Groups: map[string]users.Group{"alice": {GID: ptr(3000)}, "devs": {}},
			},
			want: []string{
				"+ group:alice  → gid 3000 [group.add]",
				"+ group:devs  → gid 3001 [group.add]",
				"+ user:alice  → uid 1001, group alice (gid 3000), home /home/alice (created, 0700), groups devs [user.add] after group:alice group:devs",
			},
		},
		{
			name: "an existing user is adopted and changed field by field",
			cfg:  &users.Config{Users: map[string]users.User{"bob": {Shell: ptr("/usr/bin/zsh"), Description: ptr("Robert"), Groups: []string{"sudo", "users"}}}},
			want: []string{`~ user:bob description "Bob,,,", shell /bin/bash, groups (none) → description "Robert", shell /usr/bin/zsh, groups sudo, users [user.mod group.member.add group.member.add] after group:sudo group:users`},
			check: func(t *testing.T, part *platform.Part) {
				recs := part.Records.(*users.Records)
				if u := recs.Users[0]; u.Created || u.UID != 1000 {
					t.Errorf("an adopted user is recorded as %+v", u)
				}
				if !strings.Contains(part.Changes[0].Note, "adopted") {
					t.Errorf("note = %q", part.Changes[0].Note)
				}
			},
		},
		{
			name: "an existing user already as declared: one adoption line",
			cfg:  &users.Config{Users: map[string]users.User{"bob": {Shell: ptr("/bin/bash")}}},
			want: []string{"~ user:bob  →  []"},
		},
		{
			name:    "managed and unchanged: nothing",
			cfg:     &users.Config{Users: map[string]users.User{"bob": {Shell: ptr("/bin/bash")}}},
			applied: &users.Records{Users: []*users.UserRecord{{Name: "bob", UID: 1000, GID: 1000, Home: "/home/bob", Config: users.User{Shell: ptr("/bin/bash")}}}},
		},
		{
			name:    "a field changed by hand is drift",
			cfg:     &users.Config{Users: map[string]users.User{"bob": {Shell: ptr("/usr/bin/zsh")}}},
			applied: &users.Records{Users: []*users.UserRecord{{Name: "bob", UID: 1000, GID: 1000, Home: "/home/bob", Config: users.User{Shell: ptr("/usr/bin/zsh")}}}},
			want:    []string{"~ user:bob shell /bin/bash → shell /usr/bin/zsh [user.mod] drift: shell changed by hand since gocfg set it"},
		},
		{
			name: "a uid change is made with usermod",
			cfg:  &users.Config{Users: map[string]users.User{"bob": {UID: ptr(1500)}}},
			want: []string{"~ user:bob uid 1000 → uid 1500 [user.mod]"},
		},
		{
			name: "invalid declarations are errors naming the option",
			cfg: &users.Config{
				Users: map[string]users.User{
					"Alice": {},
					"carol": {Shell: ptr("/bin/fish"), UID: ptr(1000), Groups: []string{"docker"}},
					"dave":  {Shell: ptr("zsh"), Home: ptr("home/dave"), Description: ptr("a:b")},
					"bob":   {Home: ptr("/srv/bob")},
					"erin":  {UID: ptr(2000)},
					"frank": {UID: ptr(2000)},
				},
				Groups: map[string]users.Group{"ops": {GID: ptr(27), Members: []string{"nobody"}}, "Bad": {}},
			},
			errs: []string{
				`users.Alice: "Alice": the name must start with a lowercase letter`,
				"users.carol.uid: uid 1000 belongs to user bob",
				"users.carol.shell: /bin/fish is not listed in /etc/shells",
				`users.carol.groups: group "docker" does not exist and is not declared under groups`,
				`users.dave.shell: "zsh" is not an absolute path`,
				`users.dave.home: "home/dave" is not an absolute path`,
				`users.dave.description: "a:b": the comment may not contain ':'`,
				"users.bob.home: bob's home folder is /home/bob; gocfg does not move the home folder of an existing user",
				"users.frank.uid: uid 2000 is also declared for users.erin",
				"groups.ops.gid: gid 27 belongs to group sudo",
				`groups.ops.members: user "nobody" does not exist and is not declared under users`,
				`groups.Bad: "Bad"`,
			},
		},
		{
			// IDs are 32-bit, and 4294967295 is (uid_t)-1: refused at
			// plan, not by useradd in the middle of the switch.
			name: "IDs out of range",
			cfg: &users.Config{
				Users:  map[string]users.User{"big": {UID: ptr(99999999999)}, "minus": {UID: ptr(4294967295)}, "top": {UID: ptr(4294967294)}},
				Groups: map[string]users.Group{"biggroup": {GID: ptr(1 << 32)}},
			},
			errs: []string{
				"users.big.uid: 99999999999 is not a user ID",
				"users.minus.uid: 4294967295 is not a user ID",
				"groups.biggroup.gid: 4294967296 is not a group ID",
			},
		},
		{
			// The option path is optpath's, the name quoted: users."" and
			// users."../x" were printed users. and users.../x, which the CLI
			// could not find to show where they are set.
			name: "names that are no names, with their option paths quoted",
			cfg: &users.Config{
				Users:  map[string]users.User{"": {UID: ptr(2001)}, "../x": {UID: ptr(2000)}, "a\x00b": {}},
				Groups: map[string]users.Group{"..": {}, "a.b": {}},
			},
			errs: []string{
				`users."": "": the name is empty`,
				`users."../x": "../x": the name may not contain "/"`,
				`users."a\x00b": "a\x00b": the name may not contain the control character '\x00'`,
				`groups."..": "..": the name may not be "." or ".."`,
				`groups."a.b": "a.b": the name must start with a lowercase letter`,
			},
		},
		{
			name: "a name longer than 32 characters",
			cfg:  &users.Config{Users: map[string]users.User{strings.Repeat("a", 33): {}}},
			errs: []string{"longer than 32 characters"},
		},
		{
			name: "groups.<name>.members adds existing users with gpasswd",
			cfg:  &users.Config{Groups: map[string]users.Group{"ops": {Members: []string{"bob"}}, "sudo": {Members: []string{"bob"}}}},
			want: []string{
				"+ group:ops  → gid 1001, members bob [group.add group.member.add]",
				"~ group:sudo members (none) → members bob [group.member.add]",
			},
		},
		{
			name:    "a user gocfg created and no longer declared is deleted, its home kept",
			cfg:     &users.Config{},
			applied: created,
			setup: func(m *testMachine) {
				m.write("etc/passwd", basePasswd+"carol:x:1001:1001::/home/carol:/bin/bash\n", 0o644)
				m.write("etc/group", baseGroup+"carol:x:1001:\n", 0o644)
				m.write("home/carol/.profile", "", 0o644)
				// The note names the folder's owner (tester BE), not the
				// account's uid, where the test can give it to another
				// (no account has 1002).
				if os.Geteuid() == 0 {
					if err := os.Chown(filepath.Join(m.root, "home/carol"), 1002, 1002); err != nil {
						m.t.Fatal(err)
					}
				}
			},
			want: []string{"- user:carol uid 1001, home /home/carol →  [user.del]"},
			check: func(t *testing.T, part *platform.Part) {
				op := part.Changes[0].Ops[0].(*users.UserDelOp)
				if op.PrivateGroup != "carol" || op.GID != 1001 {
					t.Errorf("op = %+v", op)
				}
				// (Not root: the folder is the runner's, who may be bob.)
				if os.Geteuid() == 0 && !strings.Contains(part.Changes[0].Note, fmt.Sprintf("kept, owned by uid %d: an account made later without gocfg (useradd) may get that uid", 1002)) {
					t.Errorf("note = %q", part.Changes[0].Note)
				}
				if recs := part.Records.(*users.Records); len(recs.Users) != 0 {
					t.Errorf("records = %+v", recs.Users)
				}
			},
		},
		{
			// A home that is not there is not kept: no note says so.
			name:    "a user deleted whose home is not there",
			cfg:     &users.Config{},
			applied: created,
			setup: func(m *testMachine) {
				m.write("etc/passwd", basePasswd+"carol:x:1001:1001::/home/carol:/bin/bash\n", 0o644)
				m.write("etc/group", baseGroup+"carol:x:1001:\n", 0o644)
			},
			want: []string{"- user:carol uid 1001, home /home/carol →  [user.del]"},
			check: func(t *testing.T, part *platform.Part) {
				if strings.Contains(part.Changes[0].Note, "kept") {
					t.Errorf("note = %q", part.Changes[0].Note)
				}
			},
		},
		{
			name:    "a user gocfg created that is gone already",
			cfg:     &users.Config{},
			applied: created,
			want:    []string{"- user:carol uid 1001 →  [] drift: already removed by hand"},
		},
		{
			name:    "a user whose uid changed by hand is left alone",
			cfg:     &users.Config{},
			applied: created,
			setup: func(m *testMachine) {
				m.write("etc/passwd", basePasswd+"carol:x:1444:1001::/home/carol:/bin/bash\n", 0o644)
			},
			warnings: []string{"users.carol: no longer declared, but its uid changed by hand (1001 → 1444)"},
		},
		{
			name:    "a user gocfg did not create is never deleted",
			cfg:     &users.Config{},
			applied: &users.Records{Users: []*users.UserRecord{{Name: "bob", UID: 1000, GID: 1000, Home: "/home/bob"}}},
		},
		{
			name: "root and system accounts are never deleted, whatever the records say",
			cfg:  &users.Config{},
			applied: &users.Records{
				Users:  []*users.UserRecord{{Name: "root", UID: 0, Created: true}, {Name: "daemon", UID: 1, GID: 1, Created: true}},
				Groups: []*users.GroupRecord{{Name: "sudo", GID: 27, Created: true}},
			},
			warnings: []string{
				"users.daemon: no longer declared; uid 1 is a system account",
				"users.root: no longer declared; uid 0 is a system account",
				"groups.sudo: no longer declared; gid 27 is a system group",
			},
		},
		{
			name: "groups and memberships gocfg added go; the ones made by hand stay",
			cfg:  &users.Config{Users: map[string]users.User{"bob": {}}},
			applied: &users.Records{
				Users:   []*users.UserRecord{{Name: "bob", UID: 1000, GID: 1000, Home: "/home/bob"}},
				Groups:  []*users.GroupRecord{{Name: "devs", GID: 1500, Created: true}, {Name: "ops", GID: 1501, Created: true}},
				Members: []users.Membership{{Group: "sudo", User: "bob"}, {Group: "devs", User: "bob"}, {Group: "users", User: "bob"}},
			},
			setup: func(m *testMachine) {
				m.write("etc/group", "root:x:0:\ndaemon:x:1:\nsudo:x:27:bob\nusers:x:100:\nbob:x:1000:\ndevs:x:1500:bob\nops:x:1501:\nstaff:x:50:bob\n", 0o644)
			},
			want: []string{
				"- group:devs gid 1500, members bob →  [group.del]",
				"- group:ops gid 1501 →  [group.del]",
				"~ user:bob groups devs, staff, sudo → groups staff [group.member.remove] after group:sudo",
			},
		},
		{
			name: "a group that is still someone's primary group is left alone",
			cfg:  &users.Config{},
			applied: &users.Records{
				Groups: []*users.GroupRecord{{Name: "bob", GID: 1000, Created: true}},
			},
			warnings: []string{"groups.bob: no longer declared, but it is the primary group of user bob"},
		},
		{
			name: "a user that lists a group gocfg is deleting",
			cfg:  &users.Config{Users: map[string]users.User{"bob": {Groups: []string{"devs"}}}},
			applied: &users.Records{
				Groups: []*users.GroupRecord{{Name: "devs", GID: 1500, Created: true}},
			},
			setup: func(m *testMachine) {
				m.write("etc/group", baseGroup+"devs:x:1500:\n", 0o644)
			},
			errs: []string{`users.bob.groups: group "devs" is no longer declared under groups, so gocfg deletes it`},
		},
		{
			name:    "the uid of a user being deleted may be declared for another",
			cfg:     &users.Config{Users: map[string]users.User{"alice": {UID: ptr(1001)}}},
			applied: created,
			setup: func(m *testMachine) {
				m.write("etc/passwd", basePasswd+"carol:x:1001:1001::/home/carol:/bin/bash\n", 0o644)
				m.write("etc/group", baseGroup+"carol:x:1001:\n", 0o644)
			},
			want: []string{
				"+ user:alice  → uid 1001, group alice (gid 1002, new), home /home/alice (created, 0700) [user.add]",
				"- user:carol uid 1001, home /home/carol →  [user.del]",
			},
			// carol is deleted before alice takes her uid, not last
			// (reviewer R32: useradd found it taken).
			check: func(t *testing.T, part *platform.Part) {
				wantAfterDependents(t, part, "user:carol", false)
			},
		},
		{
			name:    "a deleted account runs after what depends on her, when no one takes her uid",
			cfg:     &users.Config{Users: map[string]users.User{"alice": {}}},
			applied: created,
			setup: func(m *testMachine) {
				m.write("etc/passwd", basePasswd+"carol:x:1001:1001::/home/carol:/bin/bash\n", 0o644)
				m.write("etc/group", baseGroup+"carol:x:1001:\n", 0o644)
			},
			want: []string{
				"+ user:alice  → uid 1002, group alice (gid 1002, new), home /home/alice (created, 0700) [user.add]",
				"- user:carol uid 1001, home /home/carol →  [user.del]",
			},
			check: func(t *testing.T, part *platform.Part) {
				wantAfterDependents(t, part, "user:carol", true)
			},
		},
		{
			name: "a deleted account's primary group, deleted too, goes after her",
			cfg:  &users.Config{},
			applied: &users.Records{
				Users:  []*users.UserRecord{{Name: "carol", UID: 1001, GID: 1500, Home: "/home/carol", Created: true}},
				Groups: []*users.GroupRecord{{Name: "staff2", GID: 1500, Created: true}},
			},
			setup: func(m *testMachine) {
				m.write("etc/passwd", basePasswd+"carol:x:1001:1500::/home/carol:/bin/bash\n", 0o644)
				m.write("etc/group", baseGroup+"staff2:x:1500:\n", 0o644)
			},
			want: []string{
				"- group:staff2 gid 1500 →  [group.del]",
				"- user:carol uid 1001, home /home/carol →  [user.del] after group:staff2",
			},
		},
		{
			name:    "a new user whose namesake group gocfg deletes gets a new group of its own",
			cfg:     &users.Config{Users: map[string]users.User{"alice": {}}},
			applied: &users.Records{Groups: []*users.GroupRecord{{Name: "alice", GID: 1500, Created: true}}},
			setup: func(m *testMachine) {
				m.write("etc/group", baseGroup+"alice:x:1500:\n", 0o644)
			},
			want: []string{
				"- group:alice gid 1500 →  [group.del]",
				"+ user:alice  → uid 1001, group alice (gid 1001, new), home /home/alice (created, 0700) [user.add]",
			},
		},
		{
			name:    "a user gocfg made and someone removed is made again with its uid",
			cfg:     &users.Config{Users: map[string]users.User{"carol": {}}},
			applied: created,
			setup: func(m *testMachine) {
				m.write("etc/passwd", basePasswd+"zed:x:1200:1200::/home/zed:/bin/sh\n", 0o644)
			},
			want: []string{"+ user:carol  → uid 1001, group carol (gid 1001, new), home /home/carol (created, 0700) [user.add] drift: removed by hand since gocfg created it"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMachine(t)
			if tt.setup != nil {
				tt.setup(m)
			}
			part, err := m.plan(&users.Provider{Config: tt.cfg}, providertest.Encode(t, tt.applied))
			checkPlan(t, part, err, tt.want, tt.errs, tt.warnings, tt.check)
		})
	}
}

// A planCase is one case of TestPlanDecisions.
type planCase struct {
	name     string
	cfg      *users.Config
	applied  *users.Records
	setup    func(m *testMachine)
	want     []string // change lines
	errs     []string // parts of the error, each naming its option
	warnings []string
	check    func(t *testing.T, part *platform.Part)
}

// checkPlan compares a plan (or its error) with the change lines, the
// parts of the error (each naming its option), the warnings (each a
// prefix) and the check of a case.
func checkPlan(t *testing.T, part *platform.Part, err error, want, errs, warnings []string, check func(*testing.T, *platform.Part)) {
	t.Helper()
	if len(errs) > 0 {
		checkPlanErrors(t, part, err, errs)
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	providertest.EqualLines(t, "changes", lines(part), want)
	checkWarnings(t, part.Warnings, warnings)
	if check != nil && len(part.Changes) > 0 {
		check(t, part)
	}
}

// checkPlanErrors checks that a plan failed with one *platform.ConfigError per
// part of errs, each saying its part.
func checkPlanErrors(t *testing.T, part *platform.Part, err error, errs []string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error; changes %q", lines(part))
	}
	for _, e := range errs {
		if !strings.Contains(err.Error(), e) {
			t.Errorf("error does not say %q:\n%v", e, err)
		}
	}
	var ce *platform.ConfigError
	if !errors.As(err, &ce) {
		t.Errorf("error %T is not a *platform.ConfigError", err)
	}
	if n := strings.Count(err.Error(), "\n") + 1; n != len(errs) {
		t.Errorf("%d errors, want %d:\n%v", n, len(errs), err)
	}
}

// checkWarnings checks that each warning starts with the wanted one.
func checkWarnings(t *testing.T, got, want []string) {
	t.Helper()
	if slices.Equal(got, want) {
		return
	}
	ok := len(got) == len(want)
	for i := range want {
		ok = ok && strings.HasPrefix(got[i], want[i])
	}
	if !ok {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestPlanSkipped(t *testing.T) {
	m := newMachine(t)
	rec := &users.Records{Users: []*users.UserRecord{{Name: "carol", UID: 1001, Created: true}}}
	cfg := &users.Config{Users: map[string]users.User{"alice": {}}}
	tests := []struct {
		name   string
		layout *machine.Machine
		note   string
	}{
		{"unprivileged", &machine.Machine{Sys: m.sys, OS: "linux"}, "users, groups: needs root; skipped"},
		{"unprivileged under --root", &machine.Machine{Sys: m.sys, Offline: true, Root: m.root, OS: "linux"}, "needs root (the shadow tools chroot"},
		{"macOS under --root", &machine.Machine{Sys: m.sys, Offline: true, Root: m.root, Privileged: true, OS: "darwin"}, "offline tree (--root) is not built"},
		{"macOS unprivileged", &machine.Machine{Sys: m.sys, OS: "darwin"}, "users, groups: needs root (sysadminctl"},
		{"a tool without --root", &machine.Machine{Sys: m.sys, Query: helpQuery{System: m.sys, noRoot: "gpasswd"}, Offline: true, Root: m.root, Privileged: true, OS: "linux"},
			"gpasswd cannot work on a --root folder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			part, err := (&users.Provider{Machine: tt.layout, Config: cfg}).Plan(t.Context(), providertest.Encode(t, rec))
			if err != nil {
				t.Fatal(err)
			}
			if len(part.Changes) != 0 || len(part.Notes) != 1 || !strings.Contains(part.Notes[0], tt.note) {
				t.Errorf("changes %q, notes %q; want none and %q", lines(part), part.Notes, tt.note)
			}
			if got := string(providertest.PartRecords(t, part)); got != `{"users":[{"name":"carol","config":{},"uid":1001,"gid":0,"home":"","created":true}],"groups":[],"members":[]}` {
				t.Errorf("records %s, want the applied ones", got)
			}
		})
	}
	// Under --dry-run the tools' help cannot be read: they are assumed fine.
	dry := &machine.Machine{Sys: system.NewDryRun(m.sys), Offline: true, Root: m.root, Privileged: true, OS: "linux"}
	if part, err := (&users.Provider{Machine: dry, Config: cfg}).Plan(t.Context(), nil); err != nil || len(part.Changes) != 1 || len(part.Notes) != 0 {
		t.Errorf("dry run: %v, %q, %q", err, lines(part), part.Notes)
	}
	// A root without /etc/passwd.
	empty := system.NewRooted(t.TempDir(), system.NewReal())
	part, err := (&users.Provider{Machine: &machine.Machine{Sys: empty, Offline: true, Root: "/x", Privileged: true, OS: "linux"}, Config: cfg}).Plan(t.Context(), nil)
	if err != nil || len(part.Changes) != 0 || len(part.Notes) != 1 || !strings.Contains(part.Notes[0], "no /etc/passwd") {
		t.Errorf("empty root: %v, %q, %q", err, lines(part), part.Notes)
	}
}

func TestPlanFromRecordsReusesIDs(t *testing.T) {
	m := newMachine(t)
	m.write("etc/passwd", basePasswd+"zed:x:1500:1500::/home/zed:/bin/sh\n", 0o644)
	// A rollback to a generation in which gocfg had made carol (uid 1001,
	// her group 1001) and devs (gid 1300), with no uid declared.
	recs := &users.Records{
		Users:   []*users.UserRecord{{Name: "carol", UID: 1001, GID: 1001, Home: "/home/carol", Created: true, PrivateGroup: true, Config: users.User{Groups: []string{"devs"}}}},
		Groups:  []*users.GroupRecord{{Name: "devs", GID: 1300, Created: true}},
		Members: []users.Membership{{Group: "devs", User: "carol"}},
	}
	p := &users.Provider{Records: recs}
	part, err := m.plan(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"+ group:devs  → gid 1300 [group.add]",
		"+ user:carol  → uid 1001, group carol (gid 1001, new), home /home/carol (created, 0700), groups devs [user.add] after group:devs",
	}
	providertest.EqualLines(t, "changes", lines(part), want)
	// The providers after this one see the accounts and groups the plan
	// creates through its facts, with their IDs and homes.
	if part.Facts == nil || part.Facts.Accounts == nil {
		t.Fatalf("no facts: %+v", part.Facts)
	}
	if a, ok := part.Facts.Accounts.User("carol"); !ok || a.UID != 1001 || a.GID != 1001 || a.Home != "/home/carol" {
		t.Errorf("facts: carol = %+v, %v", a, ok)
	}
	for _, g := range []string{"carol", "devs"} {
		if _, ok := part.Facts.Accounts.Group(g); !ok {
			t.Errorf("facts: no group %s", g)
		}
	}
	if len(part.Facts.NewHomes) != 0 {
		t.Errorf("a rollback makes no new homes: %v", part.Facts.NewHomes)
	}
	if len(part.Rerecorded) != 0 {
		t.Errorf("Rerecorded = %q with every recorded ID free, want none", part.Rerecorded)
	}
}

// TestPlanFromRecordsTakenIDs: a rollback that creates accounts again
// whose recorded IDs were taken since gives them other IDs, records
// those, and says why its records differ from the generation's
// (Part.Rerecorded), so that the rollback records a new generation.
func TestPlanFromRecordsTakenIDs(t *testing.T) {
	m := newMachine(t)
	m.write("etc/passwd", basePasswd+"dan:x:1001:100::/home/dan:/bin/sh\n", 0o644)
	m.write("etc/group", baseGroup+"dgrp:x:1001:\nops:x:1300:\n", 0o644)
	recs := &users.Records{
		Users:   []*users.UserRecord{{Name: "carol", UID: 1001, GID: 1001, Home: "/home/carol", Created: true, PrivateGroup: true}},
		Groups:  []*users.GroupRecord{{Name: "devs", GID: 1300, Created: true}},
		Members: []users.Membership{},
	}
	part, err := m.plan(&users.Provider{Records: recs}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"users.carol: the recorded uid 1001 is taken by user dan; created again with uid 1002",
		"users.carol (its group): the recorded gid 1001 is taken by group dgrp; created again with gid 1301",
		"groups.devs: the recorded gid 1300 is taken by group ops; created again with gid 1302",
	}
	providertest.EqualLines(t, "rerecorded", part.Rerecorded, want)
	for _, w := range want {
		if !slices.Contains(part.Notes, w) {
			t.Errorf("notes %q, want %q among them", part.Notes, w)
		}
	}
	got := string(providertest.PartRecords(t, part))
	for _, w := range []string{`"name":"carol","config":{},"uid":1002,"gid":1301`, `"name":"devs","config":{},"gid":1302,"created":true`} {
		if !strings.Contains(got, w) {
			t.Errorf("records %s, want %s in them", got, w)
		}
	}
}

// TestForget: an account gocfg stops managing without deleting it (not
// created by gocfg, or changed by hand) leaves a hidden Forget change, so
// the switch records a generation without it.
func TestForget(t *testing.T) {
	m := newMachine(t)
	part, err := m.plan(&users.Provider{Config: &users.Config{}}, providertest.Encode(t, &users.Records{Users: []*users.UserRecord{{Name: "bob", UID: 1000, GID: 1000, Home: "/home/bob"}}}))
	if err != nil {
		t.Fatal(err)
	}
	if len(part.Changes) != 1 {
		t.Fatalf("changes %+v, want one hidden forget", part.Changes)
	}
	c := part.Changes[0]
	if c.ID != "user:bob" || !c.Hidden || c.Action != platform.Delete || len(c.Ops) != 0 {
		t.Errorf("change %+v, want a hidden delete of user:bob without ops", c)
	}
	if recs := part.Records.(*users.Records); len(recs.Users) != 0 {
		t.Errorf("records still hold %+v", recs.Users)
	}
}

// TestNewUserForeignHome: a new user whose home folder exists and
// belongs to another uid (a home kept when its user was deleted, whose
// uid another account has now) is made, with a warning naming the
// owner; a home that is already the new uid's is no warning.
func TestNewUserForeignHome(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("giving a folder to another uid needs root")
	}
	for _, tt := range []struct {
		name  string
		owner int
		want  []string
	}{
		{"owned by another account", 1000, []string{"users.carol: the home folder /home/carol exists and belongs to bob (uid 1000), not to carol (uid 1001): its owner can change what carol runs at login; give it to carol (chown -R) or move it away"}},
		{"owned by no account", 4242, []string{"users.carol: the home folder /home/carol exists and belongs to uid 4242, not to carol (uid 1001): its owner can change what carol runs at login; give it to carol (chown -R) or move it away"}},
		{"already hers", 1001, nil},
		// A folder of root's ("/", /etc, /run/sshd): no leftover of a
		// deleted account, and chown -R would be the wrong advice.
		{"owned by root", 0, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := newMachine(t)
			home := filepath.Join(m.root, "home/carol")
			if err := os.Mkdir(home, 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.Chown(home, tt.owner, tt.owner); err != nil {
				t.Fatal(err)
			}
			uid := 1001
			part, err := m.plan(&users.Provider{Config: &users.Config{Users: map[string]users.User{"carol": {UID: &uid}}}}, nil)
			if err != nil {
				t.Fatal(err)
			}
			providertest.EqualLines(t, "warnings", part.Warnings, tt.want)
			providertest.EqualLines(t, "changes", lines(part), []string{"+ user:carol  → uid 1001, group carol (gid 1001, new), home /home/carol [user.add]"})
		})
	}
}

// unlessRoot is want, or none when the test runs as root: for what
// depends on who owns the folders the test makes.
func unlessRoot(want ...string) []string {
	if os.Geteuid() == 0 {
		return nil
	}
	return want
}

// TestNewUserSkipsKeptHomesUID (tester R): a home kept after its user
// was deleted still belongs to her uid; the next account gocfg makes
// does not get that uid (useradd's highest-plus-one would give it, and
// the new account would own her files), nor its group's gid. A user of
// her name made again gets her uid back, as NixOS's uid-map does.
func TestNewUserSkipsKeptHomesUID(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("giving a folder to another uid needs root")
	}
	m := newMachine(t)
	kept := filepath.Join(m.root, "home/carol")
	if err := os.Mkdir(kept, 0o700); err != nil {
		t.Fatal(err)
	}
	// bob (1000) is the highest account: carol had 1001.
	if err := os.Chown(kept, 1001, 1001); err != nil {
		t.Fatal(err)
	}
	part, err := m.plan(&users.Provider{Config: &users.Config{Users: map[string]users.User{"dave": {}}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	providertest.EqualLines(t, "changes", lines(part), []string{"+ user:dave  → uid 1002, group dave (gid 1002, new), home /home/dave (created, 0700) [user.add]"})

	part, err = m.plan(&users.Provider{Config: &users.Config{Users: map[string]users.User{"carol": {}}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	providertest.EqualLines(t, "carol made again", lines(part), []string{"+ user:carol  → uid 1001, group carol (gid 1001, new), home /home/carol [user.add]"})
	providertest.EqualLines(t, "warnings", part.Warnings, nil)
}

// TestGroupMemberHint: a member that is no user is told where it may
// come from too: an option such as virtualisation.docker.users puts it
// in groups.<name>.members, which the user never wrote (tester U).
func TestGroupMemberHint(t *testing.T) {
	m := newMachine(t)
	_, err := m.plan(&users.Provider{Config: &users.Config{Groups: map[string]users.Group{"docker": {Members: []string{"zed"}}}}}, nil)
	var ce *platform.ConfigError
	if !errors.As(err, &ce) {
		t.Fatalf("error %v, want a *platform.ConfigError", err)
	}
	if want := "declare it under users.zed, or take it off groups.docker.members (or off the option that puts it there, such as virtualisation.docker.users)"; ce.Hint != want {
		t.Errorf("hint %q, want %q", ce.Hint, want)
	}
}

// TestWheelNotWaited: NixOS's groups = ["wheel"] on a machine without
// the group is an error, with the hint to set admin = true, even when
// the switch installs packages: no package brings it where it is missing
// (Debian), and waiting for them made the switch fail at its step, with
// no place named (tester W). Another missing group still waits.
func TestWheelNotWaited(t *testing.T) {
	m := newMachine(t)
	cfg := func(group string) *users.Config {
		return &users.Config{Users: map[string]users.User{"dave": {Groups: []string{group}}}}
	}
	_, err := m.plan(&users.Provider{Config: cfg("wheel"), PackagesPending: true}, nil)
	var ce *platform.ConfigError
	if !errors.As(err, &ce) || !strings.Contains(ce.Hint, "admin = true") {
		t.Fatalf("error %v, want a *platform.ConfigError with the hint admin = true", err)
	}
	part, err := m.plan(&users.Provider{Config: cfg("docker"), PackagesPending: true}, nil)
	if err != nil || len(part.Warnings) == 0 {
		t.Errorf("a group a package may bring: error %v, warnings %q; want it waited for", err, part.Warnings)
	}
}

// TestUIDOfAKeptHome (tester BE): a uid the configuration gives a user
// made or renumbered (reviewer R31: usermod -u chowns only her own home)
// may not be the owner of a home kept from a deleted account (a folder
// under /home of a uid no account has, or the home of an account this
// plan deletes), unless it is her own home, made again; gocfg picks no
// such uid itself.
func TestUIDOfAKeptHome(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("a folder of another uid needs root")
	}
	carol := &users.Records{Users: []*users.UserRecord{{Name: "carol", UID: 1001, GID: 1001, Home: "/home/carol", Created: true, PrivateGroup: true}}}
	for _, tc := range []struct {
		name    string
		user    string
		uid     int
		applied *users.Records
		owner   int // of /home/carol, deleted in this plan with applied
		err     string
	}{
		{"another user", "eve", 4200, nil, 0, "users.eve.uid: uid 4200 owns /home/dora, the home kept of a deleted account: eve would own it, and every file in it"},
		{"her own home, made again", "dora", 4200, nil, 0, ""},
		{"an existing user renumbered", "bob", 4200, nil, 0, "users.bob.uid: uid 4200 owns /home/dora, the home kept of a deleted account: bob would own it"},
		{"the home of one this plan deletes", "eve", 1001, carol, 1001, "users.eve.uid: uid 1001 owns /home/carol, the home kept of user carol, which this switch deletes: eve would own it, and every file in it"},
		{"that home given to root first", "eve", 1001, carol, 0, ""},
	} {
		m := newMachine(t)
		m.write("home/dora/diary", "mine", 0o600)
		if err := os.Chown(filepath.Join(m.root, "home/dora"), 4200, 4200); err != nil {
			t.Fatal(err)
		}
		if tc.applied != nil {
			m.write("etc/passwd", basePasswd+"carol:x:1001:1001::/home/carol:/bin/bash\n", 0o644)
			m.write("etc/group", baseGroup+"carol:x:1001:\n", 0o644)
			m.write("home/carol/diary", "mine", 0o600)
			if err := os.Chown(filepath.Join(m.root, "home/carol"), tc.owner, tc.owner); err != nil {
				t.Fatal(err)
			}
		}
		part, err := m.plan(&users.Provider{Config: &users.Config{Users: map[string]users.User{tc.user: {UID: ptr(tc.uid)}}}}, providertest.Encode(t, tc.applied))
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("%s: %v, want the plan made", tc.name, err)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%s: %v (%v), want %q", tc.name, err, part, tc.err)
		}
		// A kept home given to root: no uid of it can go to anyone
		// (reviewer R31: "owned by uid 0: … may get that uid").
		if tc.applied != nil && tc.owner == 0 && err == nil {
			c := providertest.Change(t, &platform.Plan{Changes: part.Changes}, "user:carol")
			if !strings.Contains(c.Note, "the home folder /home/carol is kept") || strings.Contains(c.Note, "may get that uid") {
				t.Errorf("%s: note %q", tc.name, c.Note)
			}
		}
	}
}

// TestRollbackUIDTakenHint (tester BE): a rollback to a generation that
// gives a user a uid another account has now cannot "pick a free uid":
// the hint says what can be done.
func TestRollbackUIDTakenHint(t *testing.T) {
	m := newMachine(t)
	rec := &users.Records{Users: []*users.UserRecord{{Name: "carol", UID: 1000, GID: 1000, Home: "/home/carol", Created: true, PrivateGroup: true, Config: users.User{UID: ptr(1000)}}}}
	_, err := m.plan(&users.Provider{Records: rec}, nil)
	const want = "the generation gives carol uid 1000, which bob has now: give bob another uid (usermod -u) or delete it, or switch to a configuration that gives carol another uid"
	if err == nil || !strings.Contains(err.Error(), "users.carol.uid: uid 1000 belongs to user bob") {
		t.Fatalf("rollback: %v, want carol's uid refused", err)
	}
	if ce := (*platform.ConfigError)(nil); !errors.As(err, &ce) || ce.Hint != want {
		t.Errorf("error %#v, want the hint %q", ce, want)
	}
}

// wantAfterDependents checks the AfterDependents of the change id of part.
func wantAfterDependents(t *testing.T, part *platform.Part, id string, want bool) {
	t.Helper()
	for _, c := range part.Changes {
		if c.ID == id {
			if c.AfterDependents != want {
				t.Errorf("%s: AfterDependents = %v, want %v", id, c.AfterDependents, want)
			}
			return
		}
	}
	t.Errorf("no change %s", id)
}
