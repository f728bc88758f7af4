package systemd

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/accounts"
	"github.com/gocfg/gocfg/platform/system"
)

// A Before is a unit's state before the switch, as the checkpoint
// restores it.
type Before struct {
	Name    string `json:"name"`
	Active  bool   `json:"active"`
	Enabled bool   `json:"enabled"`
	// Exists: the unit had a file (a new unit is stopped and disabled by
	// the undo instead).
	Exists bool `json:"exists"`
	// MainPID is the service's main process then (0: none, or not a
	// service): an active unit that still has it was never restarted and
	// still runs its previous version.
	MainPID int `json:"main_pid,omitempty"`
	// Reload: the switch reloads the unit, which the undo then reloads
	// again with the previous unit file (rather than restart it).
	Reload bool `json:"reload,omitempty"`
	// Failed: the unit was failed before the switch, a failure the undo
	// leaves for the administrator to see; any other failure of a unit
	// the undo leaves stopped is the switch's, and is cleared.
	Failed bool `json:"failed,omitempty"`
	// AsAccount: a system unit whose jobs may wait on an ordinary
	// account's processes (accountBound): the undo runs its jobs after
	// the others', and a timeout then is hers (platform.ErrAccountUnit).
	AsAccount bool `json:"as_account,omitempty"`
	// AccountFails: one whose jobs may fail by her doing (it runs as
	// her, or needs a unit that does): its undo's failure is hers.
	AccountFails bool `json:"account_fails,omitempty"`
}

// CheckpointOp does nothing when applied. Its Undo, which runs after the
// undo of every later op has put the previous unit files back, reloads the
// manager and returns each unit to its previous enabled and active state.
type CheckpointOp struct {
	Scope system.UnitScope `json:"scope"`
	Units []Before         `json:"units"`
	// Offline: under --root nothing runs; only enablement is restored.
	Offline bool `json:"offline,omitempty"`
	// AsAccount: a system unit of the switch runs as an ordinary
	// account (JobOp.AsAccount): the undo is bounded.
	AsAccount bool `json:"as_account,omitempty"`
	// Watch names the system units that run as an ordinary account or
	// wait for one that does (accountBound): a job of the undo that the
	// manager queues behind one of theirs, through units of the
	// machine's own too, is bounded (system.WatchAccountWaits), and its
	// failure is hers; as is one queued behind a unit of the machine's
	// own that runs as an ordinary account (accounts.Ordinary).
	Watch []string `json:"watch,omitempty"`
}

// Describe says what the op does.
func (o *CheckpointOp) Describe() string { return "checkpoint " + scopeName(o.Scope) }

// Apply does nothing: the checkpoint only matters when undone.
func (o *CheckpointOp) Apply(context.Context, system.System) error { return nil }

// Undo restores every touched unit's enablement (the unit files are the
// previous ones again), reloads the manager so that it sees those files
// and links, then returns each unit to its previous active state: a unit
// that was active is restarted, unless it still runs the main process it
// had before the switch (it was never restarted, so it runs the previous
// version: it is only reloaded if the switch reloads it); one that was
// not is stopped, and its failed state, if the switch left it failed, is
// cleared (`systemctl reset-failed`): the failure was undone, and a
// failed unit, even one whose file is gone, keeps the machine
// "degraded" until it is reset.
//
// A user's manager is the user's, as for JobOp.Apply: the undo there is
// bounded by userJobTimeout as a whole (tester Y: a socket of hers that
// never answered held root's undo, its recovery after a kill, and the
// state lock, without end), and its failure is left in her home.
//
// So is the system manager's, when a unit of the switch runs as an
// ordinary account (AsAccount, tester AA).
//
// What she can make fail is left (platform.ErrAccountUnit), not kept in
// the journal for a retry that she would make fail again, for every
// later switch and rollback (tester AC): the failures of the units that
// fail by her doing (Before.AccountFails), when they are all the undo's
// failures, and the bound running out while the undo waits on the units
// that wait on her, which it does last, once root's own units are back
// (second reviewer: a timeout on hers left root's units unrestored, and
// unretried). A journal written before gocfg marked each unit has its
// system checkpoint's AsAccount alone: then every unit of it counts as
// hers, root's too, the way out of a machine such a journal wedged.
func (o *CheckpointOp) Undo(ctx context.Context, sys system.System) error {
	if o.Scope.System() {
		ctx = system.WatchAccountWaits(ctx, o.Watch, accounts.Ordinary(sys), userJobTimeout)
	}
	if o.Scope.System() && !o.AsAccount {
		hers, err := o.undo(ctx, sys)
		if hers {
			// Only a job queued behind hers (Watch).
			return fmt.Errorf("%w (%w)", err, platform.ErrAccountUnit)
		}
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, userJobTimeout)
	defer cancel()
	hers, err := o.undo(ctx, sys)
	switch {
	case err == nil:
		return nil
	case !errors.Is(ctx.Err(), context.DeadlineExceeded):
	case o.Scope.System():
		err = fmt.Errorf("the system manager did not finish within %v (a unit runs as an ordinary account, or waits for one that does, whose processes that account can stop): %w", userJobTimeout, err)
	default:
		return fmt.Errorf("the user manager of %s did not finish within %v: %w", o.Scope.User, userJobTimeout, err)
	}
	if hers && o.Scope.System() {
		return fmt.Errorf("%w (%w)", err, platform.ErrAccountUnit)
	}
	return err
}

