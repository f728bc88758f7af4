package main

import (
	"context"
	"fmt"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/internal/buildinfo"
	"github.com/gocfg/gocfg/internal/diagnostics"
	"github.com/gocfg/gocfg/platform"
	"github.com/spf13/cobra"
)

// switchOptions are the inputs of `gocfg switch`.
type switchOptions struct {
	Env    *Env
	Apply  applyFlags
	DryRun bool
	// result, when set (the deploy agent), receives what the switch did.
	result *switchResult
}

// switchResult is what a switch did, for the deploy agent's status: the
// current generation before and after, and the plan's changes. planned
// says the plan was made (From is known).
type switchResult struct {
	planned  bool
	from, to int
	changes  int
}

func newSwitchCmd(env *Env, runF func(context.Context, *switchOptions) error) *cobra.Command {
	opts := &switchOptions{Env: env}
	cmd := &cobra.Command{
		Use: "switch",
		// What chezmoi and Terraform (apply), nixos-rebuild and
		// darwin-rebuild (rebuild) call it: gocfg apply suggests switch.
		SuggestFor: []string{"apply", "rebuild", "activate"},
		Short:      "Make the machine match the configuration and record a generation",
		Long: `Evaluate the configuration, show the plan (as gocfg plan does), apply it and
record it as the next generation. The generation is written before anything
is applied and becomes current only when every step succeeded; if a step
fails, the steps already done are undone and the previous generation stays
current. A step that fails in a user's home (something she put in the way
after the plan, a user manager that stops answering) fails only her home:
the switch is undone, planned again with her files, secrets and user units
(launch agents and preferences on macOS) left as they are, and applied without them (exit status 3; with --fail-fast
it fails instead). A switch that was killed is finished or undone by the next gocfg
command that takes the state lock. A plan with no changes records no
generation.

Ctrl-C (SIGINT), SIGTERM or SIGHUP (the terminal or the SSH session went
away) while the steps are applied finishes the step in progress (a step
waiting for a systemd job stops waiting: a start or stop is cancelled, a
restart or reload left queued), undoes the steps done and leaves the
previous generation current;
gocfg then exits with status 1 and says so. Another signal does not cut the
undo short (SIGKILL does: the next gocfg command finishes the undo). Once the
new generation is current an interrupt undoes nothing: the switch stands; the
on_change hooks not yet started are left for the next gocfg command that
changes the machine, which runs them, and gocfg exits with status 1. While gocfg
evaluates and plans, a signal ends it at once: nothing has changed yet. A
reader of its output that goes away (gocfg switch | head) does not stop
the steps.

Unmanaged files in the way stop the switch before anything changes, unless
--backup-ext EXT moves them to <path>.EXT or the file sets force = true.

With --root DIR every managed path, and the state folder, is relocated under
DIR: for building an image or trying gocfg safely. --dry-run prints the plan
and writes nothing at all.

gocfg deploy runs gocfg switch --bundle DIR on each host (in its deploy
agent): the configuration evaluated on the deploying machine, and the files
it reads, come from the bundle it sent to DIR; --config and --host do not
apply, and the generation records the bundle's host and commit, made by
deploy.` + partialExitCodesHelp,
		Args:        cobra.NoArgs,
		Annotations: sysAnnotations(sysReal),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runF(cmd.Context(), opts)
		},
	}
	registerApplyFlags(cmd, &opts.Apply)
	cmd.Flags().BoolVarP(&opts.DryRun, "dry-run", "n", false, "print the plan and change nothing, not even the state folder")
	return cmd
}

func runSwitch(ctx context.Context, opts *switchOptions) error {
	env := opts.Env
	p, err := prepare(ctx, env, &opts.Apply, !opts.DryRun)
	if err != nil {
		return err
	}
	if p.unlock != nil {
		defer p.unlock.Unlock()
	}
	if !opts.DryRun && !p.plan.Empty() {
		p.startGit() // a generation is recorded (unless the plan is refused)
	}
	if r := opts.result; r != nil {
		sum := p.plan.Summary()
		r.planned, r.from, r.to, r.changes = true, p.current, p.current, sum.Add+sum.Change+sum.Remove
	}
	// With --json the plan and the result are one document, printed at the
	// end (or the plan alone when nothing is applied).
	jsonNow := opts.Apply.JSON && (opts.DryRun || p.plan.Empty() || len(p.plan.Conflicts) > 0)
	if !opts.Apply.JSON || jsonNow {
		if err := showPlan(env, p.plan, opts.Apply.JSON, "gocfg will make these changes:", p.locate); err != nil {
			return err
		}
	}
	if opts.DryRun {
		if !opts.Apply.JSON {
			fmt.Fprintln(env.Stderr, "gocfg: dry run: nothing was changed")
		}
		return partial(env, p.plan, "the plan is partial")
	}
	if p.plan.Empty() {
		// No generation is written: keep what the plan found of the
		// folders of links for the next (platform/files/settled.go).
		p.m.store.SaveSettled()
		return partial(env, p.plan, "the switch is partial")
	}
	for {
		err := recordSwitch(ctx, env, p, opts)
		if err == nil {
			break
		}
		users, ok := failedHomes(err, opts.Apply.FailFast, p.hold)
		if !ok {
			return err
		}
		before := p.plan
		if err := p.holdHomes(ctx, env, users, err); err != nil {
			return err
		}
		if !opts.Apply.JSON {
			if err := showReplan(env, before, p.plan, users); err != nil {
				return err
			}
		}
		if r := opts.result; r != nil {
			sum := p.plan.Summary()
			r.changes = sum.Add + sum.Change + sum.Remove
		}
		if p.plan.Empty() {
			// Nothing but the held homes differed: nothing was applied
			// (tester BB: "the switch is partial" read as if the rest
			// had been).
			p.m.store.SaveSettled()
			return partial(env, p.plan, fmt.Sprintf("the switch is partial: nothing else differs, so %s", staysCurrent(p.current)))
		}
	}
	if opts.result != nil {
		opts.result.to = p.next
	}
	autoGC(env, p)
	return partial(env, p.plan, "the switch is partial")
}

