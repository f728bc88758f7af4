package system

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	godbus "github.com/godbus/dbus/v5"
)

// WatchAccountWaits returns ctx in which a job of the system manager
// (Start, Stop, Restart, Reload of a Units from Real) that waits in the
// manager's queue, directly or through other queued jobs, for a job of
// one of units (those that run as an ordinary account) is bounded: if it
// still waits so bound after it was queued, it fails with an
// *AccountWaitError (see watchJob for what is cancelled).
//
// The units a configuration declares are seen in their files
// (platform/systemd's accountBound); a chain through units of the
// machine's own (tester AD: her unit wanted by a target that another
// target wants, which root's unit is ordered after) is not, and held
// root's switch without end. The manager knows every such chain: each
// queued job's GetBefore lists the jobs it waits for, which are asked in
// turn. The queue is looked at once a second from a second before the
// bound (and once more if ctx ends first), so a job that finishes
// sooner costs nothing.
//
// A unit waited for that is not among units, one of the machine's own
// (tester AF: a unit in /etc/systemd/system with User= her, which root's
// unit is ordered after, is hers to stop as much as a declared one), is
// hers when hers, given its User= and DynamicUser=, says so; the manager
// is asked for them (a service's, socket's, mount's or swap's), once
// per unit at each look. hers may be nil: then only units count.
//
// The job's own unit counts too, while its job runs, when the manager
// says it runs as her (reviewer: a machine drop-in giving a declared
// unit User= her). A unit runs as her when its User= is hers, or, for a
// job running, when one of its processes, or of their descendants,
// does (reviewer, tester AH: root's unit running her script through
// runuser, su or setpriv; an account only a directory knows).
//
// A Real system watches every job of the system manager so by default
// (SetAccountWatch), whatever op queues it (reviewer: the restart after
// a secret changed, and systemd.units' start, were not watched); ctx's
// watch adds the units a configuration declares.
//
// ctx's own deadline ends the wait as before, with an *AccountWaitError
// when the job waited for one of units at the last look.
func WatchAccountWaits(ctx context.Context, units []string, hers AccountOf, bound time.Duration) context.Context {
	if len(units) == 0 && hers == nil {
		return ctx
	}
	set := make(map[string]bool, len(units))
	for _, u := range units {
		set[u] = true
	}
	return context.WithValue(ctx, accountWaitsKey{}, accountWaits{units: set, hers: hers, bound: bound})
}

// AccountOf reports whether a unit whose processes run as user (its
// User=, a name or a uid; dynamic: its DynamicUser=) runs as an
// ordinary account, one whose processes an ordinary user may stop.
type AccountOf func(user string, dynamic bool) bool

type accountWaitsKey struct{}

type accountWaits struct {
	units map[string]bool
	hers  AccountOf
	bound time.Duration
	// known are the units found to run as her at an earlier look of
	// one job's watch (watchJob): they are not asked again.
	known map[string]bool
}

// SetAccountWatch makes every job of the system manager that r's Units
// queue watched (WatchAccountWaits) with hers, bounded by bound, even
// when ctx asks for no watch: whatever queues a job, it does not wait on
// her processes without end.
func (r *Real) SetAccountWatch(hers AccountOf, bound time.Duration) {
	r.watch = &accountWaits{units: map[string]bool{}, hers: hers, bound: bound}
}

// accountWaitPoll is how often a watched job's waits are looked at, and
// accountWaitLook how long one look may take (its D-Bus calls), so that
// a manager slow to answer does not keep an interrupt unseen.
var (
	accountWaitPoll = time.Second
	accountWaitLook = 10 * time.Second
)

// maxWaitJobs bounds the jobs one look walks through.
const maxWaitJobs = 512

// An AccountWaitError is the error of a job that still waited for Waits,
// units that run as an ordinary account, when Bound had passed
// (WatchAccountWaits).
type AccountWaitError struct {
	Unit, Job string
	Waits     []string
	Bound     time.Duration
	// Err is ctx's error when ctx ended the wait first.
	Err error
}

