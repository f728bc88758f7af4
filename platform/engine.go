package platform

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/internal/filestat"
	"github.com/gocfg/gocfg/platform/system"
)

// An Engine applies plans to the machine and records generations.
type Engine struct {
	Sys   system.System
	Store *generations.Store
	// Fault, when set, is called at every step boundary with its name
	// ("journal-written", "generation-written", "op-K" before op K counted
	// from 1, "applied", "flipped", "committed"). Tests use it to kill the
	// process there; production leaves it nil.
	Fault func(point string)
	// Progress, when set, is told after each op.
	Progress func(done, total int, op string)
	// RunHooks says whether on_change hooks run (not under --root).
	RunHooks bool
	// Boot names this boot of the machine (nil: system.BootID); tests
	// set it to recover as after a restart.
	Boot func() string
	// Version is this gocfg's version, written in each journal.
	Version string
	// BootTime is when this boot began (nil: system.BootTime); tests
	// set it to recover an older gocfg's journal as after a restart.
	BootTime func() time.Time
	// HookTimeout bounds each of root's on_change hooks, and all the
	// hooks of one other account in a switch together (0:
	// DefaultHookTimeout).
	HookTimeout time.Duration
}

// bootID is Boot's answer, else system.BootID's.
func (e *Engine) bootID() string {
	if e.Boot != nil {
		return e.Boot()
	}
	return system.BootID()
}

// bootTime is BootTime's answer, else system.BootTime's.
func (e *Engine) bootTime() time.Time {
	if e.BootTime != nil {
		return e.BootTime()
	}
	return system.BootTime()
}

// DefaultHookTimeout is how long one of root's on_change hooks, or all
// the hooks of one other account in a switch, may run before it is
// killed and reported as failed. A hook runs after the switch, while
// gocfg holds the state lock; one that never ends (a user's hook that
// its user stopped with kill -STOP, or that waits for input) would keep
// every later switch, rollback and gc of the machine out.
const DefaultHookTimeout = 5 * time.Minute

// A Switch is a plan to make generation To current.
type Switch struct {
	From, To int
	// Generation is written before anything is applied; nil when To
	// already exists (rollback).
	Generation *generations.NewGeneration
	Plan       *Plan
	// Command is "switch" or "rollback", for messages.
	Command string
}

// A Result says what a switch did.
type Result struct {
	Generation int
	Ops        int
	// Problems are failures after `current` flipped (a commit step or an
	// on_change hook): the switch stands, but the user should know.
	Problems []error
	// HooksPending counts the on_change hooks an interrupt after the
	// flip kept from running, left in the journal for the next command
	// that recovers (interruptedAfterFlip).
	HooksPending int
}

// An ApplyError is a switch that failed, or was interrupted, and was
// undone.
type ApplyError struct {
	Op, Total int    // the failed op, counted from 1, of Total (0: before the first)
	What      string // the op's description
	// ID is the resource the failed op belongs to (its Change's ID;
	// empty before the first op and for the flip): a switch whose op
	// failed in a user's home (HomeOf) may go on without that home.
	ID  string
	Err error
	// Ran: the failed op had done its work, and was undone with the
	// ones before it (its progress could not be recorded; tester BB:
	// "undid the 0 step(s) before it" after step 1 had run).
	Ran      bool
	From     int     // the generation that stays current (0: none)
	UndoErrs []error // ops that could not be undone
	// Left are the undo steps in users' homes that failed (*LeftError):
	// what the user put there since is left as it is, with what gocfg
	// moved aside kept beside it, and the undo goes on (DESIGN.md §7:
	// her home must not keep the journal, and every later command,
	// waiting).
	Left []error
	// Kept are the undo steps that left a file as it was edited after
	// gocfg wrote it, with the content from before the switch beside it
	// (ErrKept): nothing is lost and nothing waits, but the machine is
	// not all as it was, and the message says so.
	Kept []error
	// Interrupted: the context was cancelled (SIGINT, SIGTERM) and the
	// switch stopped between two steps. Op is then the step that did not
	// run (Total+1 when every step had: the flip did not), Op-1 steps
	// had run, and Err is the context's error.
	Interrupted bool
}

