//go:build linux

package systemdtest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	sddbus "github.com/coreos/go-systemd/v22/dbus"
	godbus "github.com/godbus/dbus/v5"
)

// startTimeout bounds each step of starting a manager.
const startTimeout = 15 * time.Second

// stopTimeout is how long a manager has to exit after SIGTERM before
// what is left is killed.
const stopTimeout = 5 * time.Second

// managerScript runs as root in the namespaces: it moves itself into the
// manager's cgroups (only root may move a process out of the test's
// cgroup), then becomes the manager, as uid:gid with no supplementary
// groups. Arguments: systemd binary, uid, gid, cgroup folders.
const managerScript = `sd=$1 uid=$2 gid=$3
shift 3
for cg; do echo $$ > "$cg/cgroup.procs" || exit 1; done
exec setpriv --reuid="$uid" --regid="$gid" --clear-groups -- "$sd" --user`

// A Manager is a systemd user manager started for one test, in the
// test's private namespaces. Its files live in a temporary folder: the
// home (with an empty ~/.config/systemd/user) and the runtime folder.
type Manager struct {
	session
	exited   chan struct{} // closed when the manager has exited
	cgroups  []string
	stopOnce sync.Once
}

// managers numbers the managers of this process, for cgroup names.
var managers atomic.Int64

// start starts a manager as uid:gid and registers its stop as t's
// cleanup.
func start(t testing.TB, uid, gid int) *Manager {
	t.Helper()
	dir, err := tempDir()
	if err != nil {
		t.Fatal(err)
	}
	m := &Manager{
		session: session{
			uid: uid, gid: gid, user: lookupUser(uid),
			dir: dir, home: filepath.Join(dir, "home"), rt: filepath.Join(dir, "rt"),
		},
		exited: make(chan struct{}),
	}
	if err := m.makeFolders(); err != nil {
		_ = os.RemoveAll(dir)
		t.Fatal(err)
	}
	name := fmt.Sprintf("gocfg-systemdtest-%s-%d", outerPID(), managers.Add(1))
	m.cgroups, err = makeCgroups(name, uid, gid)
	if err != nil {
		_ = os.RemoveAll(dir)
		t.Fatalf("systemdtest: cgroup %s: %v", name, err)
	}
	log, err := os.Create(filepath.Join(dir, "manager.log"))
	if err != nil {
		m.cleanup(t)
		t.Fatal(err)
	}
	defer log.Close()
	args := append([]string{"-c", managerScript, "sh", systemdBinary, strconv.Itoa(uid), strconv.Itoa(gid)}, m.cgroups...)
	m.cmd = exec.Command("/bin/sh", args...)
	m.cmd.Env = append(m.Env(), "SYSTEMD_LOG_TARGET=console")
	m.cmd.Dir = m.home
	m.cmd.Stdout, m.cmd.Stderr = log, log
	if err := m.cmd.Start(); err != nil {
		m.cleanup(t)
		t.Fatal(err)
	}
	go func() {
		_ = m.cmd.Wait()
		close(m.exited)
	}()
	t.Cleanup(func() { m.stop(t) })
	if err := m.waitReady(); err != nil {
		t.Fatalf("systemdtest: user manager (uid %d): %v\n%s", uid, err, m.Log())
	}
	return m
}

// tempDir makes the manager's temporary folder, 0755 so that its user
// can reach its home and runtime folder. It stays short: socket paths
// are limited to 107 bytes.
func tempDir() (string, error) {
	base := os.TempDir()
	if len(base) > 48 {
		base = "/tmp"
	}
	dir, err := os.MkdirTemp(base, "gocfg-sd-")
	if err != nil {
		return "", err
	}
	return dir, os.Chmod(dir, 0o755)
}

// outerPID returns the pid of the test binary outside the namespaces,
// which makes cgroup names unique on the host.
func outerPID() string {
	v := os.Getenv(envNamespace)
	if pid, _, ok := strings.Cut(v, ":"); ok && pid != "" {
		return pid
	}
	return strconv.Itoa(os.Getpid())
}

// makeFolders makes the home (with .config/systemd/user) and the runtime
// folder (0700), owned by the manager's user.
func (m *Manager) makeFolders() error {
	if err := os.Mkdir(m.rt, 0o700); err != nil {
		return err
	}
	if err := os.Lchown(m.rt, m.uid, m.gid); err != nil {
		return err
	}
	p := m.home
	for _, elem := range []string{"", ".config", "systemd", "user"} {
		p = filepath.Join(p, elem)
		if err := os.Mkdir(p, 0o755); err != nil {
			return err
		}
		if err := os.Lchown(p, m.uid, m.gid); err != nil {
			return err
		}
	}
	return nil
}

