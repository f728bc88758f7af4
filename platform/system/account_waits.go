package system

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	godbus "github.com/godbus/dbus/v5"
)

// WatchAccountWaits returns ctx in which a job of the system manager
// (Start, Stop, Restart, Reload of a Units from Real) that waits in the
// manager's queue, directly or through other queued jobs, for a job of
// one of units (those that run as an ordinary account, or wait for one
// that does) is bounded: once such a wait is seen, the job fails
// bound after it was queued, with an *AccountWaitError, and is
// cancelled, so that it does not run later when she lets hers finish.
//
// The units a configuration declares are seen in their files
// (platform/systemd's accountBound); a chain through units of the
// machine's own (tester AD: her unit wanted by a target that another
// target wants, which root's unit is ordered after) is not, and held
// root's switch without end. The manager knows every such chain: each
// queued job's GetBefore lists the jobs it waits for, which are asked in
// turn. The queue is looked at once a second, so a job that finishes
// sooner costs nothing.
//
// A job that is done when its bound is spent is not cancelled: ctx's
// own deadline ends the wait as before, with an *AccountWaitError too
// when the wait for units was seen.
func WatchAccountWaits(ctx context.Context, units []string, bound time.Duration) context.Context {
	if len(units) == 0 {
		return ctx
	}
	set := make(map[string]bool, len(units))
	for _, u := range units {
		set[u] = true
	}
	return context.WithValue(ctx, accountWaitsKey{}, accountWaits{units: set, bound: bound})
}

type accountWaitsKey struct{}

type accountWaits struct {
	units map[string]bool
	bound time.Duration
}

// accountWaitPoll is how often a watched job's waits are looked at.
var accountWaitPoll = time.Second

// maxWaitJobs bounds the jobs one look walks through.
const maxWaitJobs = 512

// An AccountWaitError is the error of a job that waited for Waits, units
// that run as an ordinary account or wait for one that does, and did not
// finish within Bound (WatchAccountWaits).
type AccountWaitError struct {
	Unit, Job string
	Waits     []string
	Bound     time.Duration
	// Err is ctx's error when ctx ended the wait first.
	Err error
}

func (e *AccountWaitError) Error() string {
	s := fmt.Sprintf("unit %s: %s: waits for %s, which runs as an ordinary account or waits for one that does, and did not finish within %v",
		e.Unit, e.Job, strings.Join(e.Waits, ", "), e.Bound)
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
func (u *dbusUnits) watchJob(ctx context.Context, id int, name, op string, ch <-chan string) (ok bool, err error) {
	w, watching := ctx.Value(accountWaitsKey{}).(accountWaits)
	if !watching || u.bus == nil {
		return false, nil
	}
	queued := time.Now()
	tick := time.NewTicker(accountWaitPoll)
	defer tick.Stop()
	var (
		waits    []string
		deadline <-chan time.Time
	)
	for {
		select {
		case result := <-ch:
			if result != "done" {
				return true, fmt.Errorf("unit %s: %s %s", name, op, result)
			}
			return true, nil
		case <-ctx.Done():
			if waits != nil {
				u.cancelJob(id)
				return true, &AccountWaitError{Unit: name, Job: op, Waits: waits, Bound: w.bound, Err: ctx.Err()}
			}
			return true, fmt.Errorf("unit %s: %s: %w", name, op, ctx.Err())
		case <-tick.C:
			if waits = u.waitsFor(ctx, id, w.units); waits != nil {
				tick.Stop()
				deadline = time.After(time.Until(queued.Add(w.bound)))
			}
		case <-deadline:
			u.cancelJob(id)
			return true, &AccountWaitError{Unit: name, Job: op, Waits: waits, Bound: w.bound}
		}
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

// waitsFor returns the units among units whose jobs job id waits for,
// directly or through other jobs; nil when none (or when the job is
// gone).
func (u *dbusUnits) waitsFor(ctx context.Context, id int, units map[string]bool) []string {
	start := jobPath(id)
	seen := map[godbus.ObjectPath]bool{start: true}
	next := []godbus.ObjectPath{start}
	var found []string
	for len(next) > 0 && len(seen) <= maxWaitJobs {
		p := next[0]
		next = next[1:]
		var before []queuedJob
		call := u.bus.Object("org.freedesktop.systemd1", p).CallWithContext(ctx, "org.freedesktop.systemd1.Job.GetBefore", 0)
		if call.Store(&before) != nil {
			continue // done meanwhile
		}
		for _, b := range before {
			if units[b.Unit] && !slices.Contains(found, b.Unit) {
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

// cancelJob cancels job id (`systemctl cancel`), best effort: it may be
// done already.
func (u *dbusUnits) cancelJob(id int) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = u.bus.Object("org.freedesktop.systemd1", "/org/freedesktop/systemd1").
		CallWithContext(ctx, "org.freedesktop.systemd1.Manager.CancelJob", 0, uint32(id)).Err
}

// jobPath is the object path of job id.
func jobPath(id int) godbus.ObjectPath {
	return godbus.ObjectPath(fmt.Sprintf("/org/freedesktop/systemd1/job/%d", id))
}