func (e *ApplyError) Error() string {
	var b strings.Builder
	if e.Interrupted {
		e.interrupted(&b)
		return b.String()
	}
	if e.Op == 0 {
		// Before the first op (opening the progress log).
		fmt.Fprintf(&b, "%s failed: %v; ", e.What, e.Err)
	} else {
		fmt.Fprintf(&b, "step %d of %d (%s) failed: %v; ", e.Op, e.Total, e.What, e.Err)
	}
	if len(e.UndoErrs) == 0 && e.Op == 0 {
		b.WriteString("nothing had run")
	} else if len(e.UndoErrs) == 0 && e.Ran {
		fmt.Fprintf(&b, "undid it and the %d step(s) before it", e.Op-1)
	} else if len(e.UndoErrs) == 0 {
		fmt.Fprintf(&b, "undid the %d step(s) before it", e.Op-1)
	} else {
		fmt.Fprintf(&b, "%d step(s) could not be undone: %v", len(e.UndoErrs), errors.Join(e.UndoErrs...))
	}
	if e.From > 0 {
		fmt.Fprintf(&b, "; generation %d stays current", e.From)
	} else {
		b.WriteString("; no generation became current")
	}
	writeLeft(&b, e.Left, e.Kept)
	return b.String()
}

// A LeftError is an undo step in a user's home (ID, HomeOf) that failed
// and was left: the home is not as it was before the switch, and gocfg
// says so instead of keeping the journal for a retry the user can keep
// failing.
type LeftError struct {
	ID  string
	Err error
}

func (e *LeftError) Error() string { return e.Err.Error() }
func (e *LeftError) Unwrap() error { return e.Err }

// maxLeftShown is how many left undo steps a message lists.
const maxLeftShown = 5

// writeLeft adds the undo steps left in users' homes, and the files
// kept as edited (ErrKept), to a message.
func writeLeft(b *strings.Builder, left, kept []error) {
	if len(left) > 0 {
		// Not "nothing was deleted": an undo that could not put back a
		// link the switch had removed leaves it removed (tester BG);
		// what it pointed at stays stored. The first few, then a count
		// (tester BG: 28 lines alike for one read-only home).
		shown := left
		if len(shown) > maxLeftShown {
			shown = shown[:maxLeftShown]
		}
		fmt.Fprintf(b, "; %d step(s) in users' homes, in folders other accounts may change or on units they run could not be undone and were left as they are (gocfg status shows what differs; the next switch makes it as the configuration says): %v", len(left), errors.Join(shown...))
		if more := len(left) - len(shown); more > 0 {
			fmt.Fprintf(b, "\n… and %d more", more)
		}
	}
	if len(kept) > 0 {
		// Each says why, without ErrKept's own word (tester BA: "kept"
		// three times in one line).
		whys := make([]string, len(kept))
		for i, k := range kept {
			whys[i] = strings.TrimSuffix(k.Error(), ": "+ErrKept.Error())
			if len(kept) > 1 {
				whys[i] = fmt.Sprintf("(%d) %s", i+1, whys[i])
			}
		}
		fmt.Fprintf(b, "; but %d file(s) were kept as they are: %s", len(kept), strings.Join(whys, " "))
	}
}

// ErrKept marks an op's undo that left its file as someone edited it
// after gocfg wrote it, and put what was there before the switch beside
// it: not a failure (nothing is lost; the journal is not kept for a
// retry), but the undo is not whole, and the message names the file
// (tester H: "the steps done were undone" while an edited copy stayed,
// its earlier content in a .gocfg-N~ file nothing named).
var ErrKept = errors.New("kept")

// interrupted writes the message of an interrupted switch: how many steps
// had run and were undone, and which generation is current.
func (e *ApplyError) interrupted(b *strings.Builder) {
	done := e.Op - 1
	switch {
	case len(e.UndoErrs) > 0:
		fmt.Fprintf(b, "interrupted after %d step(s); %d of them could not be undone: %v", done, len(e.UndoErrs), errors.Join(e.UndoErrs...))
	case done == 0:
		b.WriteString("interrupted before the first step: nothing was changed")
	default:
		fmt.Fprintf(b, "interrupted: the %d step(s) done were undone", done)
	}
	if e.From > 0 {
		fmt.Fprintf(b, "; generation %d is still current", e.From)
	} else {
		b.WriteString("; no generation is current")
	}
	writeLeft(b, e.Left, e.Kept)
}

