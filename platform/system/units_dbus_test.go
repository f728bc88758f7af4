//go:build linux

package system

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gocfg/gocfg/internal/systemdtest"
)

// sleepUnit is a long-running service that can be reloaded and enabled.
const sleepUnit = `[Unit]
Description=gocfg test service

[Service]
ExecStart=/bin/sleep 600
ExecReload=/bin/true

[Install]
WantedBy=default.target
`

// userScope returns the scope of the manager m.
func userScope(m *systemdtest.Manager) UnitScope {
	return UnitScope{User: m.User(), UID: m.UID(), GID: m.GID(), RuntimeDir: m.RuntimeDir()}
}

// testContext returns a context that ends with the test, after 30 s at
// most.
func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// connectUnits connects Real's Units to the manager m.
func connectUnits(t *testing.T, m *systemdtest.Manager) Units {
	t.Helper()
	u, err := NewReal().Units(testContext(t), userScope(m))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = u.Close() })
	return u
}

// mustState reads a unit's state.
func mustState(t *testing.T, u Units, name string) UnitState {
	t.Helper()
	st, err := u.State(testContext(t), name)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// TestDBusUnitsUserManager drives a real user manager (running as root,
// as the test process) through its private socket.
func TestDBusUnitsUserManager(t *testing.T) {
	m := systemdtest.StartUserManager(t)
	u := connectUnits(t, m)
	ctx := testContext(t)
	m.WriteUnit(t, "sleep.service", sleepUnit)
	m.WriteUnit(t, "fail.service", "[Service]\nType=oneshot\nExecStart=/bin/false\n")
	m.WriteUnit(t, "slow.service", "[Service]\nType=oneshot\nExecStart=/bin/sleep 30\n")
	if err := u.DaemonReload(ctx); err != nil {
		t.Fatal(err)
	}

	d := &dbusUnitsRun{m: m, u: u, ctx: ctx}
	t.Run("start", d.start)
	t.Run("restart", d.restart)
	t.Run("reload", d.reload)
	t.Run("reload without ExecReload", d.reloadWithoutExecReload)
	t.Run("stop", d.stop)
	t.Run("enable and disable", d.enableAndDisable)
	t.Run("enable missing", d.enableMissing)
	t.Run("failing unit", d.failingUnit)
	t.Run("missing unit", d.missingUnit)
	t.Run("context ends while waiting", d.contextEndsWhileWaiting)
	t.Run("context done before", d.contextDoneBefore)
}

// dbusUnitsRun is what TestDBusUnitsUserManager's subtests share: the
// manager, the units reached through it, the test's context, and the
// main PID of sleep.service as last seen.
type dbusUnitsRun struct {
	m   *systemdtest.Manager
	u   Units
	ctx context.Context
	pid int
}

// start is the subtest "start" of TestDBusUnitsUserManager.
func (d *dbusUnitsRun) start(t *testing.T) {
	if err := d.u.Start(d.ctx, "sleep.service"); err != nil {
		t.Fatal(err)
	}
	st := mustState(t, d.u, "sleep.service")
	want := UnitState{LoadState: "loaded", ActiveState: "active", SubState: "running", UnitFileState: "disabled", MainPID: st.MainPID}
	if st != want || st.MainPID <= 0 {
		t.Errorf("state = %+v, want %+v with a MainPID", st, want)
	}
	d.pid = st.MainPID
}

// restart is the subtest "restart" of TestDBusUnitsUserManager.
func (d *dbusUnitsRun) restart(t *testing.T) {
	if err := d.u.Restart(d.ctx, "sleep.service"); err != nil {
		t.Fatal(err)
	}
	st := mustState(t, d.u, "sleep.service")
	if st.ActiveState != "active" || st.MainPID <= 0 || st.MainPID == d.pid {
		t.Errorf("state = %+v, want active with a MainPID other than %d", st, d.pid)
	}
	d.pid = st.MainPID
}

// reload is the subtest "reload" of TestDBusUnitsUserManager.
func (d *dbusUnitsRun) reload(t *testing.T) {
	if err := d.u.Reload(d.ctx, "sleep.service"); err != nil {
		t.Fatal(err)
	}
	if st := mustState(t, d.u, "sleep.service"); st.ActiveState != "active" || st.MainPID != d.pid {
		t.Errorf("state = %+v, want active with MainPID %d", st, d.pid)
	}
}

// reloadWithoutExecReload is the subtest "reload without ExecReload" of TestDBusUnitsUserManager.
func (d *dbusUnitsRun) reloadWithoutExecReload(t *testing.T) {
	err := d.u.Reload(d.ctx, "fail.service")
	if err == nil || !strings.HasPrefix(err.Error(), "unit fail.service: reload: ") {
		t.Errorf("error = %v, want unit fail.service: reload: ...", err)
	}
}

// stop is the subtest "stop" of TestDBusUnitsUserManager.
func (d *dbusUnitsRun) stop(t *testing.T) {
	if err := d.u.Stop(d.ctx, "sleep.service"); err != nil {
		t.Fatal(err)
	}
	if st := mustState(t, d.u, "sleep.service"); st.ActiveState != "inactive" || st.MainPID != 0 {
		t.Errorf("state = %+v, want inactive without MainPID", st)
	}
}

// enableAndDisable is the subtest "enable and disable" of TestDBusUnitsUserManager.
func (d *dbusUnitsRun) enableAndDisable(t *testing.T) {
	link := filepath.Join(d.m.UnitDir(), "default.target.wants", "sleep.service")
	if err := d.u.Enable(d.ctx, []string{"sleep.service"}); err != nil {
		t.Fatal(err)
	}
	target, err := os.Readlink(link)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(d.m.UnitDir(), "sleep.service"); target != want {
		t.Errorf("%s -> %s, want %s", link, target, want)
	}
	// Enabling again replaces the link: no error.
	if err := d.u.Enable(d.ctx, []string{"sleep.service"}); err != nil {
		t.Fatal(err)
	}
	if st := mustState(t, d.u, "sleep.service"); st.UnitFileState != "enabled" {
		t.Errorf("UnitFileState = %q, want enabled", st.UnitFileState)
	}
	if err := d.u.Disable(d.ctx, []string{"sleep.service"}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(link); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s still there after Disable (%v)", link, err)
	}
	if st := mustState(t, d.u, "sleep.service"); st.UnitFileState != "disabled" {
		t.Errorf("UnitFileState = %q, want disabled", st.UnitFileState)
	}
}

// enableMissing is the subtest "enable missing" of TestDBusUnitsUserManager.
func (d *dbusUnitsRun) enableMissing(t *testing.T) {
	err := d.u.Enable(d.ctx, []string{"missing.service"})
	if err == nil || !strings.HasPrefix(err.Error(), "unit missing.service: enable: ") {
		t.Errorf("error = %v, want unit missing.service: enable: ...", err)
	}
}

// failingUnit is the subtest "failing unit" of TestDBusUnitsUserManager.
func (d *dbusUnitsRun) failingUnit(t *testing.T) {
	err := d.u.Start(d.ctx, "fail.service")
	if err == nil || err.Error() != "unit fail.service: start failed" {
		t.Errorf("error = %v, want unit fail.service: start failed", err)
	}
	if st := mustState(t, d.u, "fail.service"); st.ActiveState != "failed" {
		t.Errorf("ActiveState = %q, want failed", st.ActiveState)
	}
	// No journald runs in the test's namespaces: whatever it finds
	// (maybe nothing) is fine, as long as it returns.
	t.Logf("journal: %q", d.u.Journal(d.ctx, "fail.service", 10))
}

// missingUnit is the subtest "missing unit" of TestDBusUnitsUserManager.
func (d *dbusUnitsRun) missingUnit(t *testing.T) {
	st := mustState(t, d.u, "missing.service")
	if st.LoadState != "not-found" || st.ActiveState != "inactive" || st.MainPID != 0 {
		t.Errorf("state = %+v, want not-found, inactive", st)
	}
}

// contextEndsWhileWaiting is the subtest "context ends while waiting" of TestDBusUnitsUserManager.
func (d *dbusUnitsRun) contextEndsWhileWaiting(t *testing.T) {
	short, cancel := context.WithTimeout(d.ctx, 200*time.Millisecond)
	defer cancel()
	begin := time.Now()
	err := d.u.Start(short, "slow.service")
	if !errors.Is(err, context.DeadlineExceeded) || !strings.HasPrefix(err.Error(), "unit slow.service: start: ") {
		t.Errorf("error = %v, want unit slow.service: start: context deadline exceeded", err)
	}
	if took := time.Since(begin); took > 5*time.Second {
		t.Errorf("Start returned after %s", took)
	}
	// The job goes on in the manager; Stop cancels it.
	if err := d.u.Stop(d.ctx, "slow.service"); err != nil {
		t.Error(err)
	}
}

// contextDoneBefore is the subtest "context done before" of TestDBusUnitsUserManager.
func (d *dbusUnitsRun) contextDoneBefore(t *testing.T) {
	done, cancel := context.WithCancel(d.ctx)
	cancel()
	if err := d.u.Start(done, "sleep.service"); !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want context.Canceled", err)
	}
	if _, err := NewReal().Units(done, userScope(d.m)); !errors.Is(err, context.Canceled) {
		t.Errorf("Units error = %v, want context.Canceled", err)
	}
}