func (e *AccountWaitError) Error() string {
	others := slices.DeleteFunc(slices.Clone(e.Waits), func(w string) bool { return w == e.Unit })
	which := "which runs as an ordinary account"
	if len(others) > 1 {
		which = "which run as ordinary accounts"
	}
	var what []string
	if len(others) < len(e.Waits) {
		what = append(what, "runs as an ordinary account")
	}
	if len(others) > 0 {
		what = append(what, fmt.Sprintf("waits for %s, %s", strings.Join(others, ", "), which))
	}
	s := fmt.Sprintf("unit %s: %s: %s, and did not finish within %v",
		e.Unit, e.Job, strings.Join(what, ", and "), e.Bound)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *AccountWaitError) Unwrap() error { return e.Err }

// IsAccountWait reports whether err is, or wraps, an *AccountWaitError.
func IsAccountWait(err error) bool {
	var e *AccountWaitError
	return errors.As(err, &e)
}

// watchJob waits for the result of job id, queued on unit name, when ctx
// watches account waits (WatchAccountWaits): ok is false when it does
// not, or when the manager cannot be asked (then err is nil).
//
// Its waits are looked at once a second from a second before the bound
// (and once when ctx ends first). It fails once bound has passed
// since it was queued and it still waits for one of the units, looked at
// anew then: a wait for hers that ended, followed by one for root's own
// slow unit, is not hers (reviewer). A start or stop job is cancelled
// then, so that it does not run when she lets hers finish (a start of a
// unit the switch's undo leaves stopped; a stop of one it leaves
// running); a restart or reload is left queued: the unit was running,
// and it runs again (the previous version, once the undo put it back)
// when she lets go, rather than stay stopped after a restart's stop.
func (u *dbusUnits) watchJob(ctx context.Context, id int, name, op string, ch <-chan string) (ok bool, err error) {
	w, watching := ctx.Value(accountWaitsKey{}).(accountWaits)
	switch {
	case u.bus == nil:
		return false, nil
	case !watching && u.watch == nil:
		return false, nil
	case !watching:
		w = *u.watch
	case w.hers == nil && u.watch != nil:
		w.hers = u.watch.hers
	}
	w.known = map[string]bool{}
	result := func(r string) error {
		if r != "done" {
			return fmt.Errorf("unit %s: %s %s", name, op, r)
		}
		return nil
	}
	queued := time.Now()
	tick := time.NewTicker(accountWaitPoll)
	defer tick.Stop()
	var waits []string
	for {
		select {
		case r := <-ch:
			return true, result(r)
		case <-interruptOf(ctx):
			return true, u.interrupted(id, name, op, ch)
		case <-ctx.Done():
			if waits == nil {
				// One look, on the manager's side, at what it waited for.
				look, cancel := context.WithTimeout(context.Background(), 2*time.Second)
				waits = u.waitsFor(look, id, name, w)
				cancel()
			}
			if waits == nil {
				return true, fmt.Errorf("unit %s: %s: %w", name, op, ctx.Err())
			}
			if r, done := u.cancelQueued(id, op, ch); done {
				return true, result(r)
			}
			return true, &AccountWaitError{Unit: name, Job: op, Waits: waits, Bound: w.bound, Err: ctx.Err()}
		case <-tick.C:
			// Looked at from a poll before the bound only: a job that
			// ends sooner costs nothing but the ticks (reviewer).
			if time.Since(queued) < w.bound-accountWaitPoll {
				continue
			}
			look, cancel := context.WithTimeout(ctx, accountWaitLook)
			waits = u.waitsFor(look, id, name, w)
			cancel()
			if waits == nil || time.Since(queued) < w.bound {
				continue
			}
			if r, done := u.cancelQueued(id, op, ch); done {
				return true, result(r)
			}
			return true, &AccountWaitError{Unit: name, Job: op, Waits: waits, Bound: w.bound}
		}
	}
}

