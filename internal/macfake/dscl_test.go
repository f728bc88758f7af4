package macfake

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform/system"
)

// run runs one command through the fake and returns its output and exit
// status.
func run(t *testing.T, f *Fake, path string, args ...string) (string, int) {
	t.Helper()
	out, err := f.Run(context.Background(), system.Command{Path: path, Args: args, UID: -1, GID: -1})
	var ee *ExitError
	switch {
	case err == nil:
		return string(out), 0
	case errors.As(err, &ee):
		return string(out), ee.Code
	}
	t.Fatalf("%s %q: %v", path, args, err)
	return "", 0
}

func accountsFake(t *testing.T, self string) *Fake {
	t.Helper()
	return newFake(t, self, UserRecord{Name: "alice", UID: 501, Shell: "/bin/zsh", RealName: "Alice Liddell", Groups: []string{"admin"}})
}

func TestDsclRead(t *testing.T) {
	f := accountsFake(t, "root")
	out, code := run(t, f, "/usr/bin/dscl", ".", "-read", "/Users/alice", "UniqueID", "RealName", "UserShell", "IsHidden")
	want := "UniqueID: 501\nRealName:\n Alice Liddell\nUserShell: /bin/zsh\nNo such key: IsHidden\n"
	if code != 0 || out != want {
		t.Errorf("-read: %d %q, want %q", code, out, want)
	}
	if out, code := run(t, f, "/usr/bin/dscl", ".", "-read", "/Users/nobody"); code != 56 || !strings.Contains(out, "eDSRecordNotFound") {
		t.Errorf("-read of a missing record: %d %q", code, out)
	}
	out, code = run(t, f, "/usr/bin/dscl", ".", "-readall", "/Users", "UniqueID")
	want = "RecordName: alice\nUniqueID: 501\n-\nRecordName: root\nUniqueID: 0\n"
	if code != 0 || out != want {
		t.Errorf("-readall: %d %q, want %q", code, out, want)
	}
	out, _ = run(t, f, "/usr/bin/dscl", ".", "-readall", "/Groups", "RecordName", "PrimaryGroupID", "GroupMembership")
	if !strings.Contains(out, "RecordName: admin\nPrimaryGroupID: 80\nGroupMembership: alice\n-\n") {
		t.Errorf("-readall /Groups: %q (alice's own list of groups counts)", out)
	}
	if out, _ := run(t, f, "/usr/bin/dscl", ".", "-list", "/Users", "UniqueID"); !strings.Contains(out, "alice") || !strings.Contains(out, "501") {
		t.Errorf("-list: %q", out)
	}
}

func TestDsclChange(t *testing.T) {
	f := accountsFake(t, "root")
	dscl := func(args ...string) int {
		t.Helper()
		_, code := run(t, f, "/usr/bin/dscl", append([]string{"."}, args...)...)
		return code
	}
	for _, args := range [][]string{
		{"-create", "/Users/alice", "IsHidden", "1"},
		{"-create", "/Users/alice", "UserShell", "/bin/bash"},
		{"-append", "/Users/alice", "AuthenticationAuthority", ";DisabledUser;"},
		{"-create", "/Groups/devs", "PrimaryGroupID", "600"},
		{"-create", "/Groups/devs", "RealName", "Developers"},
		{"-append", "/Groups/devs", "GroupMembership", "alice"},
	} {
		if code := dscl(args...); code != 0 {
			t.Fatalf("%q: exit %d", args, code)
		}
	}
	us, _ := f.Users()
	gs, _ := f.Groups()
	if a := us["alice"]; !a.Hidden || a.Shell != "/bin/bash" {
		t.Errorf("alice = %+v", a)
	}
	if g := gs["devs"]; g.GID != 600 || len(g.Members) != 1 || g.Members[0] != "alice" {
		t.Errorf("devs = %+v", g)
	}
	if aa, err := f.Attr("/Users/alice", "AuthenticationAuthority"); err != nil || len(aa) != 1 || aa[0] != ";DisabledUser;" {
		t.Errorf("AuthenticationAuthority = %q, %v", aa, err)
	}
	out, _ := run(t, f, "/usr/bin/dscl", ".", "-read", "/Users/alice", "IsHidden")
	if out != "dsAttrTypeNative:IsHidden: 1\n" {
		t.Errorf("IsHidden reads %q", out)
	}
	if code := dscl("-delete", "/Users/alice", "IsHidden"); code != 0 {
		t.Errorf("-delete IsHidden: %d", code)
	}
	if code := dscl("-delete", "/Users/alice", "IsHidden"); code != 40 {
		t.Errorf("-delete of a missing attribute: %d, want 40", code)
	}
	if code := dscl("-delete", "/Groups/devs"); code != 0 {
		t.Errorf("-delete /Groups/devs: %d", code)
	}
	if gs, _ := f.Groups(); gs["devs"].Name != "" {
		t.Error("devs is still there")
	}
	if code := dscl("-create", "/Users/bob", "UniqueID", "600"); code == 0 {
		t.Error("creating a user with dscl is not faked, and must say so")
	}
	// Not root: refused.
	user := New(f.System, "alice")
	if out, code := run(t, user, "/usr/bin/dscl", ".", "-create", "/Users/alice", "IsHidden", "1"); code != 40 || !strings.Contains(out, "eDSPermissionError") {
		t.Errorf("without root: %d %q", code, out)
	}
}