// waitReady waits for the private socket, then for SystemState "running"
// or "degraded".
func (m *Manager) waitReady() error {
	deadline := time.Now().Add(startTimeout)
	for {
		if _, err := os.Stat(m.PrivateSocket()); err == nil {
			break
		}
		select {
		case <-m.exited:
			return fmt.Errorf("exited (%v) before making %s", m.cmd.ProcessState, m.PrivateSocket())
		case <-time.After(5 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no %s after %s", m.PrivateSocket(), startTimeout)
		}
	}
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	// The socket appears when it is bound, a moment before the manager
	// listens on it: retry while connecting is refused.
	var conn *sddbus.Conn
	for {
		c, err := dialPrivate(ctx, m.PrivateSocket())
		if err == nil {
			conn = c
			break
		}
		if !errors.Is(err, syscall.ECONNREFUSED) || ctx.Err() != nil {
			return err
		}
		select {
		case <-m.exited:
			return fmt.Errorf("exited (%v) while starting", m.cmd.ProcessState)
		case <-time.After(5 * time.Millisecond):
		}
	}
	defer conn.Close()
	for {
		p, err := conn.SystemStateContext(ctx)
		if err != nil {
			return fmt.Errorf("%s: SystemState: %w", m.PrivateSocket(), err)
		}
		state, _ := p.Value.Value().(string)
		switch state {
		case "running", "degraded":
			return nil
		case "initializing", "starting":
		default:
			return fmt.Errorf("%s: SystemState %q", m.PrivateSocket(), state)
		}
		select {
		case <-m.exited:
			return fmt.Errorf("exited (%v) while starting", m.cmd.ProcessState)
		case <-ctx.Done():
			return fmt.Errorf("%s: still %q after %s", m.PrivateSocket(), state, startTimeout)
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// dialPrivate connects go-systemd to a manager's private socket, within
// ctx.
func dialPrivate(ctx context.Context, path string) (*sddbus.Conn, error) {
	type result struct {
		conn *sddbus.Conn
		err  error
	}
	ch := make(chan result, 1)
	go func() {
		c, err := sddbus.NewConnection(func() (*godbus.Conn, error) {
			conn, err := godbus.Dial("unix:path=" + godbus.EscapeBusAddressValue(path))
			if err != nil {
				return nil, err
			}
			if err := conn.Auth([]godbus.Auth{godbus.AuthExternal(strconv.Itoa(os.Geteuid()))}); err != nil {
				_ = conn.Close()
				return nil, err
			}
			return conn, nil
		})
		ch <- result{c, err}
	}()
	select {
	case r := <-ch:
		if r.err != nil {
			return nil, fmt.Errorf("%s: %w", path, r.err)
		}
		return r.conn, nil
	case <-ctx.Done():
		go func() {
			if r := <-ch; r.conn != nil {
				r.conn.Close()
			}
		}()
		return nil, fmt.Errorf("%s: %w", path, ctx.Err())
	}
}

// stop stops the manager (SIGTERM: a user manager stops its units and
// exits), kills what is left in its cgroups, removes them and the
// temporary folder. Problems fail the test.
func (m *Manager) stop(t testing.TB) {
	m.stopOnce.Do(func() {
		_ = m.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-m.exited:
		case <-time.After(stopTimeout):
			t.Logf("systemdtest: user manager (uid %d) still running %s after SIGTERM; killing it", m.uid, stopTimeout)
			_ = m.cmd.Process.Kill()
			<-m.exited
		}
		m.cleanup(t)
	})
}

// cleanup kills what is left in the cgroups, removes them and the
// temporary folder.
func (m *Manager) cleanup(t testing.TB) {
	killCgroups(m.cgroups)
	if err := removeCgroups(m.cgroups); err != nil {
		t.Error(err)
	}
	if err := os.RemoveAll(m.dir); err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Error(err)
	}
}

// lookupUser returns the name of uid in /etc/passwd, or "".
func lookupUser(uid int) string {
	if uid == 0 {
		return "root"
	}
	data, err := os.ReadFile("/etc/passwd")
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Split(line, ":")
		if len(f) >= 3 && f[2] == strconv.Itoa(uid) {
			return f[0]
		}
	}
	return ""
}
