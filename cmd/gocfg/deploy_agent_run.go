package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/gocfg/gocfg/deploy"
	"github.com/gocfg/gocfg/internal/diagnostics"
	"github.com/gocfg/gocfg/platform/system"
)

// confirmPoll is how often the agent looks for DIR/confirm.
const confirmPoll = 100 * time.Millisecond

// An agent switches a host to a deploy bundle, in-process with the code
// of gocfg switch --bundle, and reports through DIR/status.
type agent struct {
	opts *deployAgentOptions
	dir  string
	// env is the command's Env with its output going to DIR/log.
	env *Env
	// stop is closed on the first SIGINT or SIGTERM; signal names it.
	stop   chan struct{}
	mu     sync.Mutex
	signal string
	// pid and start are the agent's process and when it started, for
	// its status (--follow tells a dead agent by them).
	pid   int
	start uint64
}

// runAgent is the agent itself (deploy-agent DIR): it writes its output
// to DIR/log, switches to the bundle in DIR, and writes DIR/status: one
// of no-changes, failed, switched (no --confirm-timeout) or
// awaiting-confirm; then, awaiting, it waits for DIR/confirm and rolls
// back to the generation it switched from without it. Whatever happens,
// the last status it writes is a final one.
//
// SIGINT and SIGTERM are caught for its whole life: during the switch
// the first one stops it as it stops gocfg switch (the steps done are
// undone; past the flip the switch stands), and then, or while it
// awaits confirmation, it counts as no confirmation: it rolls back. A
// rollback under way is never cut short by another one.
func runAgent(ctx context.Context, opts *deployAgentOptions, dir string) error {
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return withHints(fmt.Errorf("%s: not a bundle's folder", dir), "send one first with gocfg deploy-agent --receive "+opts.Dir)
	}
	logf, err := os.OpenFile(filepath.Join(dir, deploy.AgentLogFile), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	defer logf.Close()
	env := *opts.Env
	env.Stdout, env.Stderr = logf, logf
	env.ColorOut, env.ColorErr, env.StderrTTY = false, false, false
	// The agent catches the signals itself (below), for the switch too.
	env.Interrupts = nil
	a := &agent{opts: opts, dir: dir, env: &env, stop: make(chan struct{})}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, interruptSignals...)
	defer signal.Stop(sigs)
	go func() {
		for s := range sigs {
			a.mu.Lock()
			first := a.signal == ""
			if first {
				a.signal = signalName(s)
			}
			a.mu.Unlock()
			if first {
				fmt.Fprintf(a.env.Stderr, "gocfg: interrupted (%s): stopping; a switch that stands is rolled back\n", signalName(s))
				close(a.stop)
				cancel()
			} else {
				fmt.Fprintf(a.env.Stderr, "gocfg: interrupted again (%s): still stopping; wait\n", signalName(s))
			}
		}
	}()

	a.pid = os.Getpid()
	a.start, _ = procStart(a.pid)
	// From is known before the switch: an agent that dies during it
	// leaves it in the status (tester T: "from 0").
	if err := writeAgentStatus(dir, agentStatus{State: deploy.StateRunning, From: a.current(), PID: a.pid, Start: a.start}); err != nil {
		return err
	}
	st := a.run(ctx)
	st.PID, st.Start, st.RollingBack = 0, 0, false
	// The log is complete before the final status is written, so
	// --follow, which reads the log to its end once it sees the status,
	// misses nothing.
	fmt.Fprintf(a.env.Stderr, "gocfg: deploy agent: %s\n", st.State)
	if err := writeAgentStatus(dir, st); err != nil {
		fmt.Fprintf(a.env.Stderr, "gocfg: error: write the status: %v\n", err)
		return err
	}
	if st.State == deploy.StateFailed || st.State == deploy.StateRolledBack {
		return exitCodeError(exitError)
	}
	return nil
}

