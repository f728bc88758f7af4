package systemdtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// session is what a Manager is on every system: its user, its folders
// and its process. Manager (manager_linux.go, manager_other.go) adds
// what only Linux uses to run one.
type session struct {
	uid, gid int
	user     string
	dir      string // the temporary folder holding home, rt and the log
	home, rt string
	cmd      *exec.Cmd
}

// StartUserManager starts a systemd user manager running as root (uid 0)
// and stops it when the test ends. It skips the test when managers cannot
// run here (see the package documentation), fails it when the manager
// does not start.
func StartUserManager(t testing.TB) *Manager {
	t.Helper()
	return StartUserManagerAs(t, 0, 0)
}

// StartUserManagerAs starts a systemd user manager running as uid and
// gid, which need no passwd entry, and stops it when the test ends. Its
// home and runtime folder belong to uid.
func StartUserManagerAs(t testing.TB, uid, gid int) *Manager {
	t.Helper()
	skipUnlessReady(t)
	return start(t, uid, gid)
}

// UID returns the uid the manager runs as.
func (m *Manager) UID() int { return m.uid }

// GID returns the gid the manager runs as.
func (m *Manager) GID() int { return m.gid }

// User returns the name of the manager's user in /etc/passwd ("root" for
// uid 0), or "" when the uid has none.
func (m *Manager) User() string { return m.user }

// Home returns the manager's HOME, a temporary folder owned by its user.
func (m *Manager) Home() string { return m.home }

// RuntimeDir returns the manager's XDG_RUNTIME_DIR (its /run/user/UID).
func (m *Manager) RuntimeDir() string { return m.rt }

// UnitDir returns the folder where the manager reads its user's unit
// files and where enabling puts links: HOME/.config/systemd/user.
func (m *Manager) UnitDir() string { return filepath.Join(m.home, ".config", "systemd", "user") }

// PrivateSocket returns the manager's private D-Bus socket.
func (m *Manager) PrivateSocket() string { return filepath.Join(m.rt, "systemd", "private") }

// BusAddress returns the address of the user's session bus (served by
// dbus-daemon, started through dbus-user-session's socket unit).
func (m *Manager) BusAddress() string { return "unix:path=" + filepath.Join(m.rt, "bus") }

// PID returns the manager's process id (in the test's PID namespace).
func (m *Manager) PID() int { return m.cmd.Process.Pid }

// Env returns the environment of a session of the manager's user: HOME,
// USER, LOGNAME, XDG_RUNTIME_DIR, DBUS_SESSION_BUS_ADDRESS and PATH.
func (m *Manager) Env() []string {
	env := []string{
		"HOME=" + m.home,
		"XDG_RUNTIME_DIR=" + m.rt,
		"DBUS_SESSION_BUS_ADDRESS=" + m.BusAddress(),
		"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
		"LANG=C.UTF-8",
	}
	if m.user != "" {
		env = append(env, "USER="+m.user, "LOGNAME="+m.user)
	}
	return env
}

// Systemctl runs `systemctl --user ARGS...` as the manager's user, with
// Env, and returns its combined output.
func (m *Manager) Systemctl(args ...string) (string, error) {
	cmd := exec.Command("systemctl", append([]string{"--user", "--no-pager"}, args...)...)
	cmd.Env = m.Env()
	cmd.Dir = m.home
	if m.uid != os.Geteuid() || m.gid != os.Getegid() {
		cmd.SysProcAttr = &syscall.SysProcAttr{
			Credential: &syscall.Credential{Uid: uint32(m.uid), Gid: uint32(m.gid)},
		}
	}
	out, err := cmd.CombinedOutput()
	return strings.TrimSpace(string(out)), err
}

// WriteUnit writes the unit file name into UnitDir, owned by the
// manager's user. The manager sees it after a daemon-reload.
func (m *Manager) WriteUnit(t testing.TB, name, content string) {
	t.Helper()
	p := filepath.Join(m.UnitDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Lchown(p, m.uid, m.gid); err != nil {
		t.Fatal(err)
	}
}

// Log returns what the manager wrote on its standard error (its own log:
// SYSTEMD_LOG_TARGET=console).
func (m *Manager) Log() string {
	data, _ := os.ReadFile(filepath.Join(m.dir, "manager.log"))
	return string(data)
}
