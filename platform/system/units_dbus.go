package system

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"

	sddbus "github.com/coreos/go-systemd/v22/dbus"
	godbus "github.com/godbus/dbus/v5"
)

var _ Units = (*dbusUnits)(nil)

// ErrNoManager is wrapped by the error of Real.Units when the scope's
// systemd manager is not running (a user who is not logged in and has no
// lingering, a machine whose PID 1 is not systemd).
var ErrNoManager = errors.New("no running systemd manager")

// systemPrivateSocket is the system manager's own socket, which root can
// use when there is no system bus.
const systemPrivateSocket = "/run/systemd/private"

// defaultSystemBus is the system bus's address when DBUS_SYSTEM_BUS_ADDRESS
// is not set.
const defaultSystemBus = "unix:path=/run/dbus/system_bus_socket"

// A dbusUnits is the Units of a running systemd manager, reached over
// D-Bus with go-systemd.
//
// How it connects:
//   - the system manager: the system bus (DBUS_SYSTEM_BUS_ADDRESS, else
//     /run/dbus/system_bus_socket); as root, /run/systemd/private when
//     there is no bus (as go-systemd's NewWithContext does);
//   - a user's manager: its private socket <RuntimeDir>/systemd/private
//     first, as `systemctl --user` does, for the user itself and for root
//     (systemd accepts peers whose uid is 0 or its own, checked with
//     SO_PEERCRED: tried with systemd 252, Debian 12); then, for the user
//     itself only, the session bus <RuntimeDir>/bus.
//
// The private socket works without dbus-daemon and sends job signals to
// every client. go-systemd's NewUserConnectionContext is not used: it
// reads DBUS_SESSION_BUS_ADDRESS, which names gocfg's own session rather
// than the scope's, and without it runs dbus-launch.
type dbusUnits struct {
	conn  *sddbus.Conn
	scope UnitScope
	// bus is conn's connection for calls (the system manager's only):
	// the calls go-systemd has no method for (waitsFor, cancelJob).
	bus *godbus.Conn
	// watch is the Real system's watch of every job (SetAccountWatch).
	watch *accountWaits
}

// newDBusUnits connects to the manager of scope. ctx bounds connecting;
// the connection lives until Close.
func newDBusUnits(ctx context.Context, scope UnitScope) (*dbusUnits, error) {
	if scope.System() {
		conn, bus, err := connectSystem(ctx)
		if err != nil {
			return nil, err
		}
		return &dbusUnits{conn: conn, scope: scope, bus: bus}, nil
	}
	conn, err := connectUser(ctx, scope)
	if err != nil {
		return nil, err
	}
	return &dbusUnits{conn: conn, scope: scope}, nil
}

// connectSystem connects to the system manager; bus is the connection
// go-systemd makes its calls on.
func connectSystem(ctx context.Context) (conn *sddbus.Conn, bus *godbus.Conn, err error) {
	addr := os.Getenv("DBUS_SYSTEM_BUS_ADDRESS")
	if addr == "" {
		addr = defaultSystemBus
	}
	conn, bus, err = connectManagerBus(ctx, addr, true)
	if err == nil {
		return conn, bus, nil
	}
	if os.Geteuid() == 0 && ctx.Err() == nil && fileExists(systemPrivateSocket) {
		if pconn, pbus, perr := connectManagerBus(ctx, busPath(systemPrivateSocket), false); perr == nil {
			return pconn, pbus, nil
		}
	}
	if absent(err) {
		err = fmt.Errorf("%w (%v)", ErrNoManager, err)
	}
	return nil, nil, fmt.Errorf("%s: systemd system manager: %w", addr, err)
}

// absent reports whether a dial error says that nothing listens there.
func absent(err error) bool {
	return errors.Is(err, syscall.ENOENT) || errors.Is(err, syscall.ECONNREFUSED)
}