func (e *ApplyError) Unwrap() error { return e.Err }

func (e *Engine) fault(point string) {
	if e.Fault != nil {
		e.Fault(point)
	}
}

// Switch writes the journal and the new generation, applies every op in
// order, flips `current` and commits. When an op fails the done ops are
// undone in reverse, the new generation is deleted, and an *ApplyError
// says which op failed. The caller holds the state lock.
//
// Cancelling ctx interrupts the switch between two steps, never inside
// one: the op in progress runs with a context that is not cancelled, so
// it finishes (a package install, a unit started and settled); before
// the flip, the ops done are then undone as for a failure, and the
// *ApplyError says Interrupted. Past the flip the switch stands: the
// commits run, a hook already started finishes, the hooks not yet
// started are left in the journal for the next command that recovers
// (Result.HooksPending), and Result.Problems says so.
func (e *Engine) Switch(ctx context.Context, sw Switch) (*Result, error) {
	ops, ids, hooks := e.steps(sw)
	j, err := e.journalOf(sw, ops, ids, hooks)
	if err != nil {
		return nil, err
	}
	jpath := e.Store.JournalPath()
	// The log is made before the journal, and before the generation is
	// written (which can take seconds): a switch killed meanwhile leaves
	// an empty log, which says no op ran (reviewer R26: her file deleted
	// since the plan came back), and a journal without its log can only
	// have been left by hand or by a damaged file system: recovery then
	// undoes every op (reviewer R29).
	log, err := openLog(e.Sys, jpath, len(ops), e.Store.Dir())
	if err != nil {
		return nil, &ApplyError{Op: 0, Total: len(ops), What: "open the journal log", Err: err, From: sw.From}
	}
	defer log.close()
	if err := writeJournal(e.Sys, jpath, j); err != nil {
		log.close()
		_ = e.Sys.Remove(logPath(jpath))
		return nil, fmt.Errorf("write journal: %w", err)
	}
	e.fault("journal-written")
	if sw.Generation != nil {
		if err := e.writeGeneration(sw, jpath, len(ops)); err != nil {
			return nil, err
		}
		e.fault("generation-written")
	}
	if len(ops) > 0 {
		// The journal, its log and the generation reach the disk before
		// any op runs: a power loss then leaves recovery its list (tester
		// BB), and a log that says which ops ran (journal.Synced).
		if err := e.Sys.Sync(e.Store.Dir()); err != nil {
			return nil, e.abort(ctx, sw, ops, ids, -1, &ApplyError{Op: 1, Total: len(ops), What: "sync the journal", Err: err, From: sw.From})
		}
	}
	// An interrupt is obeyed between steps: the step in progress, and
	// what it runs, must not be cut short by it; only its wait for a
	// systemd job ends (system.WithInterrupt).
	opCtx := system.WithInterrupt(context.WithoutCancel(ctx), ctx)
	for i, op := range ops {
		if e.Fault != nil {
			e.fault(fmt.Sprintf("op-%d", i+1))
		}
		if err := ctx.Err(); err != nil {
			return nil, e.abort(ctx, sw, ops, ids, i-1, &ApplyError{Op: i + 1, Total: len(ops), What: op.Describe(), Err: err, From: sw.From, Interrupted: true})
		}
		if !j.Ops[i].Checked {
			// Its undo cannot tell whether it ran: the log says so for
			// certain, even after a power loss (Recover).
			if err := log.sync(); err != nil {
				return nil, e.abort(ctx, sw, ops, ids, i-1, &ApplyError{Op: i + 1, Total: len(ops), What: op.Describe(), Err: fmt.Errorf("make the progress log durable before it: %w", err), From: sw.From})
			}
		}
		if err := op.Apply(opCtx, e.Sys); err != nil {
			last := i
			if errors.Is(err, ErrUnchanged) {
				last = i - 1
			}
			return nil, e.abort(ctx, sw, ops, ids, last, &ApplyError{Op: i + 1, Total: len(ops), What: op.Describe(), ID: ids[i], Err: err, From: sw.From})
		}
		if err := log.done(i); err != nil {
			// The log is kept: short of this line, it still has recovery
			// undo this op (the one after the last done); torn, it is
			// not believed (readLog), and its whole lines are all that
			// is taken from it after a restart (journal.Synced).
			// The error names the log as the machine has it (reviewer:
			// under --root, the tree's path and the machine's side by
			// side).
			return nil, e.abort(ctx, sw, ops, ids, i, &ApplyError{Op: i + 1, Total: len(ops), What: op.Describe(),
				Err: fmt.Errorf("it ran, but its progress could not be recorded: %w", err), Ran: true, From: sw.From})
		}
		if e.Progress != nil {
			e.Progress(i+1, len(ops), op.Describe())
		}
	}
	e.fault("applied")
	// Interrupted during the last step: undone too, as nothing is
	// current yet.
	if err := ctx.Err(); err != nil {
		return nil, e.abort(ctx, sw, ops, ids, len(ops)-1, &ApplyError{Op: len(ops) + 1, Total: len(ops), What: fmt.Sprintf("make generation %d current", sw.To), Err: err, From: sw.From, Interrupted: true})
	}
	if len(ops) > 0 {
		// The links and files written in homes and /etc reach the disk
		// before the generation that names them becomes current.
		if err := e.Sys.Sync(e.Store.Dir()); err != nil {
			return nil, e.abort(ctx, sw, ops, ids, len(ops)-1, &ApplyError{Op: len(ops), Total: len(ops), What: "sync", Err: err, From: sw.From})
		}
	}
	if err := e.Store.Flip(sw.To); err != nil {
		return nil, e.abort(ctx, sw, ops, ids, len(ops)-1, &ApplyError{Op: len(ops), Total: len(ops), What: fmt.Sprintf("make generation %d current", sw.To), Err: err, From: sw.From})
	}
	// Past the flip the switch stands: recovery finishes it from current
	// alone (To differs from From), so a missing "flipped" only needs
	// telling, as the disk is likely full.
	logErr := log.mark("flipped")
	if logErr == nil && hasEarlyFlip(ops) {
		// Only "flipped" tells this flip from the FlipOp's: after a
		// power loss, recovery would otherwise undo the whole switch.
		logErr = log.sync()
	}
	e.fault("flipped")
	res := &Result{Generation: sw.To, Ops: len(ops)}
	if logErr != nil {
		// Said to need nothing (tester BB: a warning alone, with exit
		// status 0, left the user wondering).
		res.Problems = append(res.Problems, fmt.Errorf("record the flip in the progress log (the switch is complete, and this needs nothing done): %w", logErr))
	}
	problems, notRun := e.finish(ctx, ops, hooks)
	res.Problems = append(res.Problems, problems...)
	if ctx.Err() != nil {
		res.Problems = append([]error{e.interruptedAfterFlip(sw, j, jpath, notRun, logErr, res)}, res.Problems...)
	}
	e.fault("committed")
	if res.HooksPending > 0 {
		return res, nil
	}
	if err := removeJournal(e.Sys, jpath); err != nil {
		res.Problems = append(res.Problems, err)
	}
	return res, nil
}