// TestDBusUnitsSessionBus drives the manager through the user's session
// bus (dbus-daemon from dbus-user-session), the way a user's own gocfg
// reaches its manager when the private socket is not there.
func TestDBusUnitsSessionBus(t *testing.T) {
	m := systemdtest.StartUserManager(t)
	ctx := testContext(t)
	conn, err := connectManager(ctx, m.BusAddress(), true)
	if err != nil {
		t.Fatal(err)
	}
	u := &dbusUnits{conn: conn, scope: userScope(m)}
	defer u.Close()
	m.WriteUnit(t, "sleep.service", sleepUnit)
	if err := u.DaemonReload(ctx); err != nil {
		t.Fatal(err)
	}
	if err := u.Start(ctx, "sleep.service"); err != nil {
		t.Fatal(err)
	}
	if st := mustState(t, u, "sleep.service"); st.ActiveState != "active" || st.MainPID <= 0 {
		t.Errorf("state = %+v, want active with a MainPID", st)
	}
	if err := u.Stop(ctx, "sleep.service"); err != nil {
		t.Fatal(err)
	}
}

// TestDBusUnitsRootToUser checks that root reaches the manager of
// another uid through its private socket, as `gocfg switch` does for
// home.<user>.systemd.services.
func TestDBusUnitsRootToUser(t *testing.T) {
	m := systemdtest.StartUserManagerAs(t, 65534, 65534)
	if os.Geteuid() != 0 {
		t.Skip("needs root")
	}
	if m.User() == "" {
		t.Skip("uid 65534 has no name in /etc/passwd")
	}
	u := connectUnits(t, m)
	ctx := testContext(t)
	m.WriteUnit(t, "sleep.service", sleepUnit)
	if err := u.DaemonReload(ctx); err != nil {
		t.Fatal(err)
	}
	if err := u.Start(ctx, "sleep.service"); err != nil {
		t.Fatal(err)
	}
	st := mustState(t, u, "sleep.service")
	if st.ActiveState != "active" || st.MainPID <= 0 {
		t.Fatalf("state = %+v, want active with a MainPID", st)
	}
	if uid := processUID(t, st.MainPID); uid != 65534 {
		t.Errorf("the service runs as uid %d, want 65534", uid)
	}
	if err := u.Enable(ctx, []string{"sleep.service"}); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(m.UnitDir(), "default.target.wants", "sleep.service")
	fi, err := os.Lstat(link)
	if err != nil {
		t.Fatal(err)
	}
	if uid := fi.Sys().(*syscall.Stat_t).Uid; uid != 65534 {
		t.Errorf("%s is owned by uid %d, want 65534 (the manager writes it)", link, uid)
	}
	if err := u.Disable(ctx, []string{"sleep.service"}); err != nil {
		t.Fatal(err)
	}
	if err := u.Stop(ctx, "sleep.service"); err != nil {
		t.Fatal(err)
	}
	t.Logf("journal: %q", u.Journal(ctx, "sleep.service", 5))
}

