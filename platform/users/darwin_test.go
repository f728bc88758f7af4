package users_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/internal/macfake"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/accounts"
	"github.com/gocfg/gocfg/platform/internal/providertest"
	"github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/macos"
	"github.com/gocfg/gocfg/platform/system"
	"github.com/gocfg/gocfg/platform/users"
)

// dsclStub answers the two `dscl . -readall` commands with the outputs
// taken from a Mac under testdata.
type dsclStub struct {
	system.System
	t *testing.T
}

func (s dsclStub) Run(_ context.Context, c system.Command) ([]byte, error) {
	want := map[string]string{
		"/Users":  ". -readall /Users RecordName UniqueID PrimaryGroupID NFSHomeDirectory UserShell RealName IsHidden",
		"/Groups": ". -readall /Groups RecordName PrimaryGroupID GroupMembership",
	}
	if c.Path != macos.Dscl || len(c.Args) < 3 || strings.Join(c.Args, " ") != want[c.Args[2]] {
		s.t.Fatalf("unexpected command %s %q", c.Path, c.Args)
	}
	file := map[string]string{"/Users": "dscl_readall_users.txt", "/Groups": "dscl_readall_groups.txt"}[c.Args[2]]
	return os.ReadFile(filepath.Join("testdata", file))
}

func TestReadDarwinAccounts(t *testing.T) {
	db, err := users.ReadDarwinAccounts(t.Context(), dsclStub{t: t})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, u := range db.Users() {
		names = append(names, u.Name)
	}
	if !slices.Equal(names, []string{"_www", "alice", "ci", "daemon", "nobody", "root"}) {
		t.Errorf("users %q (a record without a UniqueID is left out)", names)
	}
	for _, want := range []accounts.Account{
		{Name: "root", UID: 0, GID: 0, GECOS: "System Administrator", Home: "/var/root", Shell: "/bin/sh"},
		{Name: "nobody", UID: -2, GID: -2, GECOS: "Unprivileged User", Home: "/var/empty", Shell: "/usr/bin/false"},
		{Name: "alice", UID: 501, GID: 20, GECOS: "Alice Liddell", Home: "/Users/alice", Shell: "/bin/zsh"},
		{Name: "ci", UID: 502, GID: 20, GECOS: "ci", Home: "/Users/ci", Shell: "/bin/bash"},
		{Name: "_www", UID: 70, GID: 70, GECOS: "World Wide Web Server", Home: "/Library/WebServer", Shell: "/usr/bin/false"},
	} {
		if got, ok := db.User(want.Name); !ok || got != want {
			t.Errorf("%s = %+v, want %+v", want.Name, got, want)
		}
	}
	for _, want := range []accounts.Group{
		{Name: "admin", GID: 80, Members: []string{"root", "alice"}},
		{Name: "everyone", GID: 12},
		{Name: "com.apple.access_ssh", GID: 399, Members: []string{"alice", "ci"}},
		{Name: "devs", GID: 600, Members: []string{"ci"}},
	} {
		got, ok := db.GroupEntry(want.Name)
		if !ok || !equalGroups([]accounts.Group{got}, []accounts.Group{want}) {
			t.Errorf("group %s = %+v, want %+v", want.Name, got, want)
		}
	}
	if got := db.SupplementaryGroups("ci"); !slices.Equal(got, []string{"com.apple.access_ssh", "devs"}) {
		t.Errorf("ci's groups %q", got)
	}
}

// mac is a fake Mac: root, the first user alice (uid 501, admin, the
// primary user), a few system accounts, and /etc/shells.
type mac struct {
	t *testing.T
	f *macfake.Fake
}