// interruptedAfterFlip is the problem of a switch interrupted after its
// generation became current. The on_change hooks the interrupt kept from
// starting (notRun) stay in the journal, which is kept: the next command
// that recovers (switch, rollback, generations gc or delete) finishes the
// switch and runs them, as it does after a kill there (tester BI: after
// a Ctrl-C, or a closed SSH session's SIGHUP, they were dropped for
// good, the journal removed, status "No drift", and a service never
// reloaded its changed file). Only when the log recorded the flip:
// without it, a journal kept could be taken for a switch to undo.
func (e *Engine) interruptedAfterFlip(sw Switch, j *journal, jpath string, notRun []Hook, logErr error, res *Result) error {
	stands := fmt.Sprintf("interrupted after generation %d became current: the %s stands", sw.To, sw.Command)
	if len(notRun) == 0 {
		return errors.New(stands)
	}
	ids := make([]string, len(notRun))
	for i, h := range notRun {
		ids[i] = h.ID
	}
	if logErr != nil {
		return fmt.Errorf("%s, but the on_change of %s did not run", stands, strings.Join(ids, ", "))
	}
	j.Hooks = notRun
	if err := writeJournal(e.Sys, jpath, j); err != nil {
		return fmt.Errorf("%s, but the on_change of %s did not run, and could not be left for the next command: %w", stands, strings.Join(ids, ", "), err)
	}
	res.HooksPending = len(notRun)
	return fmt.Errorf("%s, but the on_change of %s did not run: the next gocfg command that changes the machine (switch, rollback, generations gc or delete) runs it", stands, strings.Join(ids, ", "))
}