// cancelQueued cancels job id (a start or stop: see watchJob) whose bound
// is spent, unless its result is in ch already; done says that the job
// finished after all, with result r (a job that became running as it was
// cancelled, or finished just before).
func (u *dbusUnits) cancelQueued(id int, op string, ch <-chan string) (r string, done bool) {
	select {
	case r := <-ch:
		return r, true
	default:
	}
	if op != "start" && op != "stop" {
		return "", false
	}
	u.cancelJob(id)
	select {
	case r := <-ch:
		return r, r != "canceled"
	case <-time.After(2 * time.Second):
		return "", false
	}
}

// queuedJob is one entry of a job's GetBefore: a job it waits for.
type queuedJob struct {
	ID       uint32
	Unit     string
	Type     string
	State    string
	Job      godbus.ObjectPath
	UnitPath godbus.ObjectPath
}

// waitsFor returns the units that run as an ordinary account (w's units,
// and those w.hers says so of) among job id's own unit, name, and the
// units whose jobs it waits for, directly or through other jobs; nil
// when none (or when the job is gone).
func (u *dbusUnits) waitsFor(ctx context.Context, id int, name string, w accountWaits) []string {
	start := jobPath(id)
	seen := map[godbus.ObjectPath]bool{start: true}
	next := []godbus.ObjectPath{start}
	var found []string
	asked := map[string]bool{}
	isHers := func(unit string, unitPath godbus.ObjectPath, running bool) bool {
		if w.units[unit] || w.known[unit] {
			return true
		}
		v, ok := asked[unit]
		if !ok {
			var byUser bool
			if w.hers != nil {
				v, byUser = u.runsAs(ctx, unit, unitPath, running, w.hers)
			}
			asked[unit] = v
			// Only User= stays hers for the job's whole watch: a process
			// of hers may be gone at the next look (reviewer: root's
			// unit that ran her git pull for a second, then root's own
			// long work).
			if byUser && w.known != nil {
				w.known[unit] = true
			}
		}
		return v
	}
	// The job's own unit, while the job runs: queued, it waits for
	// others, and only what it waits for counts (reviewer: a restart of
	// ssh.service queued behind root's slow unit counted her ssh
	// session, a descendant of sshd, as a wait on her).
	var state string
	var own godbus.ObjectPath
	if u.bus.Object("org.freedesktop.systemd1", start).CallWithContext(ctx, "org.freedesktop.DBus.Properties.Get", 0, "org.freedesktop.systemd1.Job", "State").Store(&state) == nil &&
		state == "running" &&
		u.managerObject().CallWithContext(ctx, "org.freedesktop.systemd1.Manager.GetUnit", 0, name).Store(&own) == nil && isHers(name, own, true) {
		found = append(found, name)
	}
	for len(next) > 0 && len(seen) <= maxWaitJobs {
		p := next[0]
		next = next[1:]
		var before []queuedJob
		call := u.bus.Object("org.freedesktop.systemd1", p).CallWithContext(ctx, "org.freedesktop.systemd1.Job.GetBefore", 0)
		if call.Store(&before) != nil {
			continue // done meanwhile
		}
		for _, b := range before {
			if isHers(b.Unit, b.UnitPath, b.State == "running") && !slices.Contains(found, b.Unit) {
				found = append(found, b.Unit)
			}
			if !seen[b.Job] {
				seen[b.Job] = true
				next = append(next, b.Job)
			}
		}
	}
	slices.Sort(found)
	return found
}

// execInterfaces are the D-Bus interfaces of the unit types whose
// processes may run as another account (User=), by unit name suffix.
var execInterfaces = map[string]string{
	".service": "org.freedesktop.systemd1.Service",
	".socket":  "org.freedesktop.systemd1.Socket",
	".mount":   "org.freedesktop.systemd1.Mount",
	".swap":    "org.freedesktop.systemd1.Swap",
}