// connectUser connects to the manager of a user.
func connectUser(ctx context.Context, scope UnitScope) (*sddbus.Conn, error) {
	rt := scopeRuntimeDir(scope)
	private := rt + "/systemd/private"
	sameUser := scope.UID == os.Geteuid()
	var privateErr error
	if _, err := os.Stat(private); err == nil {
		connect := func() (*sddbus.Conn, error) { return connectManager(ctx, busPath(private), false) }
		if !sameUser {
			// The runtime folder is the user's: whoever listens there
			// must be that user (see connectPeerManager), and may never
			// answer: the connection is bounded.
			connect = func() (*sddbus.Conn, error) {
				cctx, cancel := context.WithTimeout(ctx, peerConnectTimeout)
				defer cancel()
				conn, err := connectPeerManager(cctx, private, scope.UID)
				if err != nil && ctx.Err() == nil && errors.Is(cctx.Err(), context.DeadlineExceeded) {
					err = fmt.Errorf("%w within %v", ErrNoAnswer, peerConnectTimeout)
				}
				return conn, err
			}
		}
		conn, err := connect()
		if err == nil {
			return conn, nil
		}
		// A socket nobody listens on is a manager that is gone.
		if !absent(err) {
			privateErr = fmt.Errorf("%s: systemd user manager of %s: %w", private, scope.User, err)
			if !sameUser || ctx.Err() != nil {
				return nil, privateErr
			}
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		privateErr = fmt.Errorf("%s: systemd user manager of %s: %w", private, scope.User, err)
	}
	if bus := rt + "/bus"; sameUser && fileExists(bus) {
		conn, err := connectManager(ctx, busPath(bus), true)
		if err != nil {
			return nil, fmt.Errorf("%s: systemd user manager of %s: %w", bus, scope.User, err)
		}
		return conn, nil
	}
	if privateErr != nil {
		return nil, privateErr
	}
	// What to do about it is the caller's hint (systemd.ManagerHint):
	// enabling lingering, or starting the manager of a user who lingers.
	return nil, fmt.Errorf("%s: %w for user %s", private, ErrNoManager, scope.User)
}

// scopeRuntimeDir returns the scope's runtime folder: RuntimeDir, else
// /run/user/<uid>.
func scopeRuntimeDir(scope UnitScope) string {
	if scope.RuntimeDir != "" {
		return scope.RuntimeDir
	}
	return "/run/user/" + strconv.Itoa(scope.UID)
}

// busPath returns the D-Bus address of the socket path.
func busPath(path string) string {
	return "unix:path=" + godbus.EscapeBusAddressValue(path)
}

// fileExists reports whether something is at path.
func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// connectManager opens a go-systemd connection (two D-Bus connections) to
// address. hello is set for a message bus, unset for a manager's private
// socket. ctx bounds connecting only.
func connectManager(ctx context.Context, address string, hello bool) (*sddbus.Conn, error) {
	conn, _, err := connectManagerBus(ctx, address, hello)
	return conn, err
}

// connectManagerBus is connectManager that also returns the first of the
// two D-Bus connections, the one go-systemd makes its calls on
// (sddbus.NewConnection dials it first), for the calls go-systemd has no
// method for.
func connectManagerBus(ctx context.Context, address string, hello bool) (*sddbus.Conn, *godbus.Conn, error) {
	var calls *godbus.Conn
	conn, err := withContext(ctx, func() (*sddbus.Conn, error) {
		return sddbus.NewConnection(func() (*godbus.Conn, error) {
			c, err := dialBus(address, hello)
			if calls == nil {
				calls = c
			}
			return c, err
		})
	})
	if err != nil {
		return nil, nil, err
	}
	// withContext returned the dialling goroutine's result: its write
	// of calls happened before.
	return conn, calls, nil
}

// dialBus opens one authenticated D-Bus connection to address. EXTERNAL
// authentication proves the uid with the socket's peer credentials
// (godbus sends no identity of its own), so root can talk to a user's
// manager as root.
func dialBus(address string, hello bool) (*godbus.Conn, error) {
	conn, err := godbus.Dial(address)
	if err != nil {
		return nil, err
	}
	if err := conn.Auth([]godbus.Auth{godbus.AuthExternal(strconv.Itoa(os.Geteuid()))}); err != nil {
		_ = conn.Close()
		return nil, err
	}
	if hello {
		if err := conn.Hello(); err != nil {
			_ = conn.Close()
			return nil, err
		}
	}
	return conn, nil
}

// withContext runs dial and returns its connection, or ctx's error as
// soon as ctx is done (closing the connection when it comes late).
func withContext(ctx context.Context, dial func() (*sddbus.Conn, error)) (*sddbus.Conn, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	type result struct {
		conn *sddbus.Conn
		err  error
	}
	ch := make(chan result, 1)
	go func() {
		c, err := dial()
		ch <- result{c, err}
	}()
	select {
	case r := <-ch:
		return r.conn, r.err
	case <-ctx.Done():
		go func() {
			if r := <-ch; r.conn != nil {
				r.conn.Close()
			}
		}()
		return nil, ctx.Err()
	}
}

// unitError returns the error of op on the units names.
func unitError(names []string, op string, err error) error {
	return fmt.Errorf("unit %s: %s: %w", strings.Join(names, ", "), op, err)
}

// DaemonReload makes the manager read the unit files again
// (`systemctl daemon-reload`).
func (u *dbusUnits) DaemonReload(ctx context.Context) error {
	if err := u.conn.ReloadContext(ctx); err != nil {
		return fmt.Errorf("%s: daemon-reload: %w", u.manager(), err)
	}
	return nil
}

// manager names the manager for errors.
func (u *dbusUnits) manager() string {
	if u.scope.System() {
		return "systemd system manager"
	}
	return "systemd user manager of " + u.scope.User
}

// Enable links the unit files into the targets their [Install] section
// names, replacing links that are in the way (`systemctl enable
// --force`). The manager writes the links, in /etc/systemd/system or the
// user's ~/.config/systemd/user.
func (u *dbusUnits) Enable(ctx context.Context, names []string) error {
	if len(names) == 0 {
		return nil
	}
	if _, _, err := u.conn.EnableUnitFilesContext(ctx, names, false, true); err != nil {
		return unitError(names, "enable", err)
	}
	return nil
}

// Disable removes the links Enable made.
func (u *dbusUnits) Disable(ctx context.Context, names []string) error {
	if len(names) == 0 {
		return nil
	}
	if _, err := u.conn.DisableUnitFilesContext(ctx, names, false); err != nil {
		return unitError(names, "disable", err)
	}
	return nil
}

// Start starts a unit and waits for the job's result.
func (u *dbusUnits) Start(ctx context.Context, name string) error {
	return u.job(ctx, name, "start", u.conn.StartUnitContext)
}

// Stop stops a unit and waits for the job's result.
func (u *dbusUnits) Stop(ctx context.Context, name string) error {
	return u.job(ctx, name, "stop", u.conn.StopUnitContext)
}

// Restart restarts a unit (starting it when stopped) and waits for the
// job's result.
func (u *dbusUnits) Restart(ctx context.Context, name string) error {
	return u.job(ctx, name, "restart", u.conn.RestartUnitContext)
}

// Reload makes a unit reload its configuration (ExecReload=) and waits
// for the job's result.
func (u *dbusUnits) Reload(ctx context.Context, name string) error {
	return u.job(ctx, name, "reload", u.conn.ReloadUnitContext)
}

// ResetFailed clears the unit's failed state (`systemctl reset-failed`).
func (u *dbusUnits) ResetFailed(ctx context.Context, name string) error {
	if err := u.conn.ResetFailedUnitContext(ctx, name); err != nil {
		return unitError([]string{name}, "reset-failed", err)
	}
	return nil
}

// JobsQueued is ctx in which the units' jobs (start, stop, restart,
// reload) are queued and not waited for, and the unit skip gets none:
// for gocfg secrets activate, which runs at boot before sysinit.target
// as skip. Its recovery of an interrupted switch restarts the units the
// switch had stopped or changed; such a job waits for sysinit.target,
// which waits for skip, which waited for the job: the boot hung for
// good (tester T). Restarting skip itself would stop the recovery.
func JobsQueued(ctx context.Context, skip string) context.Context {
	return context.WithValue(ctx, jobsQueuedKey{}, jobsQueued{skip: skip})
}

type jobsQueuedKey struct{}

type jobsQueued struct{ skip string }

// A jobFunc queues a job on a unit (go-systemd's StartUnitContext, ...).
type jobFunc func(ctx context.Context, name, mode string, ch chan<- string) (int, error)

// job queues a job in "replace" mode and waits for its result: an error
// "unit NAME: JOB RESULT" when the result is not "done", ctx's error when
// ctx is done first (the job keeps running in the manager).
func (u *dbusUnits) job(ctx context.Context, name, op string, queue jobFunc) error {
	if q, ok := ctx.Value(jobsQueuedKey{}).(jobsQueued); ok {
		if name == q.skip {
			return nil
		}
		if _, err := queue(ctx, name, "replace", nil); err != nil {
			return fmt.Errorf("unit %s: %s: %w", name, op, err)
		}
		return nil
	}
	// Buffered: go-systemd's dispatcher must never block on a result
	// nobody reads any more.
	ch := make(chan string, 1)
	id, err := queue(ctx, name, "replace", ch)
	if err != nil {
		return fmt.Errorf("unit %s: %s: %w", name, op, err)
	}
	if ok, err := u.watchJob(ctx, id, name, op, ch); ok {
		return err
	}
	select {
	case result := <-ch:
		if result != "done" {
			return fmt.Errorf("unit %s: %s %s", name, op, result)
		}
		return nil
	case <-ctx.Done():
		return fmt.Errorf("unit %s: %s: %w", name, op, ctx.Err())
	case <-interruptOf(ctx):
		return u.interrupted(id, name, op, ch)
	}
}

// State reads a unit's state from the manager, which loads the unit to
// answer (LoadState "not-found" for a unit without a file).
func (u *dbusUnits) State(ctx context.Context, name string) (UnitState, error) {
	props, err := u.conn.GetUnitPropertiesContext(ctx, name)
	if err != nil {
		return UnitState{}, fmt.Errorf("unit %s: state: %w", name, err)
	}
	st := UnitState{
		LoadState:     stringProp(props, "LoadState"),
		ActiveState:   stringProp(props, "ActiveState"),
		SubState:      stringProp(props, "SubState"),
		UnitFileState: stringProp(props, "UnitFileState"),
	}
	st.SkippedForGood = skippedForGood(props)
	if job, ok := props["Job"].([]any); ok && len(job) > 0 {
		id, _ := job[0].(uint32)
		st.JobQueued = id != 0
	}
	if strings.HasSuffix(name, ".service") && st.LoadState == "loaded" {
		p, err := u.conn.GetUnitTypePropertyContext(ctx, name, "Service", "MainPID")
		if err != nil {
			return UnitState{}, fmt.Errorf("unit %s: state: %w", name, err)
		}
		if pid, ok := p.Value.Value().(uint32); ok {
			st.MainPID = int(pid)
		}
	}
	return st, nil
}

// fixedConditions are the Condition*= settings whose result does not
// change while the machine runs (systemd.unit(5)).
// Not ConditionHost (a switch may set the host name) nor
// ConditionOSRelease (an upgrade rewrites /etc/os-release): reviewer.
var fixedConditions = map[string]bool{
	"ConditionArchitecture": true, "ConditionFirmware": true, "ConditionVirtualization": true,
	"ConditionKernelCommandLine": true, "ConditionKernelVersion": true,
	"ConditionCredential": true, "ConditionSecurity": true, "ConditionCapability": true,
	"ConditionCPUs": true, "ConditionCPUFeature": true, "ConditionMemory": true,
	"ConditionUser": true, "ConditionGroup": true,
}

// skippedForGood reports, from a unit's properties, whether its last
// start was skipped (ConditionResult false once evaluated) for
// conditions that are all fixed ones (UnitState.SkippedForGood): each
// condition that failed (Conditions' state below 0) is one of
// fixedConditions, or, when none says (a daemon-reload forgets each
// condition's state and keeps the result: reviewer), every condition
// of the unit is one.
func skippedForGood(props map[string]any) bool {
	if ok, _ := props["ConditionResult"].(bool); ok {
		return false
	}
	if at, _ := props["ConditionTimestampMonotonic"].(uint64); at == 0 {
		return false
	}
	conds, _ := props["Conditions"].([][]any)
	failed, allFixed := false, len(conds) > 0
	for _, c := range conds {
		if len(c) < 5 {
			return false
		}
		kind, _ := c[0].(string)
		state, _ := c[4].(int32)
		allFixed = allFixed && fixedConditions[kind]
		if state >= 0 {
			continue
		}
		if !fixedConditions[kind] {
			return false
		}
		failed = true
	}
	return failed || allFixed
}

// stringProp returns the string property name of props, "" when missing.
func stringProp(props map[string]any, name string) string {
	s, _ := props[name].(string)
	return s
}

// Journal returns up to n last lines the unit logged, read with
// journalctl; "" when journalctl fails or finds nothing.
func (u *dbusUnits) Journal(ctx context.Context, name string, n int) string {
	if n <= 0 {
		return ""
	}
	args := []string{"--no-pager", "--quiet", "-n", strconv.Itoa(n)}
	switch {
	case u.scope.System():
		args = append(args, "-u", name)
	case u.scope.UID == os.Geteuid():
		args = append(args, "--user-unit", name)
	default:
		// journalctl's --user-unit matches the caller's uid: name the
		// user's messages and the manager's about the unit.
		uid := "_UID=" + strconv.Itoa(u.scope.UID)
		args = append(args, uid, "_SYSTEMD_USER_UNIT="+name, "+", uid, "USER_UNIT="+name)
	}
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, "journalctl", args...)
	cmd.Stdout = &out
	if err := cmd.Run(); err != nil {
		return ""
	}
	s := strings.TrimSpace(out.String())
	if s == "-- No entries --" {
		return ""
	}
	return s
}

// Close ends the connection.
func (u *dbusUnits) Close() error {
	u.conn.Close()
	return nil
}

// ErrNoAnswer is the error of another user's manager socket where
// something accepts and never answers: a process of that user's may
// listen there in systemd's place.
var ErrNoAnswer = errors.New("no answer from the manager's socket")

// peerConnectTimeout bounds the whole connection to another user's
// manager (connectUser), for a caller without a deadline of its own (an
// undo, a recovery). It and the Linux dialer's peerAuthTimeout run out
// before the plan's own bound on a user's manager (30 s,
// platform/systemd's userManagerTimeout), so that a silent socket is
// reported as ErrNoAnswer whoever asks.
var peerConnectTimeout = 25 * time.Second