// undo does Undo's work; hers says that what failed is the account's
// alone (see Undo).
func (o *CheckpointOp) undo(ctx context.Context, sys system.System) (hers bool, err error) {
	u, err := sys.Units(ctx, o.Scope)
	if err != nil {
		return false, err
	}
	defer u.Close()
	errs, done := o.restoreEnablement(ctx, u)
	if done || o.Offline {
		return false, errors.Join(errs...)
	}
	hers, err = o.restoreActive(ctx, u)
	if len(errs) > 0 {
		return false, errors.Join(append(errs, err)...)
	}
	return hers, err
}

// restoreEnablement puts back each unit's enablement and reloads the
// manager; done says that the rest cannot run (the manager did not answer,
// or did not reload).
func (o *CheckpointOp) restoreEnablement(ctx context.Context, u system.Units) (errs []error, done bool) {
	// The manager answers a loaded unit's UnitFileState from what it
	// read at its last reload: after a disable job (links removed) and
	// before the switch's daemon-reload it still says "enabled" (tester
	// BH: a switch killed there; its recovery, asking first, enabled
	// nothing, and the unit stayed disabled). Reloaded first, it reads
	// the links, and the unit files the later ops' undo put back.
	if err := u.DaemonReload(ctx); err != nil {
		return append(errs, err), true
	}
	for _, b := range o.Units {
		st, err := u.State(ctx, b.Name)
		if unanswered(err) {
			return append(errs, err), true
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		enabled := st.UnitFileState == "enabled"
		switch {
		case b.Enabled && !enabled:
			errs = appendErr(errs, u.Enable(ctx, []string{b.Name}))
		case !b.Enabled && enabled:
			errs = appendErr(errs, u.Disable(ctx, []string{b.Name}))
		case !b.Enabled && !b.Exists:
			// The switch's file is gone again, so the manager calls
			// the unit neither enabled nor disabled: remove the links
			// enabling it may have made. With no file and no link
			// left, the manager answers that there is no such unit
			// file, which is the state wanted.
			_ = u.Disable(ctx, []string{b.Name})
		}
	}
	if err := u.DaemonReload(ctx); err != nil {
		return append(errs, err), true
	}
	return errs, false
}

// restoreActive returns each unit to its previous active state: root's
// own units first, then those that wait on her; hers says that what
// failed is the account's alone.
func (o *CheckpointOp) restoreActive(ctx context.Context, u system.Units) (hers bool, err error) {
	var errs, theirs []error
	older := o.AsAccount && !slices.ContainsFunc(o.Units, func(b Before) bool { return b.AsAccount })
	units := slices.Clone(o.Units)
	sort.SliceStable(units, func(i, j int) bool { return !units[i].AsAccount && units[j].AsAccount })
	for i, b := range units {
		waits, fails := b.AsAccount || older, b.AccountFails || older
		st, err := u.State(ctx, b.Name)
		if err == nil {
			err = restoreUnit(ctx, u, b, st, waits)
		}
		if system.IsAccountWait(err) || errors.Is(err, errLeftQueued) {
			// Queued behind hers, through units of the machine's own.
			waits, fails = true, true
		}
		switch {
		case unanswered(err):
			// Say which units stay as the switch left them (tester
			// AD: a root unit after hers stayed stopped, unnamed).
			var left []string
			for _, l := range units[i:] {
				left = append(left, l.Name)
			}
			err = fmt.Errorf("%w; not returned to their state before the switch: %s", err, strings.Join(left, ", "))
			return waits && len(errs) == 0, errors.Join(append(append(errs, theirs...), err)...)
		case err != nil && fails:
			theirs = append(theirs, err)
		case err != nil:
			errs = append(errs, err)
		}
	}
	return len(errs) == 0 && len(theirs) > 0, errors.Join(append(errs, theirs...)...)
}

// errLeftQueued is a unit whose job, queued by the switch, was left
// queued when its wait ended: it is left to that job.
var errLeftQueued = errors.New("a job the switch queued on it is still queued (its wait ended: the bound, or an interrupt); left to that job, which restarts it with its previous file")

// restoreUnit returns unit b, whose state is st, to its previous active
// state; waits says that it may wait on an ordinary account's processes.
func restoreUnit(ctx context.Context, u system.Units, b Before, st system.UnitState, waits bool) error {
	var err error
	switch {
	case b.Active && st.JobQueued:
		// The switch's restart or reload, left queued when its wait
		// ended (the bound, or an interrupt), is still there: another
		// would merge with it and wait as long (reviewer: an endless
		// undo, and recovery after a kill). It restarts the unit, with
		// its previous file, when it runs.
		return fmt.Errorf("unit %s: %w", b.Name, errLeftQueued)
	case b.Active && isActive(st) && b.MainPID != 0 && st.MainPID == b.MainPID:
		// Never restarted: it runs the previous version, reloaded
		// again if the switch may have reloaded it.
		if b.Reload {
			err = u.Reload(ctx, b.Name)
		}
	case b.Active:
		// Restart: it may run the switch's version of the unit.
		err = u.Restart(ctx, b.Name)
	case isActive(st) || waits && st.LoadState != "":
		// A start of a unit that waits on her may still be queued, its
		// bound spent (second reviewer): stopping it cancels that job,
		// so that it does not start when she lets it.
		err = u.Stop(ctx, b.Name)
		if err != nil && !isActive(st) && !unanswered(err) {
			err = nil // nothing queued, or nothing to stop
		}
	}
	if err != nil || b.Active || b.Failed {
		return err
	}
	return resetFailed(ctx, u, b.Name)
}

// unanswered says that err is a manager's that did not answer in time:
// the undo stops there rather than wait again for every unit.
func unanswered(err error) bool {
	return errors.Is(err, system.ErrNoAnswer) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded)
}