// steps are the ops of sw's plan in order, with the ID of each one's
// change (a FlipOp, "current", before the first AfterFlip change's), and
// the plan's hooks.
func (e *Engine) steps(sw Switch) (ops []Op, ids []string, hooks []Hook) {
	n := 1 // and a FlipOp, maybe
	for i := range sw.Plan.Changes {
		n += len(sw.Plan.Changes[i].Ops)
	}
	ops, ids = make([]Op, 0, n), make([]string, 0, n)
	flipped := false
	for _, c := range sw.Plan.Changes {
		if c.AfterFlip && len(c.Ops) > 0 && !flipped {
			// What follows must see the new generation (Change.AfterFlip).
			ops = append(ops, &FlipOp{State: e.Store.Dir(), From: sw.From, To: sw.To})
			ids = append(ids, "current")
			flipped = true
		}
		for _, op := range c.Ops {
			ops = append(ops, op)
			ids = append(ids, c.ID)
		}
		hooks = append(hooks, c.Hooks...)
	}
	return ops, ids, hooks
}

// journalOf is the journal of sw, which runs ops (of the changes ids)
// and hooks.
func (e *Engine) journalOf(sw Switch, ops []Op, ids []string, hooks []Hook) (*journal, error) {
	j := &journal{From: sw.From, To: sw.To, Created: sw.Generation != nil, Command: sw.Command, Hooks: hooks, Boot: e.bootID(), Synced: true, Version: e.Version}
	if len(ops) > 0 {
		// (Without ops, Ops stays nil: the journal says "ops":null, as it did.)
		j.Ops = make([]encodedOp, 0, len(ops))
	}
	for i, op := range ops {
		enc, err := encodeOp(ids[i], op)
		if err != nil {
			return nil, err
		}
		// Whether the log is synced before it is this gocfg's to say,
		// and the journal's to remember: a later gocfg that recovers
		// it may know the op type otherwise (reviewer R29).
		_, enc.Checked = op.(SelfChecking)
		j.Ops = append(j.Ops, enc)
	}
	return j, nil
}

// writeGeneration writes sw's new generation, before any of its nops
// ops runs; on failure the journal at jpath goes.
func (e *Engine) writeGeneration(sw Switch, jpath string, nops int) error {
	err := e.Store.Write(*sw.Generation)
	if err == nil {
		return nil
	}
	_ = removeJournal(e.Sys, jpath)
	var ce *generations.ContentError
	if errors.As(err, &ce) {
		if _, home := HomeOf(ce.Resource); home {
			// What a home's account changed while the switch read it: a
			// failure of that home, which the switch may go on without
			// (cmd/gocfg's failedHomes), as for a step there. Nothing
			// has run.
			return &ApplyError{Total: nops, What: fmt.Sprintf("write generation %d", sw.To), ID: ce.Resource, Err: err, From: sw.From}
		}
	}
	return fmt.Errorf("write generation %d: %w", sw.To, err)
}