// runsAs reports whether unit runs as an account hers says is an
// ordinary one (byUser: by its User=, with DynamicUser=), or, when its
// job runs, whether one of its processes, or of their descendants in
// other cgroups (su and runuser -l move her shell into a session of
// hers: tester AH), does, by the real or saved uid whose match lets her
// signal it (kill(2)); false when the manager cannot say (the unit is
// gone).
func (u *dbusUnits) runsAs(ctx context.Context, unit string, unitPath godbus.ObjectPath, running bool, hers AccountOf) (v, byUser bool) {
	if iface := execInterfaces[path.Ext(unit)]; iface != "" && unitPath != "" {
		o := u.bus.Object("org.freedesktop.systemd1", unitPath)
		var user string
		if o.CallWithContext(ctx, "org.freedesktop.DBus.Properties.Get", 0, iface, "User").Store(&user) == nil && user != "" {
			var dynamic bool
			if o.CallWithContext(ctx, "org.freedesktop.DBus.Properties.Get", 0, iface, "DynamicUser").Store(&dynamic) != nil {
				dynamic = false
			}
			if hers(user, dynamic) {
				return true, true
			}
		}
	}
	if !running {
		return false, false
	}
	var procs []struct {
		CGroup  string
		PID     uint32
		Command string
	}
	call := u.managerObject().CallWithContext(ctx, "org.freedesktop.systemd1.Manager.GetUnitProcesses", 0, unit)
	if call.Store(&procs) != nil {
		return false, false
	}
	var pids []int
	for _, p := range procs {
		// The same process as the manager listed (reviewer: a pid
		// reused since is another's).
		if cg, err := os.ReadFile("/proc/" + strconv.FormatUint(uint64(p.PID), 10) + "/cgroup"); err == nil && strings.Contains(string(cg), p.CGroup) {
			pids = append(pids, int(p.PID))
		}
	}
	for _, pid := range withDescendants(pids, maxWaitProcesses) {
		for _, uid := range signalUIDs(pid) {
			if hers(strconv.Itoa(uid), false) {
				return true, false
			}
		}
	}
	return false, false
}

// maxWaitProcesses bounds the processes one unit's look reads.
const maxWaitProcesses = 4096

// withDescendants is pids and their descendants (/proc/<pid>/task/<tid>/
// children), at most max of them, parents first.
func withDescendants(pids []int, max int) []int {
	seen := map[int]bool{}
	out := slices.Clone(pids)
	for _, p := range pids {
		seen[p] = true
	}
	for i := 0; i < len(out) && len(out) < max; i++ {
		tasks, err := os.ReadDir("/proc/" + strconv.Itoa(out[i]) + "/task")
		if err != nil {
			continue
		}
		for _, t := range tasks {
			data, err := os.ReadFile("/proc/" + strconv.Itoa(out[i]) + "/task/" + t.Name() + "/children")
			if err != nil {
				continue
			}
			for _, f := range strings.Fields(string(data)) {
				if c, err := strconv.Atoi(f); err == nil && !seen[c] && len(out) < max {
					seen[c] = true
					out = append(out, c)
				}
			}
		}
	}
	return out
}

// signalUIDs are the real and saved uids of process pid (the fields of
// /proc/<pid>/status whose match lets another account signal it); none
// when it is gone.
func signalUIDs(pid int) []int {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return nil
	}
	for _, line := range strings.Split(string(data), "\n") {
		rest, ok := strings.CutPrefix(line, "Uid:")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		var out []int
		for _, i := range []int{0, 2} {
			if i < len(f) {
				if n, err := strconv.Atoi(f[i]); err == nil {
					out = append(out, n)
				}
			}
		}
		return out
	}
	return nil
}

// cancelJob cancels job id (`systemctl cancel`), best effort: it may be
// done already.
func (u *dbusUnits) cancelJob(id int) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = u.managerObject().CallWithContext(ctx, "org.freedesktop.systemd1.Manager.CancelJob", 0, uint32(id)).Err
}

// managerObject is the system manager's object, for calls go-systemd has no
// method for.
func (u *dbusUnits) managerObject() godbus.BusObject {
	return u.bus.Object("org.freedesktop.systemd1", "/org/freedesktop/systemd1")
}

// jobPath is the object path of job id.
func jobPath(id int) godbus.ObjectPath {
	return godbus.ObjectPath(fmt.Sprintf("/org/freedesktop/systemd1/job/%d", id))
}