// resetFailed clears the failed state of a unit that is failed (the
// manager refuses to reset a unit it has not loaded).
func resetFailed(ctx context.Context, u system.Units, name string) error {
	st, err := u.State(ctx, name)
	if err != nil {
		return err
	}
	if st.ActiveState != "failed" {
		return nil
	}
	return u.ResetFailed(ctx, name)
}

func appendErr(errs []error, err error) []error {
	if err != nil {
		return append(errs, err)
	}
	return errs
}

func isActive(st system.UnitState) bool {
	return st.ActiveState == "active" || st.ActiveState == "activating" || st.ActiveState == "reloading"
}

// The jobs a JobOp runs.
const (
	jobStop         = "stop"
	jobDaemonReload = "daemon-reload"
	jobDisable      = "disable"
	jobEnable       = "enable"
	jobStart        = "start"
	jobRestart      = "restart"
	jobReload       = "reload"
)

// JobOp runs one job on a manager: daemon-reload, enable, disable, start,
// stop, restart or reload. Its Undo does nothing: the scope's checkpoint
// restores the manager once the unit files are back.
type JobOp struct {
	Scope system.UnitScope `json:"scope"`
	Job   string           `json:"job"`
	Units []string         `json:"units,omitempty"`
	// Settle names the units (Type=simple) whose state is checked a
	// moment after the job, since their start job cannot report failure.
	Settle []string `json:"settle,omitempty"`
	// AsAccount: a system unit of the job runs as an ordinary account,
	// or waits for one that does (accountBound), whose processes she
	// can stop: the job is bounded as a user manager's is
	// (userJobTimeout).
	AsAccount bool `json:"as_account,omitempty"`
	// Watch names, for a job not AsAccount, the system units that run
	// as an ordinary account or wait for one that does (accountBound):
	// a job the manager queues behind one of theirs, through units of
	// the machine's own that accountBound does not read (tester AD), is
	// bounded all the same (system.WatchAccountWaits). So is one queued
	// behind a unit of the machine's own that runs as an ordinary
	// account (tester AF), which the manager is asked for (accounts.Ordinary),
	// whatever Watch names.
	Watch []string `json:"watch,omitempty"`
}

// Describe says what the op does.
func (o *JobOp) Describe() string {
	s := "systemctl"
	if !o.Scope.System() {
		s += " --user (" + o.Scope.User + ")"
	}
	return strings.TrimSpace(s + " " + o.Job + " " + strings.Join(o.Units, " "))
}