func newMac(t *testing.T) *mac {
	t.Helper()
	f := macfake.New(system.NewRooted(t.TempDir(), system.NewReal()), "root")
	for _, u := range []macfake.UserRecord{
		{Name: "alice", UID: 501, GID: 20, Shell: "/bin/zsh", RealName: "Alice Liddell", Groups: []string{"admin"}},
		{Name: "daemon", UID: 1, GID: 1, Home: "/var/root", Shell: "/usr/bin/false", RealName: "System Services"},
		{Name: "_www", UID: 70, GID: 70, Home: "/Library/WebServer", Shell: "/usr/bin/false", RealName: "World Wide Web Server", Hidden: true},
	} {
		if err := f.AddUser(u); err != nil {
			t.Fatal(err)
		}
	}
	gs, err := f.Groups()
	if err != nil {
		t.Fatal(err)
	}
	gs["everyone"] = macfake.GroupRecord{Name: "everyone", GID: 12}
	gs["_www"] = macfake.GroupRecord{Name: "_www", GID: 70}
	if err := f.SaveGroups(gs); err != nil {
		t.Fatal(err)
	}
	if err := f.MkdirAll(stateDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := f.MkdirAll("/etc", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := f.WriteFile("/etc/shells", []byte("# List of acceptable shells for chpass(1).\n/bin/bash\n/bin/csh\n/bin/dash\n/bin/ksh\n/bin/sh\n/bin/tcsh\n/bin/zsh\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := f.ClearLog(); err != nil {
		t.Fatal(err)
	}
	return &mac{t: t, f: f}
}

func (m *mac) layout() *machine.Machine {
	return &machine.Machine{Sys: m.f, Privileged: true, OS: "darwin"}
}

func (m *mac) db() *accounts.Database {
	m.t.Helper()
	db, err := users.ReadDarwinAccounts(context.Background(), m.f)
	if err != nil {
		m.t.Fatal(err)
	}
	return db
}

// changes returns the commands logged since the last call that change
// the directory (not the reads: dscl -read/-readall, id).
func (m *mac) changes() []string {
	m.t.Helper()
	log := providertest.TakeLog(m.t, m.f)
	var out []string
	for _, l := range log {
		if strings.Contains(l, " -readall ") || strings.Contains(l, " -read ") || strings.Contains(l, "/usr/bin/id ") {
			continue
		}
		out = append(out, l)
	}
	return out
}

func (m *mac) plan(p *users.Provider, applied json.RawMessage) (*platform.Part, error) {
	if p.Machine == nil {
		p.Machine, p.PrimaryUser = m.layout(), "alice"
	}
	return checkDeps(p.Plan(context.Background(), applied))
}

func TestDarwinPlanDecisions(t *testing.T) {
	carol := func(u users.User) *users.Config { return &users.Config{Users: map[string]users.User{"carol": u}} }
	tests := []struct {
		name     string
		cfg      *users.Config
		applied  *users.Records
		primary  string // macos.primary_user; alice when empty
		setup    func(m *mac)
		want     []string
		errs     []string
		warnings []string
		check    func(t *testing.T, part *platform.Part)
	}{
		{
			name: "a new user gets the first free uid from 502, staff, and its groups",
			cfg: &users.Config{
				Users:  map[string]users.User{"carol": {Description: ptr("Carol"), Shell: ptr("/bin/zsh"), Groups: []string{"admin", "devs"}, IsHidden: true}},
				Groups: map[string]users.Group{"devs": {}},
			},
			want: []string{
				`+ group:devs  → gid 502 [group.darwin.add]`,
				`+ user:carol  → uid 502, group staff (gid 20), home /Users/carol (created by createhomedir), description "Carol", shell /bin/zsh, hidden, groups admin, devs [user.darwin.add] after group:admin group:devs`,
			},
			check: func(t *testing.T, part *platform.Part) {
				op := part.Changes[1].Ops[0].(*users.DarwinUserAddOp)
				want := users.DarwinUserAddOp{Name: "carol", UID: 502, Home: "/Users/carol", CreateHome: true, RealName: ptr("Carol"), Shell: ptr("/bin/zsh"), Admin: true, Groups: []string{"devs"}, Hidden: true}
				a, _ := json.Marshal(op)
				b, _ := json.Marshal(want)
				if string(a) != string(b) {
					t.Errorf("op %s, want %s", a, b)
				}
			},
		},
		{
			name: "the first free uid skips the ones in use",
			cfg:  carol(users.User{}),
			setup: func(m *mac) {
				if err := m.f.AddUser(macfake.UserRecord{Name: "dave", UID: 502}); err != nil {
					m.t.Fatal(err)
				}
				if err := m.f.AddUser(macfake.UserRecord{Name: "erin", UID: 504}); err != nil {
					m.t.Fatal(err)
				}
			},
			want: []string{`+ user:carol  → uid 503, group staff (gid 20), home /Users/carol (created by createhomedir) [user.darwin.add]`},
		},
		{
			name:    "a rollback reuses the recorded uid",
			cfg:     carol(users.User{}),
			applied: &users.Records{Users: []*users.UserRecord{{Name: "carol", UID: 777, GID: 20, Home: "/Users/carol", Created: true}}},
			want:    []string{`+ user:carol  → uid 777, group staff (gid 20), home /Users/carol (created by createhomedir) [user.darwin.add] drift: removed by hand since gocfg created it`},
		},
		{
			name: "an existing user is changed with dscl and adopted",
			cfg:  &users.Config{Users: map[string]users.User{"alice": {Description: ptr("Alice L."), Shell: ptr("/bin/bash"), IsHidden: true, Groups: []string{"admin", "everyone"}}}},
			want: []string{`~ user:alice description "Alice Liddell", shell /bin/zsh, shown, groups admin → description "Alice L.", shell /bin/bash, hidden, groups admin, everyone [user.darwin.mod user.darwin.hidden group.darwin.member.add] after group:everyone`},
		},
		{
			name:    "is_hidden turned off shows the user gocfg hid",
			cfg:     &users.Config{Users: map[string]users.User{"_www": {}}},
			applied: &users.Records{Users: []*users.UserRecord{{Name: "_www", Config: users.User{IsHidden: true}, UID: 70, GID: 70, Home: "/Library/WebServer"}}},
			want:    []string{`~ user:_www hidden → shown [user.darwin.hidden]`},
		},
		{
			name: "a user hidden by hand stays hidden",
			cfg:  &users.Config{Users: map[string]users.User{"_www": {}}},
			want: []string{`~ user:_www  →  []`},
		},
		{
			name: "a new group and its members",
			cfg:  &users.Config{Groups: map[string]users.Group{"devs": {GID: ptr(700), Members: []string{"alice"}}}},
			want: []string{`+ group:devs  → gid 700, members alice [group.darwin.add group.darwin.member.add]`},
		},
		{
			name: "uid taken by another account",
			cfg:  carol(users.User{UID: ptr(501)}),
			errs: []string{"users.carol.uid: uid 501 belongs to user alice"},
		},
		{
			name: "a uid of 501 or below for a new user",
			cfg:  carol(users.User{UID: ptr(499)}),
			errs: []string{"users.carol.uid: uid 499 is reserved"},
		},
		{
			name: "a gid of 501 or below for a new group",
			cfg:  &users.Config{Groups: map[string]users.Group{"devs": {GID: ptr(300)}}},
			errs: []string{"groups.devs.gid: gid 300 is reserved"},
		},
		{
			name: "the uid of an existing user",
			cfg:  &users.Config{Users: map[string]users.User{"alice": {UID: ptr(600)}}},
			errs: []string{"users.alice.uid: alice has uid 501; gocfg does not change the uid of an existing macOS user"},
		},
		{
			name: "the gid of a macOS group",
			cfg:  &users.Config{Groups: map[string]users.Group{"admin": {GID: ptr(800)}}},
			errs: []string{"groups.admin.gid: admin has gid 80"},
		},
		{
			name: "invalid and reserved names, unknown groups and shells",
			cfg: &users.Config{
				Users:  map[string]users.User{"Carol": {}, "_svc": {}, "dave": {Groups: []string{"nope"}, Shell: ptr("/opt/homebrew/bin/fish"), Description: ptr("Dave\nD.")}},
				Groups: map[string]users.Group{"_builders": {}},
			},
			errs: []string{
				`users.Carol: "Carol": the name must be lowercase letters`,
				`users._svc: "_svc": names starting with _ are macOS's own system accounts`,
				`users.dave.groups: group "nope" does not exist and is not declared under groups`,
				`users.dave.shell: /opt/homebrew/bin/fish is not listed in /etc/shells`,
				`users.dave.description: "Dave\nD.": the full name may not contain a line break`,
				`groups._builders: "_builders": names starting with _ are macOS's own system groups`,
			},
		},
		{
			// A macOS short name may hold a dot: its option path quotes it
			// (users."j.doe".uid), which the CLI finds in the configuration;
			// users.j.doe.uid named another option.
			name: "the uid of an existing user with a dot in its name",
			cfg:  &users.Config{Users: map[string]users.User{"j.doe": {UID: ptr(700)}}, Groups: map[string]users.Group{"x.y": {GID: ptr(300)}}},
			setup: func(m *mac) {
				if err := m.f.AddUser(macfake.UserRecord{Name: "j.doe", UID: 600}); err != nil {
					m.t.Fatal(err)
				}
			},
			errs: []string{
				`users."j.doe".uid: j.doe has uid 600`,
				`groups."x.y".gid: gid 300 is reserved`,
			},
		},
		{
			name: "the home of an existing user is not moved",
			cfg:  &users.Config{Users: map[string]users.User{"alice": {Home: ptr("/Volumes/Data/alice")}}},
			errs: []string{"users.alice.home: alice's home folder is /Users/alice"},
		},
		{
			name:    "a created user no longer declared is deleted, its home kept",
			cfg:     &users.Config{},
			applied: &users.Records{Users: []*users.UserRecord{{Name: "carol", UID: 600, GID: 20, Home: "/Users/carol", Created: true}}},
			setup: func(m *mac) {
				if err := m.f.AddUser(macfake.UserRecord{Name: "carol", UID: 600, RealName: "Carol", Shell: "/bin/zsh", Groups: []string{"everyone"}}); err != nil {
					m.t.Fatal(err)
				}
			},
			want: []string{`- user:carol uid 600, home /Users/carol →  [user.darwin.del] after group:everyone`},
			check: func(t *testing.T, part *platform.Part) {
				op := part.Changes[0].Ops[0].(*users.DarwinUserDelOp)
				if op.RealName != "Carol" || op.Shell != "/bin/zsh" || !slices.Equal(op.Groups, []string{"everyone"}) || op.GID != 20 {
					t.Errorf("op %+v", op)
				}
			},
		},
		{
			name:    "never deleted: uid 501 or below, the primary user, _ names, root, hand-made users",
			cfg:     &users.Config{},
			primary: "bob",
			applied: &users.Records{
				Users: []*users.UserRecord{
					{Name: "alice", UID: 501, GID: 20, Home: "/Users/alice", Created: true},
					{Name: "bob", UID: 650, GID: 20, Home: "/Users/bob", Created: true},
					{Name: "_svc", UID: 660, GID: 20, Home: "/var/empty", Created: true},
					{Name: "root", UID: 0, GID: 0, Home: "/var/root", Created: true},
					{Name: "daemon", UID: 1, GID: 1, Home: "/var/root"},
				},
				Groups: []*users.GroupRecord{{Name: "everyone", GID: 12, Created: true}, {Name: "_www", GID: 70, Created: true}},
			},
			setup: func(m *mac) {
				for _, u := range []macfake.UserRecord{{Name: "bob", UID: 650}, {Name: "_svc", UID: 660, Home: "/var/empty"}} {
					if err := m.f.AddUser(u); err != nil {
						m.t.Fatal(err)
					}
				}
			},
			warnings: []string{
				"users._svc: no longer declared; names starting with _ are macOS's own system accounts, which gocfg never deletes",
				"users.alice: no longer declared; uid 501 is 501 or below (macOS's own accounts and its first user), which gocfg never deletes",
				"users.root: no longer declared; it is root, which gocfg never deletes",
				"groups._www: no longer declared; names starting with _ are macOS's own system groups",
				"groups.everyone: no longer declared; gid 12 is 501 or below (macOS's own groups)",
				"users.bob: no longer declared; it is the primary user (macos.primary_user), which gocfg never deletes",
			},
			check: func(t *testing.T, part *platform.Part) {
				for _, c := range part.Changes {
					if !c.Hidden || len(c.Ops) > 0 {
						t.Errorf("change %s", line(c))
					}
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMac(t)
			if tt.setup != nil {
				tt.setup(m)
			}
			primary := "alice"
			if tt.primary != "" {
				primary = tt.primary
			}
			part, err := m.plan(&users.Provider{Machine: m.layout(), PrimaryUser: primary, Config: tt.cfg}, providertest.Encode(t, tt.applied))
			if len(tt.errs) > 0 {
				if err == nil {
					t.Fatalf("no error; changes %q", lines(part))
				}
				for _, e := range tt.errs {
					if !strings.Contains(err.Error(), e) {
						t.Errorf("error %q\nlacks %q", err, e)
					}
				}
				var ce *platform.ConfigError
				if !errors.As(err, &ce) {
					t.Errorf("%v is not a ConfigError", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			providertest.EqualLines(t, "changes", lines(part), tt.want)
			for _, w := range tt.warnings {
				if !slices.ContainsFunc(part.Warnings, func(s string) bool { return strings.Contains(s, w) }) {
					t.Errorf("warnings %q\nlack %q", part.Warnings, w)
				}
			}
			if len(part.Warnings) != len(tt.warnings) {
				t.Errorf("warnings %q, want %d", part.Warnings, len(tt.warnings))
			}
			if tt.check != nil {
				tt.check(t, part)
			}
		})
	}
}

// A user and a group are created, changed, deleted and brought back by a
// rollback through the engine; every plan after a switch is empty.
func TestDarwinSwitch(t *testing.T) {
	m := newMac(t)
	s := newSwitcherOn(t, m.f, m.layout)
	empty := func(cfg *users.Config) {
		t.Helper()
		p, err := s.MakePlan(&users.Provider{Machine: m.layout(), PrimaryUser: "alice", Config: cfg})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range p.Changes {
			if len(c.Ops) > 0 {
				t.Errorf("plan after the switch: %s", line(c))
			}
		}
	}
	// switchTo switches to cfg, which must run the commands want.
	switchTo := func(cfg *users.Config, want ...string) {
		t.Helper()
		if _, err := s.switchTo(&users.Provider{Machine: m.layout(), PrimaryUser: "alice", Config: cfg}); err != nil {
			t.Fatal(err)
		}
		providertest.EqualLines(t, "commands", m.changes(), want)
	}
	// 1: carol, hidden, in admin and devs; devs with alice.
	cfg1 := &users.Config{
		Users:  map[string]users.User{"carol": {Description: ptr("Carol"), Shell: ptr("/bin/zsh"), Groups: []string{"admin", "devs"}, IsHidden: true}},
		Groups: map[string]users.Group{"devs": {Members: []string{"alice"}}},
	}
	switchTo(cfg1,
		"[root] /usr/bin/dscl . -create /Groups/devs PrimaryGroupID 502",
		"[root] /usr/bin/dscl . -create /Groups/devs RealName devs",
		"[root] /usr/sbin/dseditgroup -o edit -a alice -t user devs",
		"[root] /usr/sbin/sysadminctl -addUser carol -fullName Carol -UID 502 -shell /bin/zsh -home /Users/carol -admin",
		"[root] /usr/bin/dscl . -create /Users/carol IsHidden 1",
		"[root] /usr/sbin/dseditgroup -o edit -a carol -t user devs",
		"[root] /usr/sbin/createhomedir -c -u carol",
	)
	db := m.db()
	if c, ok := db.User("carol"); !ok || c.UID != 502 || c.GID != 20 || c.Home != "/Users/carol" || c.GECOS != "Carol" {
		t.Errorf("carol = %+v, %v", c, ok)
	}
	if got := db.SupplementaryGroups("carol"); !slices.Equal(got, []string{"admin", "devs"}) {
		t.Errorf("carol's groups %q", got)
	}
	if _, err := m.f.Stat("/Users/carol/Library/Preferences"); err != nil {
		t.Errorf("home: %v", err)
	}
	empty(cfg1)

	// 2: carol's shell changes, she is shown, leaves devs.
	cfg2 := &users.Config{
		Users:  map[string]users.User{"carol": {Description: ptr("Carol"), Shell: ptr("/bin/bash"), Groups: []string{"admin"}}},
		Groups: map[string]users.Group{"devs": {Members: []string{"alice"}}},
	}
	switchTo(cfg2,
		"[root] /usr/bin/dscl . -create /Users/carol UserShell /bin/bash",
		"[root] /usr/bin/dscl . -delete /Users/carol IsHidden",
		"[root] /usr/sbin/dseditgroup -o edit -d carol -t user devs",
	)
	empty(cfg2)

	// 3: both gone: carol deleted (home kept), devs deleted.
	switchTo(&users.Config{},
		"[root] /usr/bin/dscl . -delete /Groups/devs",
		"[root] /usr/sbin/dseditgroup -o edit -d carol -t user admin",
		"[root] /usr/sbin/sysadminctl -deleteUser carol -keepHome",
	)
	if _, ok := m.db().User("carol"); ok {
		t.Error("carol is still there")
	}
	if _, err := m.f.Stat("/Users/carol"); err != nil {
		t.Errorf("carol's home was not kept: %v", err)
	}
	empty(&users.Config{})

	// Rolling back to generation 2 makes carol again, with her uid, and
	// devs with its gid and member.
	s.rollback(2)
	db = m.db()
	if c, ok := db.User("carol"); !ok || c.UID != 502 || c.Shell != "/bin/bash" {
		t.Errorf("after the rollback carol = %+v, %v", c, ok)
	}
	if g, ok := db.GroupEntry("devs"); !ok || g.GID != 502 || !slices.Equal(g.Members, []string{"alice"}) {
		t.Errorf("after the rollback devs = %+v, %v", g, ok)
	}
	if got := db.SupplementaryGroups("carol"); !slices.Equal(got, []string{"admin"}) {
		t.Errorf("after the rollback carol's groups %q", got)
	}
	empty(cfg2)
}

// sysadminctl exits 0 when it fails: the op finds out with id and says
// what sysadminctl printed; the switch is undone.
func TestDarwinSysadminctlSilentFailure(t *testing.T) {
	m := newMac(t)
	s := newSwitcherOn(t, m.f, m.layout)
	if err := m.f.BreakSysadminctl("Creating user record failed: eDSPermissionError"); err != nil {
		t.Fatal(err)
	}
	cfg := &users.Config{Users: map[string]users.User{"carol": {}}, Groups: map[string]users.Group{"devs": {Members: []string{"carol"}}}}
	_, err := s.switchTo(&users.Provider{Machine: m.layout(), PrimaryUser: "alice", Config: cfg})
	if err == nil || !strings.Contains(err.Error(), "user carol: sysadminctl -addUser did not create it") || !strings.Contains(err.Error(), "it said: No clear text password or interactive option was specified (adduser, change/reset password will not allow user to use FDE) !; Creating user record failed: eDSPermissionError") {
		t.Fatalf("switch: %v", err)
	}
	if _, ok := m.db().GroupEntry("devs"); ok {
		t.Error("the group made before the failure was not undone")
	}
	if cur := s.Current(); cur != 0 {
		t.Errorf("generation %d is current after a failed switch", cur)
	}
}

// An op refuses, changing nothing, when the directory changed since the
// plan (a uid taken meanwhile: before sysadminctl would fail silently).
func TestDarwinOpsRefuse(t *testing.T) {
	ctx := context.Background()
	m := newMac(t)
	for _, op := range []platform.Op{
		&users.DarwinUserAddOp{Name: "alice", UID: 600, Home: "/Users/alice"},
		&users.DarwinUserAddOp{Name: "carol", UID: 501, Home: "/Users/carol"},
		&users.DarwinUserModOp{Name: "alice", Shell: &users.StrChange{From: "/bin/bash", To: "/bin/sh"}},
		&users.DarwinUserModOp{Name: "nobody", Shell: &users.StrChange{From: "/bin/bash", To: "/bin/sh"}},
		&users.DarwinHiddenOp{Name: "nobody", Hidden: true},
		&users.DarwinUserDelOp{Name: "alice", UID: 777},
		&users.DarwinGroupAddOp{Name: "admin", GID: 700},
		&users.DarwinGroupAddOp{Name: "devs", GID: 80},
		&users.DarwinGroupModOp{Name: "admin", GID: 700, PrevGID: 81},
		&users.DarwinGroupDelOp{Name: "admin", GID: 81},
		&users.DarwinMemberAddOp{Group: "admin", User: "alice"},
		&users.DarwinMemberRemoveOp{Group: "everyone", User: "alice"},
	} {
		err := op.Apply(ctx, m.f)
		if !errors.Is(err, platform.ErrUnchanged) {
			t.Errorf("%s %+v: %v, want a refusal", platform.OpName(op), op, err)
		}
		if got := m.changes(); len(got) > 0 {
			t.Errorf("%s changed the directory while refusing: %q", platform.OpName(op), got)
		}
	}
}

// sysadminctl giving the account another uid than asked is caught, and
// the account deleted again.
func TestDarwinAddUserWrongUID(t *testing.T) {
	ctx := context.Background()
	m := newMac(t)
	op := &users.DarwinUserAddOp{Name: "carol", UID: 600, Home: "/Users/carol"}
	wrong := &idLiar{Fake: m.f, uid: "650"}
	err := op.Apply(ctx, wrong)
	if err == nil || !strings.Contains(err.Error(), "user carol: sysadminctl -addUser gave it uid 650, not 600, so it was deleted again") {
		t.Fatalf("apply: %v", err)
	}
	if _, ok := m.db().User("carol"); ok {
		t.Error("carol is still there")
	}
}

// idLiar answers `id -u` with a fixed uid.
type idLiar struct {
	*macfake.Fake
	uid string
}

func (l *idLiar) Run(ctx context.Context, c system.Command) ([]byte, error) {
	if c.Path == macos.ID {
		return []byte(l.uid + "\n"), nil
	}
	return l.Fake.Run(ctx, c)
}

// Each darwin op's Undo is safe before Apply, after it, and twice.
func TestDarwinOpsUndo(t *testing.T) {
	ctx := context.Background()
	m := newMac(t)
	for _, u := range []macfake.UserRecord{
		{Name: "carol", UID: 600, GID: 20, Shell: "/bin/bash", RealName: "Carol", Hidden: true},
		{Name: "bob", UID: 601, GID: 20, Shell: "/bin/zsh", RealName: "Bob"},
	} {
		if err := m.f.AddUser(u); err != nil {
			t.Fatal(err)
		}
	}
	gs, _ := m.f.Groups()
	gs["ops"] = macfake.GroupRecord{Name: "ops", GID: 650, Members: []string{"bob", "carol"}}
	gs["admin"] = macfake.GroupRecord{Name: "admin", GID: 80, Members: []string{"carol"}}
	if err := m.f.SaveGroups(gs); err != nil {
		t.Fatal(err)
	}
	type state struct {
		users  []accounts.Account
		groups []accounts.Group
		hidden []string
	}
	snap := func() state {
		db := m.db()
		us, _ := m.f.Users()
		var hidden []string
		for n, u := range us {
			if u.Hidden {
				hidden = append(hidden, n)
			}
		}
		slices.Sort(hidden)
		return state{db.Users(), db.Groups(), hidden}
	}
	same := func(a, b state) bool {
		return slices.Equal(a.users, b.users) && equalGroups(a.groups, b.groups) && slices.Equal(a.hidden, b.hidden)
	}
	ops := []platform.Op{
		&users.DarwinUserModOp{Name: "carol", Shell: &users.StrChange{From: "/bin/bash", To: "/bin/sh"}, RealName: &users.StrChange{From: "Carol", To: "Carol C."}},
		&users.DarwinHiddenOp{Name: "carol", Hidden: false},
		&users.DarwinHiddenOp{Name: "bob", Hidden: true},
		&users.DarwinUserDelOp{Name: "carol", UID: 600, GID: 20, RealName: "Carol", Home: "/Users/carol", Shell: "/bin/bash", Groups: []string{"admin", "ops"}, Hidden: true},
		&users.DarwinGroupModOp{Name: "ops", GID: 660, PrevGID: 650},
		&users.DarwinGroupDelOp{Name: "ops", GID: 650, Members: []string{"bob", "carol"}},
		&users.DarwinGroupAddOp{Name: "devs", GID: 700},
		&users.DarwinMemberAddOp{Group: "admin", User: "bob"},
		&users.DarwinMemberRemoveOp{Group: "ops", User: "carol"},
		&users.DarwinUserAddOp{Name: "dave", UID: 610, Home: "/Users/dave", CreateHome: true, RealName: ptr("Dave"), Shell: ptr("/bin/zsh"), Admin: true, Groups: []string{"ops"}, Hidden: true},
	}
	for _, op := range ops {
		t.Run(platform.OpName(op)+" "+op.Describe(), func(t *testing.T) {
			s0 := snap()
			if err := op.Undo(ctx, m.f); err != nil {
				t.Fatalf("undo before apply: %v", err)
			}
			if s := snap(); !same(s, s0) {
				t.Fatalf("undo before apply changed the directory:\n%+v", s)
			}
			if err := op.Apply(ctx, m.f); err != nil {
				t.Fatalf("apply: %v", err)
			}
			if same(snap(), s0) {
				t.Fatal("apply changed nothing")
			}
			for i := 0; i < 2; i++ {
				if err := op.Undo(ctx, m.f); err != nil {
					t.Fatalf("undo %d: %v", i+1, err)
				}
				if s := snap(); !same(s, s0) {
					t.Fatalf("undo %d left:\n%+v\nwant\n%+v", i+1, s, s0)
				}
			}
			providertest.JournalRoundTrip(t, op)
		})
	}
	// The re-made carol cannot log in: her password was not kept.
	if aa, err := m.f.Attr("/Users/carol", "AuthenticationAuthority"); err != nil || !slices.Contains(aa, ";DisabledUser;") {
		t.Errorf("carol's AuthenticationAuthority = %q, %v", aa, err)
	}
	// dave's home, made by createhomedir, went with him.
	if _, err := m.f.Stat("/Users/dave"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("/Users/dave: %v", err)
	}
}

// dscl refusing a change says what to do.
func TestDarwinPermissionHint(t *testing.T) {
	m := newMac(t)
	notRoot := macfake.New(m.f.System, "alice")
	err := (&users.DarwinGroupAddOp{Name: "devs", GID: 700}).Apply(context.Background(), notRoot)
	if err == nil || !strings.Contains(err.Error(), "dscl . -create /Groups/devs PrimaryGroupID 700: ") || !strings.Contains(err.Error(), "Full Disk Access") {
		t.Errorf("apply without root: %v", err)
	}
}