// run switches, waits for confirmation when asked to and rolls back
// without it; it returns the final status.
func (a *agent) run(ctx context.Context) agentStatus {
	var res switchResult
	sw := newSwitchCmd(a.env, func(ctx context.Context, o *switchOptions) error {
		o.result = &res
		return runSwitch(ctx, o)
	})
	code, err := exitOf(ctx, sw, a.env, a.withRoot("--bundle", a.dir))
	st := agentStatus{From: res.from, To: res.to, Changes: res.changes}
	if !res.planned {
		st.From = a.current()
		st.To = st.From
	}
	switch {
	case res.to == res.from && (code == exitOK || code == exitPartial):
		st.State, st.Changes = deploy.StateNoChanges, 0
		if code == exitPartial {
			st.Error = "partial: some users' files or secrets were left as they are (see the log)"
		}
		return st
	case res.to == res.from:
		st.State = deploy.StateFailed
		st.Error = "the switch failed"
		if err != nil {
			st.Error = err.Error()
		}
		if s := a.interrupted(); s != "" && !res.planned {
			st.Error = "interrupted (" + s + ") before the switch: " + st.Error
		}
		return st
	}
	switch {
	case code == exitPartial:
		st.Error = "partial: some users' files or secrets were left as they are (see the log)"
	case code != exitOK && err != nil:
		// The switch stands, but not whole: an interrupt after the flip
		// left its on_change hooks for the next command (reviewer R34:
		// the agent said switched, and the deploy succeeded, while a
		// service had not reloaded).
		st.Error = err.Error()
	}
	timeout := a.opts.ConfirmTimeout
	if timeout == 0 {
		st.State = deploy.StateSwitched
		return st
	}
	st.State = deploy.StateAwaiting
	st.PID, st.Start = a.pid, a.start
	if err := writeAgentStatus(a.dir, st); err != nil {
		// Nobody can be told to confirm: roll back at once.
		fmt.Fprintf(a.env.Stderr, "gocfg: error: write the status: %v\n", err)
		return a.rollback(ctx, st, "its status could not be written: "+err.Error())
	}
	fmt.Fprintf(a.env.Stderr, "gocfg: generation %d is current; waiting %ds for the deploy to confirm it, else it is rolled back to generation %d\n", st.To, timeout, st.From)
	reason := a.await(time.Duration(timeout)*time.Second, fmt.Sprintf("not confirmed within %ds", timeout))
	if reason == "" {
		fmt.Fprintf(a.env.Stderr, "gocfg: confirmed: generation %d stands\n", st.To)
		st.State = deploy.StateSwitched
		return st
	}
	return a.rollback(ctx, st, reason)
}

// await waits up to d for DIR/confirm. It returns "" when the switch was
// confirmed, else why not (timeout, or the signal that stopped it);
// either way the confirmation file then says who came first, so a late
// --confirm fails.
func (a *agent) await(d time.Duration, timeout string) string {
	deadline := time.NewTimer(d)
	defer deadline.Stop()
	tick := time.NewTicker(confirmPoll)
	defer tick.Stop()
	reason := ""
	for reason == "" {
		switch a.decision() {
		case confirmedMark:
			return ""
		case refusedMark:
			return "refused by the deploy"
		}
		select {
		case <-tick.C:
		case <-deadline.C:
			reason = timeout
		case <-a.stop:
			reason = "interrupted (" + a.interrupted() + ") before it was confirmed"
		}
	}
	won, err := markConfirm(a.dir, expiredMark)
	if err != nil {
		fmt.Fprintf(a.env.Stderr, "gocfg: warning: %s\n", diagnostics.Escaped(err.Error()))
	}
	if !won && a.confirmed() {
		return ""
	}
	return reason
}

// confirmed reports whether DIR/confirm holds a confirmation.
func (a *agent) confirmed() bool { return a.decision() == confirmedMark }

// decision is what DIR/confirm holds ("" when there is none).
func (a *agent) decision() string {
	data, err := os.ReadFile(filepath.Join(a.dir, deploy.AgentConfirmFile))
	if err != nil {
		return ""
	}
	return string(data)
}