// recordSwitch writes the plan's generation and applies it.
func recordSwitch(ctx context.Context, env *Env, p *prepared, opts *switchOptions) error {
	meta := generations.Meta{
		Number: p.next, Time: env.Now().UTC(), Version: buildinfo.Version(), Host: p.host,
		Source: p.source, Summary: p.plan.Summary(), Command: "switch", OS: p.m.os, Held: heldUsers(p.plan),
	}
	if p.deployed {
		meta.Command = "deploy"
	}
	resources, err := p.plan.EncodeRecords() // while git runs
	if err != nil {
		return err
	}
	git := p.gitState()
	meta.Commit, meta.Dirty = git.commit, git.dirty
	if meta.Dirty && p.deployed {
		fmt.Fprintf(env.Stderr, "gocfg: warning: the deployed repository had uncommitted changes; generation %d records commit %s plus them\n", p.next, shortCommit(meta.Commit))
	} else if meta.Dirty {
		fmt.Fprintf(env.Stderr, "gocfg: warning: %s has uncommitted changes; generation %d records commit %s plus them\n", relPath(env.WorkDir, p.source), p.next, shortCommit(meta.Commit))
	}
	gen := &generations.NewGeneration{Meta: meta, Config: p.config, Resources: resources, Files: p.plan.Contents(), Areas: p.plan.Areas}
	return apply(ctx, env, p.m, platform.Switch{From: p.current, To: p.next, Generation: gen, Plan: p.plan, Command: "switch"}, opts.Apply.JSON)
}

// switchJSON is the result of `switch --json` and `rollback --json`.
type switchJSON struct {
	platform.PlanJSON
	Generation int      `json:"generation"`
	Problems   []string `json:"problems"`
}

// apply runs a switch with progress on stderr and reports the result.
func apply(ctx context.Context, env *Env, m *machine, sw platform.Switch, asJSON bool) error {
	if env.StderrTTY {
		m.engine.Progress = func(done, total int, _ string) {
			if done == total || done%100 == 0 {
				fmt.Fprintf(env.Stderr, "\rgocfg: applying %d/%d", done, total)
				if done == total {
					fmt.Fprintln(env.Stderr)
				}
			}
		}
	}
	release := env.Interrupts.guard()
	res, err := m.engine.Switch(ctx, sw)
	release()
	if err != nil {
		if ae, ok := err.(*platform.ApplyError); ok && len(ae.UndoErrs) > 0 {
			return withHints(err, "the journal "+m.store.JournalPath()+" is kept; the next gocfg switch retries the undo")
		}
		return err
	}
	if sw.Plan != nil && sw.Plan.Areas != nil {
		// Each store area readable by the uid its user has now, and the
		// areas no current link uses by root alone (a uid reused).
		if err := m.store.ProtectAreas(sw.Plan.Areas, m.uidsNow()); err != nil {
			res.Problems = append(res.Problems, fmt.Errorf("the store's areas: %w", err))
		}
	}
	for _, p := range res.Problems {
		fmt.Fprintf(env.Stderr, "gocfg: warning: %s\n", diagnostics.Escaped(fmt.Sprint(p)))
	}
	// Interrupted after the flip, with on_change hooks left for the next
	// command (platform.Result.HooksPending): the warning said so; the
	// exit status says that the switch is not whole yet.
	var pending error
	if res.HooksPending > 0 {
		pending = reportedError{fmt.Errorf("%d on_change hook(s) left for the next command", res.HooksPending)}
	}
	if asJSON {
		out := switchJSON{PlanJSON: platform.NewPlanJSON(sw.Plan), Generation: res.Generation, Problems: []string{}}
		for _, p := range res.Problems {
			out.Problems = append(out.Problems, p.Error())
		}
		if err := platform.WriteJSON(env.Stdout, out); err != nil {
			return err
		}
		return pending
	}
	fmt.Fprintf(env.Stdout, "\nGeneration %d is current.\n", res.Generation)
	return pending
}

func shortCommit(c string) string {
	if c == "" {
		return "(none)"
	}
	if len(c) > 12 {
		return c[:12]
	}
	return c
}

// staysCurrent says that no generation was recorded, and which one stays
// current (none before the first switch).
func staysCurrent(cur int) string {
	if cur == 0 {
		return "no generation was recorded"
	}
	return fmt.Sprintf("no generation was recorded and generation %d stays current", cur)
}
