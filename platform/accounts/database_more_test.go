package accounts

import (
	"os"
	"slices"
	"testing"

	"github.com/gocfg/gocfg/internal/testfs"
	"github.com/gocfg/gocfg/platform/system"
)

func writeRoot(t *testing.T, files map[string]string) system.System {
	t.Helper()
	return system.NewRooted(testfs.Tree(t, t.TempDir(), files), system.NewReal())
}

// readRoot reads, with read, a root that holds files, failing the test
// on an error.
func readRoot[T any](t *testing.T, read func(system.System) (T, error), files map[string]string) T {
	t.Helper()
	v, err := read(writeRoot(t, files))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestReadFields(t *testing.T) {
	db := readRoot(t, Read, map[string]string{
		"etc/passwd": "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000:Alice Liddell,,,:/home/alice:/bin/zsh\nalice:x:1001:1001::/elsewhere:/bin/sh\nbob:x:1002:100::/home/bob:\n",
		"etc/group":  "root:x:0:\nusers:x:100:alice, bob\nwheel:x:10:alice\nalice:x:1000:\nempty:x:1003\n",
		"etc/shadow": "",
	})
	a, _ := db.User("alice")
	if a.GECOS != "Alice Liddell,,," || a.UID != 1000 || a.Home != "/home/alice" {
		t.Errorf("alice = %+v (the first entry wins)", a)
	}
	if b, ok := db.User("bob"); !ok || b.Shell != "" {
		t.Errorf("bob = %+v, %v", b, ok)
	}
	g, ok := db.GroupEntry("users")
	if !ok || g.GID != 100 || !slices.Equal(g.Members, []string{"alice", "bob"}) || !g.HasMember("bob") || g.HasMember("root") {
		t.Errorf("users = %+v, %v", g, ok)
	}
	if g, ok := db.GroupEntry("empty"); !ok || len(g.Members) != 0 {
		t.Errorf("a group line without members field = %+v, %v", g, ok)
	}
	if got := db.SupplementaryGroups("alice"); !slices.Equal(got, []string{"users", "wheel"}) {
		t.Errorf("SupplementaryGroups(alice) = %q", got)
	}
	if u, ok := db.UserByUID(1002); !ok || u.Name != "bob" {
		t.Errorf("UserByUID(1002) = %+v, %v", u, ok)
	}
	if g, ok := db.GroupByGID(10); !ok || g.Name != "wheel" {
		t.Errorf("GroupByGID(10) = %+v, %v", g, ok)
	}
	if !db.HasPasswd() || !db.HasGroup() || !db.HasShadow() || db.HasGShadow() {
		t.Errorf("files: passwd %v group %v shadow %v gshadow %v", db.HasPasswd(), db.HasGroup(), db.HasShadow(), db.HasGShadow())
	}
	names := []string{}
	for _, u := range db.Users() {
		names = append(names, u.Name)
	}
	if !slices.Equal(names, []string{"alice", "bob", "root"}) {
		t.Errorf("Users() = %q", names)
	}

	w := db.With([]Account{{Name: "carol", UID: 1005, GID: 1005, Home: "/home/carol"}}, []Group{{Name: "carol", GID: 1005}})
	if c, ok := w.User("carol"); !ok || c.UID != 1005 {
		t.Errorf("With: carol = %+v, %v", c, ok)
	}
	if _, ok := db.User("carol"); ok {
		t.Error("With changed the original database")
	}
	if gid, ok := w.Group("carol"); !ok || gid != 1005 {
		t.Errorf("With: group carol = %d, %v", gid, ok)
	}
}

func TestReadShells(t *testing.T) {
	s := readRoot(t, ReadShells, map[string]string{"etc/shells": "# /etc/shells: valid login shells\n/bin/sh\n/bin/bash  # the usual\n\n/usr/bin/zsh\n"})
	if !s.Present || !slices.Equal(s.List, []string{"/bin/sh", "/bin/bash", "/usr/bin/zsh"}) || !s.Allows("/bin/bash") || s.Allows("/bin/fish") {
		t.Errorf("shells = %+v", s)
	}
	none, err := ReadShells(writeRoot(t, nil))
	if err != nil || none.Present || none.Allows("/bin/sh") {
		t.Errorf("no /etc/shells: %+v, %v", none, err)
	}
}

func TestReadLoginDefs(t *testing.T) {
	d := readRoot(t, ReadLoginDefs, map[string]string{"etc/login.defs": "# UID_MIN 5\nUID_MIN\t\t\t 2000\nUID_MAX 3000\nGID_MIN junk\nSYS_UID_MAX 999\n"})
	want := LoginDefs{UIDMin: 2000, UIDMax: 3000, GIDMin: 1000, GIDMax: 60000}
	if d != want {
		t.Errorf("login.defs = %+v, want %+v", d, want)
	}
	if !d.SystemUID(1999) || d.SystemUID(2000) || !d.SystemGID(999) {
		t.Error("SystemUID/SystemGID disagree with the ranges")
	}
	def, err := ReadLoginDefs(writeRoot(t, nil))
	if err != nil || def != DefaultLoginDefs {
		t.Errorf("no login.defs: %+v, %v", def, err)
	}
	// The host's own file (Debian's) parses to sane ranges.
	if _, err := os.Stat("/etc/login.defs"); err == nil {
		host, err := ReadLoginDefs(system.NewReal())
		if err != nil || host.UIDMin <= 0 || host.UIDMax <= host.UIDMin {
			t.Errorf("host login.defs = %+v, %v", host, err)
		}
	}
}

func TestNew(t *testing.T) {
	members := []string{"alice"}
	db := New([]Account{{Name: "alice", UID: 501, GID: 20, Home: "/Users/alice"}, {Name: "alice", UID: 999}},
		[]Group{{Name: "staff", GID: 20, Members: members}, {Name: "staff", GID: 99}})
	if a, ok := db.User("alice"); !ok || a.UID != 501 {
		t.Errorf("alice = %+v, %v (the first entry wins)", a, ok)
	}
	if g, ok := db.GroupEntry("staff"); !ok || g.GID != 20 || !g.HasMember("alice") {
		t.Errorf("staff = %+v, %v", g, ok)
	}
	members[0] = "mallory"
	if g, _ := db.GroupEntry("staff"); !g.HasMember("alice") {
		t.Error("New kept the caller's members slice")
	}
	if !db.HasPasswd() || !db.HasGroup() || db.HasShadow() {
		t.Errorf("files: passwd %v group %v shadow %v", db.HasPasswd(), db.HasGroup(), db.HasShadow())
	}
	if got := db.SupplementaryGroups("alice"); !slices.Equal(got, []string{"staff"}) {
		t.Errorf("SupplementaryGroups(alice) = %q", got)
	}
}
