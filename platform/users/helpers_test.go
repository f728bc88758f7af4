package users_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/internal/testfs"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/accounts"
	"github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/system"
	"github.com/gocfg/gocfg/platform/users"
)

// The databases of a small Debian machine: root, a system account, an
// ordinary user bob (uid 1000) and the usual groups.
const (
	basePasswd = "root:x:0:0:root:/root:/bin/bash\n" +
		"daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n" +
		"bob:x:1000:1000:Bob,,,:/home/bob:/bin/bash\n"
	baseGroup = "root:x:0:\n" +
		"daemon:x:1:\n" +
		"sudo:x:27:\n" +
		"users:x:100:\n" +
		"bob:x:1000:\n"
	baseShadow  = "root:*:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\nbob:!:19000:0:99999:7:::\n"
	baseGShadow = "root:*::\ndaemon:*::\nsudo:*::\nusers:*::\nbob:!::\n"
	baseShells  = "# /etc/shells: valid login shells\n/bin/sh\n/bin/bash\n/usr/bin/bash\n/usr/bin/zsh\n"
	baseDefs    = "UID_MIN 1000\nUID_MAX 60000\nGID_MIN 1000\nGID_MAX 60000\nUSERGROUPS_ENAB yes\n"
)

// machine is a temporary --root with passwd, group, shadow, gshadow,
// shells and login.defs.
type testMachine struct {
	t    *testing.T
	root string
	sys  *system.Rooted
}

func newMachine(t *testing.T) *testMachine {
	t.Helper()
	m := &testMachine{t: t, root: t.TempDir()}
	m.sys = system.NewRooted(m.root, system.NewReal())
	m.write("etc/passwd", basePasswd, 0o644)
	m.write("etc/group", baseGroup, 0o644)
	m.write("etc/shadow", baseShadow, 0o640)
	m.write("etc/gshadow", baseGShadow, 0o640)
	m.write("etc/shells", baseShells, 0o644)
	m.write("etc/login.defs", baseDefs, 0o644)
	if err := os.MkdirAll(filepath.Join(m.root, "home/bob"), 0o755); err != nil {
		t.Fatal(err)
	}
	return m
}

func (m *testMachine) write(rel, text string, mode os.FileMode) {
	m.t.Helper()
	testfs.WriteMode(m.t, filepath.Join(m.root, rel), text, mode)
}

func (m *testMachine) read(rel string) string {
	m.t.Helper()
	return testfs.Read(m.t, filepath.Join(m.root, rel))
}

func (m *testMachine) db() *accounts.Database {
	m.t.Helper()
	db, err := accounts.Read(m.sys)
	if err != nil {
		m.t.Fatal(err)
	}
	return db
}

// helpQuery answers `<tool> --help` as tools with a --root option do, so
// that plans made without the shadow tools (or without root) do not
// depend on the host.
type helpQuery struct {
	system.System
	noRoot string // a tool whose help has no --root
}

func (h helpQuery) Run(_ context.Context, c system.Command) ([]byte, error) {
	if c.Path == h.noRoot {
		return []byte("Usage: " + c.Path + " [options]\n"), nil
	}
	return []byte("  -R, --root CHROOT_DIR         directory to chroot into\n"), nil
}

func (m *testMachine) layout() *machine.Machine {
	return &machine.Machine{Sys: m.sys, Query: helpQuery{System: m.sys}, Offline: true, Root: m.root, Privileged: true, OS: "linux", Accounts: m.db()}
}

func (m *testMachine) plan(p *users.Provider, applied json.RawMessage) (*platform.Part, error) {
	if p.Machine == nil {
		p.Machine = m.layout()
	}
	return checkDeps(p.Plan(context.Background(), applied))
}

// checkDeps fails a part that depends on an ID no change has and that
// is not one of platform.OptionalDeps: a typo'd dependency.
func checkDeps(part *platform.Part, err error) (*platform.Part, error) {
	if err != nil {
		return part, err
	}
	if u := platform.UnknownDeps(part.Changes); len(u) > 0 {
		return nil, errors.New("dependencies on no change: " + strings.Join(u, ", "))
	}
	return part, nil
}

// needShadow skips a test that runs the shadow tools for real: they need
// root (they chroot into the root folder) and must be installed.
func needShadow(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("the shadow tools' --root needs root")
	}
	for _, tool := range []string{"useradd", "usermod", "userdel", "groupadd", "groupmod", "groupdel", "gpasswd"} {
		if _, err := exec.LookPath(tool); err != nil {
			if _, err := os.Stat("/usr/sbin/" + tool); err != nil {
				t.Skipf("%s is not installed", tool)
			}
		}
	}
	if os.Getenv("PATH") != "" && !strings.Contains(os.Getenv("PATH"), "sbin") {
		t.Setenv("PATH", os.Getenv("PATH")+":/usr/sbin:/sbin")
	}
}

func ptr[T any](v T) *T { return &v }