// processUID returns the real uid of a process.
func processUID(t *testing.T, pid int) int {
	t.Helper()
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "Uid:"); ok {
			f := strings.Fields(rest)
			uid, _ := strconv.Atoi(f[0])
			return uid
		}
	}
	t.Fatalf("no Uid in /proc/%d/status", pid)
	return -1
}

// TestDBusUnitsNoManager checks the error for a user without a manager:
// no socket, or a socket left by a manager that is gone.
func TestDBusUnitsNoManager(t *testing.T) {
	for _, stale := range []bool{false, true} {
		rt := t.TempDir()
		if stale {
			if err := os.Mkdir(filepath.Join(rt, "systemd"), 0o755); err != nil {
				t.Fatal(err)
			}
			l, err := net.ListenUnix("unix", &net.UnixAddr{Name: filepath.Join(rt, "systemd/private"), Net: "unix"})
			if err != nil {
				t.Fatal(err)
			}
			l.SetUnlinkOnClose(false)
			_ = l.Close()
		}
		scope := UnitScope{User: "alice", UID: 4242, GID: 4242, RuntimeDir: rt}
		_, err := NewReal().Units(context.Background(), scope)
		if !errors.Is(err, ErrNoManager) {
			t.Fatalf("stale socket %v: error = %v, want ErrNoManager", stale, err)
		}
		want := rt + "/systemd/private: no running systemd manager for user alice"
		if err.Error() != want {
			t.Errorf("stale socket %v: error = %q, want %q", stale, err, want)
		}
	}
}