// Apply runs the job and waits for its result. A unit that fails to
// start says why: its state and the last lines of its journal.
//
// A user's manager is the user's (she can listen on its socket in its
// place and never answer): a job there is bounded by userJobTimeout, and
// its failure holds her home (cmd/gocfg/retry.go) instead of hanging
// root's switch, and the state lock.
//
// So is a job on the system manager for a unit that runs as an ordinary
// account (AsAccount, tester AA): she may stop its processes, and a
// oneshot's start has no timeout of its own; the job then fails after
// userJobTimeout, and the switch is undone, instead of holding the state
// lock for ever.
func (o *JobOp) Apply(ctx context.Context, sys system.System) error {
	bounded := !o.Scope.System() || o.AsAccount
	if bounded {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, userJobTimeout)
		defer cancel()
	} else {
		ctx = system.WatchAccountWaits(ctx, o.Watch, accounts.Ordinary(sys), userJobTimeout)
	}
	err := o.apply(ctx, sys)
	switch {
	case err == nil || !bounded || !errors.Is(ctx.Err(), context.DeadlineExceeded):
		return err
	case o.Scope.System():
		return fmt.Errorf("%s did not finish within %v (its unit runs as an ordinary account, or waits for one that does, whose processes that account can stop): %w", o.Describe(), userJobTimeout, err)
	}
	return fmt.Errorf("the user manager of %s did not finish within %v: %w", o.Scope.User, userJobTimeout, err)
}

// userJobTimeout bounds one job on a user's manager (JobOp.Apply).
var userJobTimeout = 5 * time.Minute

// SetJobTimeout replaces the bound on a job of a user's manager, or of a
// unit run as an ordinary account (5 minutes): only for the machine
// tests' builds (cmd/gocfg's gocfgtest hooks), which show a bound in
// seconds. Call it before anything runs.
func SetJobTimeout(d time.Duration) { userJobTimeout = d }

// JobTimeout is the bound on a job that waits on an ordinary account's
// processes (userJobTimeout), for the watch of every system job
// (system.Real.SetAccountWatch).
func JobTimeout() time.Duration { return userJobTimeout }

func (o *JobOp) apply(ctx context.Context, sys system.System) error {
	u, err := sys.Units(ctx, o.Scope)
	if err != nil {
		return err
	}
	defer u.Close()
	switch o.Job {
	case jobDaemonReload:
		return u.DaemonReload(ctx)
	case jobEnable:
		return u.Enable(ctx, o.Units)
	case jobDisable:
		return u.Disable(ctx, o.Units)
	}
	for _, name := range o.Units {
		var err error
		switch o.Job {
		case jobStart:
			err = u.Start(ctx, name)
		case jobStop:
			err = u.Stop(ctx, name)
		case jobRestart:
			err = u.Restart(ctx, name)
		case jobReload:
			err = u.Reload(ctx, name)
		default:
			return fmt.Errorf("unknown job %q", o.Job)
		}
		if err != nil {
			return unitFailure(ctx, u, name, err)
		}
	}
	if len(o.Settle) > 0 {
		return settled(ctx, u, o.Settle)
	}
	return nil
}

// settleTime is how long started units get to fail. A Type=simple
// service's start job is done as soon as its process is forked, so an
// ExecStart that cannot run (203/EXEC) or exits at once only shows in the
// unit's state a moment later.
const settleTime = 200 * time.Millisecond

// settled waits settleTime, then fails if a started unit failed.
func settled(ctx context.Context, u system.Units, names []string) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(settleTime):
	}
	for _, name := range names {
		st, err := u.State(ctx, name)
		if err != nil {
			return err
		}
		if st.ActiveState == "failed" {
			return unitFailure(ctx, u, name, fmt.Errorf("unit %s: failed right after it started", name))
		}
	}
	return nil
}

// unitFailure adds the unit's state and journal to a job's error.
func unitFailure(ctx context.Context, u system.Units, name string, err error) error {
	var b strings.Builder
	if st, e := u.State(ctx, name); e == nil {
		fmt.Fprintf(&b, "\n    %s is %s (%s)", name, st.ActiveState, st.SubState)
	}
	if j := strings.TrimSpace(u.Journal(ctx, name, 10)); j != "" {
		b.WriteString("\n    its journal ends with:\n      " + strings.ReplaceAll(j, "\n", "\n      "))
	}
	return fmt.Errorf("%w%s", err, b.String())
}

// Undo does nothing; see the checkpoint.
func (o *JobOp) Undo(context.Context, system.System) error { return nil }

// UndoChecksItself marks JobOp platform.SelfChecking: its Undo does
// nothing (the checkpoint before it undoes the jobs).
func (*JobOp) UndoChecksItself() {}

func scopeName(s system.UnitScope) string {
	if s.System() {
		return "system manager"
	}
	return "user manager of " + s.User
}