// rollback returns to st.From as gocfg rollback --to From does, if
// st.To is still current, and returns the final status. Where that
// rollback records a new generation of From's configuration (From's
// records no longer hold: an account it creates again gets another uid),
// the status's error says which generation is current.
func (a *agent) rollback(ctx context.Context, st agentStatus, reason string) agentStatus {
	// A rollback is never cut short: the signal that asked for it
	// cancelled ctx.
	ctx = context.WithoutCancel(ctx)
	fmt.Fprintf(a.env.Stderr, "gocfg: %s: rolling back to generation %d\n", reason, st.From)
	st.Error = reason
	if cur := a.current(); cur != st.To {
		st.State = deploy.StateFailed
		st.Error = fmt.Sprintf("%s, but generation %d is current now, not %d: not rolled back", reason, cur, st.To)
		fmt.Fprintf(a.env.Stderr, "gocfg: error: %s\n", st.Error)
		return st
	}
	if st.From == 0 {
		st.State = deploy.StateFailed
		st.Error = fmt.Sprintf("%s, but generation %d is the first one: there is no generation to roll back to", reason, st.To)
		fmt.Fprintf(a.env.Stderr, "gocfg: error: %s\n", st.Error)
		return st
	}
	// Said in the status first: an agent that dies during the rollback
	// was not awaiting a confirmation any more (tester T).
	st.RollingBack, st.PID, st.Start = true, a.pid, a.start
	if err := writeAgentStatus(a.dir, st); err != nil {
		fmt.Fprintf(a.env.Stderr, "gocfg: warning: write the status: %s\n", diagnostics.Escaped(err.Error()))
	}
	code, err := retryUnchanged(func() (int, error) {
		rb := newRollbackCmd(a.env, runRollback)
		return exitOf(ctx, rb, a.env, a.withRoot("--to", strconv.Itoa(st.From)))
	}, func() bool { return a.current() == st.To }, func(err error, wait time.Duration) {
		fmt.Fprintf(a.env.Stderr, "gocfg: the rollback changed nothing: trying again in %v\n", wait)
	}, time.Sleep, time.Now)
	if err != nil && code != exitPartial {
		st.State = deploy.StateFailed
		st.Error = fmt.Sprintf("%s, and the rollback to generation %d failed: %v", reason, st.From, err)
		return st
	}
	cur := a.current()
	if code == exitPartial && cur == st.To {
		// Held: nothing but a user's held files differed, and the
		// rollback recorded nothing (tester AF: the status said rolled
		// back, and the generation left current was marked refused).
		st.State = deploy.StateFailed
		st.Error = fmt.Sprintf("%s, but generation %d stays current: it differs from generation %d only in users' files and secrets that are held (see the log)", reason, st.To, st.From)
		return st
	}
	st.State = deploy.StateRolledBack
	a.refuse(st.To, reason)
	switch {
	case code == exitPartial:
		// A rollback that held a user's home (her edit of a file
		// gocfg manages: tester AE) records a new generation of
		// From's configuration, with that home as it was.
		st.Error = fmt.Sprintf("%s; generation %d's configuration is current again as generation %d; partial: some users' files or secrets were left as they are (see the log)", reason, st.From, cur)
	case cur != 0 && cur != st.From:
		// A rollback whose target's records no longer held (an account
		// created again with another uid), or whose target kept all
		// users' secrets in one root, recorded a new generation of
		// From's configuration instead of making From current.
		st.Error = fmt.Sprintf("%s; generation %d's configuration is current again as generation %d, a new record of it (its records no longer held, or it kept all users' secrets together: the log says which)", reason, st.From, cur)
	}
	return st
}

// refuse marks generation n, which the rollback returned from, refused
// (generations.Store.Refuse), so that a later plain gocfg rollback, or
// gocfg deploy --rollback, does not return to what cut the host off. A
// marker that cannot be written is a warning: the rollback stands.
func (a *agent) refuse(n int, reason string) {
	m, err := openMachine(a.env, a.opts.Machine)
	if err == nil {
		err = m.store.Refuse(n, "rolled back by gocfg deploy: "+reason, a.env.Now())
	}
	if err != nil {
		fmt.Fprintf(a.env.Stderr, "gocfg: warning: generation %d: marking it refused: %s\n", n, diagnostics.Escaped(err.Error()))
	}
}

// current is the current generation (0 when none, or unreadable).
func (a *agent) current() int {
	m, err := openMachine(a.env, a.opts.Machine)
	if err != nil {
		return 0
	}
	n, err := m.store.Current()
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintf(a.env.Stderr, "gocfg: warning: the current generation: %v\n", err)
	}
	return n
}

// interrupted names the signal that stopped the agent ("" if none).
func (a *agent) interrupted() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.signal
}

// withRoot is args with the agent's --root and --backup-ext, if any.
func (a *agent) withRoot(args ...string) []string {
	if a.opts.Machine.Root != "" {
		args = append(args, "--root", a.opts.Machine.Root)
	}
	if a.opts.BackupExt != "" {
		args = append(args, "--backup-ext", a.opts.BackupExt)
	}
	return args
}

// rollbackRetryFor and rollbackRetryEvery: a rollback of the agent's
// that failed for want of room (ENOSPC, EDQUOT) or because another gocfg
// held the state, and left the switched generation current, is tried
// again every so often until so long after the first try began. Tester
// AP: another user filled the file system the state is on (its inodes,
// which root's reserve does not cover) while the agent awaited
// confirmation, and the rollback failed for good at its journal: the
// unconfirmed generation stayed current. Other failures are not tried
// again (reviewer R11: one a user's unit causes takes minutes each time
// and would fail again).
var (
	rollbackRetryFor   = 2 * time.Minute
	rollbackRetryEvery = 5 * time.Second
)

// retryUnchanged runs try until it succeeds (or is partial), fails in a
// way that waiting does not mend (passing), changes something
// (unchanged false), or rollbackRetryFor has passed since it began
// (now), telling each wait; it returns try's last result.
func retryUnchanged(try func() (int, error), unchanged func() bool, told func(error, time.Duration), sleep func(time.Duration), now func() time.Time) (int, error) {
	start := now()
	for {
		code, err := try()
		if err == nil || code == exitPartial || !passing(err) || !unchanged() || now().Sub(start) >= rollbackRetryFor {
			return code, err
		}
		told(err, rollbackRetryEvery)
		sleep(rollbackRetryEvery)
	}
}

// passing reports whether err may pass by waiting: a file system full,
// a quota reached, or the state held by another gocfg.
func passing(err error) bool {
	var le *system.LockedError
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) || errors.As(err, &le)
}