// TestDBusUnitsNoSystemManager checks the error when there is no system
// bus (nor, for root, a system manager's private socket).
func TestDBusUnitsNoSystemManager(t *testing.T) {
	if os.Geteuid() == 0 && fileExists(systemPrivateSocket) {
		t.Skip(systemPrivateSocket + " exists: this machine runs a system manager")
	}
	bus := filepath.Join(t.TempDir(), "system_bus_socket")
	t.Setenv("DBUS_SYSTEM_BUS_ADDRESS", "unix:path="+bus)
	_, err := NewReal().Units(context.Background(), UnitScope{UID: -1, GID: -1})
	if !errors.Is(err, ErrNoManager) || !strings.HasPrefix(err.Error(), "unix:path="+bus+": systemd system manager: ") {
		t.Errorf("error = %v, want ErrNoManager naming %s", err, bus)
	}
}

// TestDBusUnitsJobsQueued: in a JobsQueued context a restart of a unit
// ordered after one that never ends returns at once, its job queued (it
// runs once the other ends), instead of waiting with the boot that
// waits for gocfg secrets activate (tester T); the unit skipped gets no
// job at all.
func TestDBusUnitsJobsQueued(t *testing.T) {
	m := systemdtest.StartUserManager(t)
	u := connectUnits(t, m)
	ctx := testContext(t)
	m.WriteUnit(t, "gate.service", "[Service]\nType=oneshot\nExecStart=/bin/sleep 600\n")
	m.WriteUnit(t, "after-gate.service", "[Unit]\nAfter=gate.service\n\n[Service]\nExecStart=/bin/sleep 600\n")
	if err := u.DaemonReload(ctx); err != nil {
		t.Fatal(err)
	}
	queued := JobsQueued(ctx, "gocfg-secrets.service")
	if err := u.Start(queued, "gate.service"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := u.Restart(queued, "after-gate.service"); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the restart waited %s for gate.service", d)
	}
	if st := mustState(t, u, "after-gate.service"); st.ActiveState == "active" {
		t.Errorf("after-gate.service started before gate.service ended: %+v", st)
	}
	// Waited for, the same restart does not return while gate runs.
	short, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	if err := u.Restart(short, "after-gate.service"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("a restart waited for: %v, want the deadline", err)
	}
	if err := u.Stop(ctx, "gate.service"); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; {
		if st := mustState(t, u, "after-gate.service"); st.ActiveState == "active" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the queued restart of after-gate.service never ran")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := u.Restart(queued, "gocfg-secrets.service"); err != nil {
		t.Errorf("the unit skipped: %v, want no job and no error", err)
	}
	if err := u.Restart(ctx, "gocfg-secrets.service"); err == nil {
		t.Error("a restart of gocfg-secrets.service, which this manager lacks, did not fail when not skipped")
	}
}