// finish commits every op and runs the hooks, after the flip. Once ctx
// is cancelled (an interrupt) the commits still run, a hook already
// started finishes, and the hooks not yet started are skipped: notRun.
func (e *Engine) finish(ctx context.Context, ops []Op, hooks []Hook) (problems []error, notRun []Hook) {
	run := context.WithoutCancel(ctx)
	for _, op := range ops {
		if err := commit(run, op, e.Sys); err != nil {
			problems = append(problems, fmt.Errorf("%s: %w", op.Describe(), err))
		}
	}
	if !e.RunHooks {
		return problems, nil
	}
	limit := e.HookTimeout
	if limit <= 0 {
		limit = DefaultHookTimeout
	}
	// The hooks of one account (a home's) share one hook timeout in a
	// switch: each runs in the user's home as the user, who can make it
	// slow, and a user may have many (tester Z's note: with 5 minutes
	// each, hers could hold root's switch and the state lock for as
	// long as she has hooks). Root's own hooks have a timeout each.
	spent := map[int]time.Duration{}
	for _, h := range hooks {
		if ctx.Err() != nil {
			notRun = append(notRun, h)
			continue
		}
		budget := limit
		if h.Home != "" {
			if budget -= spent[h.UID]; budget <= 0 {
				problems = append(problems, fmt.Errorf("%s: on_change not run: the hooks run in %s (uid %d) took %v in all, as long as one account's hooks may run in a switch", h.ID, h.Home, h.UID, limit))
				continue
			}
		}
		start := time.Now()
		err := e.runHook(ctx, h, budget)
		if h.Home != "" {
			spent[h.UID] += time.Since(start)
		}
		if err != nil {
			problems = append(problems, err)
		}
	}
	return problems, notRun
}

// runHook runs the on_change hook h for at most limit. A hook of
// another account (h.Home: a home's) is stopped by an interrupt of ctx
// too; root's own hooks (a service's reload) run to their end.
func (e *Engine) runHook(ctx context.Context, h Hook, limit time.Duration) error {
	base := context.WithoutCancel(ctx)
	if h.Home != "" {
		base = ctx
	}
	hctx, cancel := context.WithTimeout(base, limit)
	defer cancel()
	out, err := e.Sys.Run(hctx, system.Command{Path: "/bin/sh", Args: []string{"-c", h.Script}, Dir: h.Home, UID: h.UID, GID: h.GID, Env: e.hookEnv(h)})
	switch {
	case err == nil:
		return nil
	case errors.Is(hctx.Err(), context.DeadlineExceeded):
		return fmt.Errorf("%s: on_change: killed after %v, as long as it could run%s", h.ID, limit.Round(time.Millisecond), quoteOutput(out))
	case ctx.Err() != nil && h.Home != "":
		return fmt.Errorf("%s: on_change: killed: interrupted%s", h.ID, quoteOutput(out))
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		// Its output is quoted below, once, not as Run's error shows it.
		return fmt.Errorf("%s: on_change: %v%s", h.ID, exit, quoteOutput(out))
	}
	return fmt.Errorf("%s: on_change: %w%s", h.ID, err, quoteOutput(out))
}

// hookEnv is the whole environment of hook h: PATH; for a home's hook
// HOME, USER and LOGNAME, and XDG_RUNTIME_DIR when the user's runtime
// folder (/run/user/<uid>) is there, hers and 0700, so that `systemctl
// --user` works in it (reviewer R10: it failed). Nothing of gocfg's own
// environment (root's, under sudo) reaches it.
func (e *Engine) hookEnv(h Hook) []string {
	env := []string{"PATH=/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin"}
	if h.Home == "" {
		return env
	}
	env = append(env, "HOME="+h.Home)
	if h.User != "" {
		env = append(env, "USER="+h.User, "LOGNAME="+h.User)
	}
	uid := h.UID
	if uid < 0 {
		uid = os.Getuid()
	}
	run := "/run/user/" + strconv.Itoa(uid)
	if fi, err := e.Sys.Lstat(run); err == nil && fi.IsDir() && fi.Mode().Perm() == 0o700 {
		if owner, _ := filestat.Owner(fi); owner == uid {
			env = append(env, "XDG_RUNTIME_DIR="+run)
		}
	}
	return env
}

// hookOutputLines and hookOutputWidth bound what a failed hook's error
// shows of its output: its last lines, each cut at so many bytes.
const (
	hookOutputLines = 20
	hookOutputWidth = 200
)