func TestSysadminctl(t *testing.T) {
	f := accountsFake(t, "root")
	out, code := run(t, f, "/usr/sbin/sysadminctl", "-addUser", "carol", "-fullName", "Carol", "-UID", "600", "-shell", "/bin/bash", "-home", "/Users/carol", "-admin")
	if code != 0 || !strings.Contains(out, "Assigning UID: 600") {
		t.Fatalf("-addUser: %d %q", code, out)
	}
	if out, _ := run(t, f, "/usr/bin/id", "-u", "carol"); out != "600\n" {
		t.Errorf("id -u carol = %q", out)
	}
	if out, _ := run(t, f, "/usr/bin/id", "-Gn", "carol"); out != "staff admin\n" {
		t.Errorf("id -Gn carol = %q", out)
	}
	if _, err := f.Stat("/Users/carol"); err == nil {
		t.Error("-addUser -home made the home folder (createhomedir does)")
	}
	if _, code := run(t, f, "/usr/sbin/createhomedir", "-c", "-u", "carol"); code != 0 {
		t.Error("createhomedir failed")
	}
	if _, err := f.Stat("/Users/carol/Library/Preferences"); err != nil {
		t.Errorf("createhomedir: %v", err)
	}
	// A taken uid: exit 0, the reason printed, nothing made.
	out, code = run(t, f, "/usr/sbin/sysadminctl", "-addUser", "dave", "-UID", "501")
	if code != 0 || !strings.Contains(out, "UID 501 is already in use") {
		t.Errorf("taken uid: %d %q", code, out)
	}
	if _, code := run(t, f, "/usr/bin/id", "-u", "dave"); code != 1 {
		t.Error("dave was made")
	}
	// Broken on purpose.
	if err := f.BreakSysadminctl("eDSPermissionError"); err != nil {
		t.Fatal(err)
	}
	if out, code := run(t, f, "/usr/sbin/sysadminctl", "-deleteUser", "carol"); code != 0 || !strings.Contains(out, "eDSPermissionError") {
		t.Errorf("broken -deleteUser: %d %q", code, out)
	}
	if err := f.BreakSysadminctl(""); err != nil {
		t.Fatal(err)
	}
	if _, code := run(t, f, "/usr/sbin/sysadminctl", "-deleteUser", "carol"); code != 0 {
		t.Error("-deleteUser failed")
	}
	if _, code := run(t, f, "/usr/bin/id", "-u", "carol"); code != 1 {
		t.Error("carol is still there")
	}
	if out, _ := run(t, f, "/usr/bin/dscl", ".", "-read", "/Groups/admin", "GroupMembership"); out != "GroupMembership: alice\n" {
		t.Errorf("admin after carol's deletion: %q", out)
	}
	if _, err := f.Stat("/Users/carol"); err == nil {
		t.Error("-deleteUser without -keepHome kept the home folder")
	}
	if out, code := run(t, New(f.System, "alice"), "/usr/sbin/sysadminctl", "-addUser", "eve"); code == 0 || !strings.Contains(out, "should be run as root") {
		t.Errorf("without root: %d %q", code, out)
	}
}

func TestDseditgroup(t *testing.T) {
	f := accountsFake(t, "root")
	edit := func(flag, user, group string) (string, int) {
		return run(t, f, "/usr/sbin/dseditgroup", "-o", "edit", flag, user, "-t", "user", group)
	}
	if _, code := edit("-a", "alice", "staff"); code != 0 {
		t.Error("-a failed")
	}
	if _, code := run(t, f, "/usr/sbin/dseditgroup", "-o", "checkmember", "-m", "alice", "staff"); code != 0 {
		t.Error("alice is not in staff")
	}
	if _, code := edit("-d", "alice", "admin"); code != 0 {
		t.Error("-d failed")
	}
	if out, _ := run(t, f, "/usr/bin/id", "-Gn", "alice"); out != "staff\n" {
		t.Errorf("id -Gn alice = %q (admin came from her own list of groups)", out)
	}
	if out, code := edit("-a", "alice", "nope"); code == 0 || !strings.Contains(out, "Group not found") {
		t.Errorf("unknown group: %d %q", code, out)
	}
	if out, code := edit("-a", "nobody", "staff"); code == 0 || !strings.Contains(out, "Record was not found") {
		t.Errorf("unknown user: %d %q", code, out)
	}
}
