package systemd

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/gocfg/gocfg/platform"
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
	// AsAccount: a system unit that runs as an ordinary account, or
	// waits for one that does (accountBound): its undo's failure is
	// hers to cause, and is left (platform.ErrAccountUnit).
	AsAccount bool `json:"as_account,omitempty"`
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
func (o *CheckpointOp) Undo(ctx context.Context, sys system.System) error {
	if o.Scope.System() && !o.AsAccount {
		return o.undo(ctx, sys)
	}
	ctx, cancel := context.WithTimeout(ctx, userJobTimeout)
	defer cancel()
	err := o.undo(ctx, sys)
	switch {
	case err == nil || !errors.Is(ctx.Err(), context.DeadlineExceeded):
		return err
	case o.Scope.System():
		return fmt.Errorf("the system manager did not finish within %v (a unit runs as an ordinary account, or waits for one that does, whose processes that account can stop): %w (%w)", userJobTimeout, err, platform.ErrAccountUnit)
	}
	return fmt.Errorf("the user manager of %s did not finish within %v: %w", o.Scope.User, userJobTimeout, err)
}

func (o *CheckpointOp) undo(ctx context.Context, sys system.System) error {
	u, err := sys.Units(ctx, o.Scope)
	if err != nil {
		return err
	}
	defer u.Close()
	// The failures of account-bound units' jobs (Before.AsAccount; in a
	// journal written before it was recorded, every unit of a checkpoint
	// with AsAccount) are left when they are all there is.
	var errs, theirs []error
	older := o.AsAccount && !slices.ContainsFunc(o.Units, func(b Before) bool { return b.AsAccount })
	for _, b := range o.Units {
		st, err := u.State(ctx, b.Name)
		if unanswered(err) {
			return errors.Join(append(errs, err)...)
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
		return errors.Join(append(errs, err)...)
	}
	if o.Offline {
		return errors.Join(errs...)
	}
	for _, b := range o.Units {
		st, err := u.State(ctx, b.Name)
		if unanswered(err) {
			return errors.Join(append(errs, err)...)
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		into := &errs
		if b.AsAccount || older {
			into = &theirs
		}
		switch {
		case b.Active && isActive(st) && b.MainPID != 0 && st.MainPID == b.MainPID:
			// Never restarted: it runs the previous version, reloaded
			// again if the switch may have reloaded it.
			if b.Reload {
				*into = appendErr(*into, u.Reload(ctx, b.Name))
			}
		case b.Active:
			// Restart: it may run the switch's version of the unit.
			*into = appendErr(*into, u.Restart(ctx, b.Name))
		case isActive(st):
			*into = appendErr(*into, u.Stop(ctx, b.Name))
		}
		if !b.Active && !b.Failed {
			*into = appendErr(*into, resetFailed(ctx, u, b.Name))
		}
	}
	if len(errs) == 0 && len(theirs) > 0 {
		return fmt.Errorf("%w (%w)", errors.Join(theirs...), platform.ErrAccountUnit)
	}
	return errors.Join(append(errs, theirs...)...)
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
	b.WriteString(err.Error())
	if st, e := u.State(ctx, name); e == nil {
		fmt.Fprintf(&b, "\n    %s is %s (%s)", name, st.ActiveState, st.SubState)
	}
	if j := strings.TrimSpace(u.Journal(ctx, name, 10)); j != "" {
		b.WriteString("\n    its journal ends with:\n      " + strings.ReplaceAll(j, "\n", "\n      "))
	}
	return errors.New(b.String())
}

// Undo does nothing; see the checkpoint.
func (o *JobOp) Undo(context.Context, system.System) error { return nil }

func scopeName(s system.UnitScope) string {
	if s.System() {
		return "system manager"
	}
	return "user manager of " + s.User
}