// quoteOutput returns the last lines of a hook's output, each on a line
// of its own that starts with "    | ": the output of a user's hook is
// hers, and in root's error it must not pass for gocfg's own lines (a
// "gocfg: hint: run …" of her making). The writer escapes what a
// terminal would act on.
func quoteOutput(out []byte) string {
	var lines []string
	for l := range strings.SplitSeq(strings.TrimSpace(string(out)), "\n") {
		lines = append(lines, strings.TrimRight(l, " \t\r"))
	}
	if len(lines) == 1 && lines[0] == "" {
		return ""
	}
	var b strings.Builder
	if n := len(lines) - hookOutputLines; n > 0 {
		fmt.Fprintf(&b, "; its output's last %d lines (%d before them not shown):", hookOutputLines, n)
		lines = lines[n:]
	} else {
		b.WriteString("; its output:")
	}
	for _, l := range lines {
		b.WriteString("\n    | ")
		if len(l) > hookOutputWidth {
			cut := hookOutputWidth
			for cut > 0 && !utf8.RuneStart(l[cut]) {
				cut--
			}
			l = l[:cut] + "…"
		}
		b.WriteString(l)
	}
	return b.String()
}

// abort undoes ops[0..last] in reverse (last may have run partly), deletes
// the generation the switch wrote and the journal, and returns ae with the
// undo failures added.
func (e *Engine) abort(ctx context.Context, sw Switch, ops []Op, ids []string, last int, ae *ApplyError) error {
	// Undo must finish even when the switch was cancelled.
	ctx = context.WithoutCancel(ctx)
	ae.UndoErrs, ae.Left, ae.Kept = undo(ctx, e.Sys, ops, ids, last)
	if len(ae.UndoErrs) > 0 {
		// Keep the journal: the next command retries the undo.
		return ae
	}
	if sw.Generation != nil {
		if err := e.Store.Delete(sw.To); err != nil {
			ae.UndoErrs = append(ae.UndoErrs, err)
		}
	}
	if err := removeJournal(e.Sys, e.Store.JournalPath()); err != nil {
		ae.UndoErrs = append(ae.UndoErrs, err)
	}
	return ae
}

// othersFolder reports whether err is the refusal of a confined file
// operation: a folder on its way, which another account may change,
// became a link. The account can keep it so; an undo that meets it is
// left, as one in a user's home is, instead of keeping the journal and
// failing every later command (tester X: a system secret's link in a
// folder of a service's account).
func othersFolder(err error) bool {
	return errors.Is(err, system.ErrOutside) || errors.Is(err, system.ErrIsSymlink)
}

// ErrAccountUnit marks the failure of an undo on a system unit that runs
// as an ordinary account, or waits for one that does (platform/systemd's
// account-bound units): that account may make it fail at will, killing or
// stopping its processes. The step is left, as one in her home is,
// instead of keeping the journal: the retry would fail again, and every
// later switch and rollback on the machine with it (tester AC: a reload
// of her unit failed, then failed again in every recovery).
var ErrAccountUnit = errors.New("the unit runs as an ordinary account, or waits for one that does, and that account can make it fail")

// ErrNeedsKeys marks an undo that could not run for want of the keys
// the command was to be given (a secret's, under --root: the switch had
// them from --identity, and ops journal no key). It is never left, even
// in a user's home: the journal is kept for the command that has them
// (tester AX: a keyless gc finished the recovery of a --root --secrets
// switch with her home holding the new secret, and every later switch
// then held her as if she had changed it).
var ErrNeedsKeys = errors.New("it needs the keys the switch was given (--secrets --identity FILE)")

// undo undoes ops[0..last] in reverse. The failures of ops in a user's
// home (ids[i], HomeOf), in a folder another account may change
// (othersFolder), or of a unit an account can make fail (ErrAccountUnit)
// are left (*LeftError), the others returned in errs,
// which keep the journal for a retry; so is one that needs keys
// (ErrNeedsKeys).
func undo(ctx context.Context, sys system.System, ops []Op, ids []string, last int) (errs, left, kept []error) {
	if last >= len(ops) {
		last = len(ops) - 1
	}
	for i := last; i >= 0; i-- {
		err := ops[i].Undo(ctx, sys)
		if err == nil {
			continue
		}
		if errors.Is(err, ErrKept) {
			kept = append(kept, err)
			continue
		}
		err = fmt.Errorf("undo %s: %w", ops[i].Describe(), err)
		if _, home := HomeOf(ids[i]); !errors.Is(err, ErrNeedsKeys) && (home || othersFolder(err) || errors.Is(err, ErrAccountUnit)) {
			left = append(left, &LeftError{ID: ids[i], Err: err})
		} else {
			errs = append(errs, err)
		}
	}
	return errs, left, kept
}
