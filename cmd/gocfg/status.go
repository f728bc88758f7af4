package main

import (
	"context"
	"fmt"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/files"
	mach "github.com/gocfg/gocfg/platform/machine"
	"github.com/spf13/cobra"
)

// statusOptions are the inputs of `gocfg status`.
type statusOptions struct {
	Env              *Env
	Machine          machineFlags
	JSON             bool
	DetailedExitcode bool
}

func newStatusCmd(env *Env, runF func(context.Context, *statusOptions) error) *cobra.Command {
	opts := &statusOptions{Env: env}
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show drift between the current generation and the live machine",
		Long: `Compare what the current generation applied with the live machine, without
evaluating the configuration: managed links that were removed or repointed,
copies edited by hand, folders in the way, and stored contents that changed
anyway. Each line is what gocfg switch (or rollback) would do to put it
back. Nothing is written. Between a switch that was killed and the next
gocfg switch, the differences its finished steps made are said to be its
own, not a hand's. A live link (method = "live") whose source in the
dotfiles repository is gone is no drift, but is warned about.

A damaged resources.json in the current generation (empty, truncated, not
JSON) is an error naming the file: gocfg never takes it for a generation
that manages nothing.` + exitCodesHelp + `
  2  with --detailed-exitcode: there is drift`,
		Args:        cobra.NoArgs,
		Annotations: sysAnnotations(sysReadOnly),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runF(cmd.Context(), opts)
		},
	}
	opts.Machine.registerExisting(cmd)
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the drift as JSON")
	cmd.Flags().BoolVar(&opts.DetailedExitcode, "detailed-exitcode", false, "exit with 2 when there is drift")
	return cmd
}

func runStatus(ctx context.Context, opts *statusOptions) error {
	env := opts.Env
	m, unlock, err := openLockOrWarn(ctx, env, opts.Machine, false)
	if err != nil {
		return err
	}
	defer unlock()
	m.reserveForCurrent()
	cur, applied, err := m.current()
	if err != nil {
		return err
	}
	if cur == 0 {
		if opts.JSON {
			// Generation 0: none yet, and so no drift.
			return writeStatusJSON(env, 0, &platform.Plan{})
		}
		where := "on this machine"
		if m.rootDir != "" {
			where = "in the tree under " + m.rootDir
		}
		if in, err := m.engine.Interrupted(); err == nil && in != nil {
			// Tester BJ: after init --apply killed once its steps had
			// run, "gocfg manages nothing" was said of a machine with
			// its links and files in place.
			switch {
			case m.lockHolder() > 0:
				fmt.Fprintf(env.Stdout, "No generation yet: the %s to generation %d is under way %s (state folder %s).\n",
					in.Command, in.To, where, m.hostPath(m.store.Dir()))
			default:
				// "may have": its log may say nothing (not believed,
				// after a restart), or that no step ran.
				fmt.Fprintf(env.Stdout, "No generation yet, but the interrupted %s to generation %d may have changed the machine %s (state folder %s); %s, finishes or undoes it.\n",
					in.Command, in.To, where, m.hostPath(m.store.Dir()), recoverers)
			}
			return nil
		}
		fmt.Fprintf(env.Stdout, "No generation yet: gocfg manages nothing %s (state folder %s).\n", where, m.hostPath(m.store.Dir()))
		return nil
	}
	// The records come from resources.json: one that does not decode is
	// damaged, and drift against it would be made up.
	recs, err := files.DecodeRecords(applied["files"])
	if err != nil {
		return m.damagedCurrent(generations.Damaged(m.resourcesPath(cur), err), cur)
	}
	pm := m.planned(cur, cur, mach.Switch{ReportOnly: true})
	provs, err := platform.RecordProviders(pm, cur, applied)
	if err != nil {
		return m.damagedCurrent(generations.Damaged(m.resourcesPath(cur), err), cur)
	}
	plan, err := platform.MakePlan(ctx, applied, provs...)
	if err != nil {
		return providerError(err)
	}
	m.attributeToSwitch(plan)
	changed := files.Verify(pm, cur, recs)
	plan.Warnings = append(plan.Warnings, changed...)
	drift := !plan.Empty() || len(plan.Conflicts) > 0 || len(changed) > 0
	// No drift, but worth saying.
	plan.Warnings = append(plan.Warnings, files.MissingSources(pm, recs)...)
	if opts.JSON {
		if err := writeStatusJSON(env, cur, plan); err != nil {
			return err
		}
	} else {
		if err := writeStatus(env, cur, plan, drift); err != nil {
			return err
		}
	}
	if drift && opts.DetailedExitcode {
		return exitCodeError(exitChanges)
	}
	return nil
}

// writeStatusJSON is status --json: the current generation (0 when there
// is none yet) and the drift as plan --json shows changes.
func writeStatusJSON(env *Env, cur int, plan *platform.Plan) error {
	return platform.WriteJSON(env.Stdout, struct {
		Generation int `json:"generation"`
		platform.PlanJSON
	}{cur, platform.NewPlanJSON(plan)})
}

// writeStatus prints the drift of generation cur (drift: any, stored
// contents changed in place included, which come as warnings).
func writeStatus(env *Env, cur int, plan *platform.Plan, drift bool) error {
	w := env.Stdout
	if !drift {
		// Other warnings are no drift (--detailed-exitcode says 0 too).
		fmt.Fprintf(w, "No drift: the machine matches generation %d.\n", cur)
		for _, warn := range plan.Warnings {
			fmt.Fprintf(w, "warning: %s\n", warn)
		}
		return nil
	}
	fmt.Fprintf(w, "Generation %d is current. Drift since it was applied:\n\n", cur)
	v := platform.View{Out: w, Color: env.ColorOut}
	for _, c := range plan.Conflicts {
		fmt.Fprintf(w, "  ! %s  %s\n", platform.Printable(c.ID), platform.Printable(c.Problem))
		// What to do, as --json and the switch's warning say it
		// (tester AC: a lease's hint was only in --json).
		for _, r := range c.Remedies {
			fmt.Fprintf(w, "      hint: %s\n", platform.Printable(r.Text))
		}
	}
	if len(plan.Conflicts) > 0 && !plan.Empty() {
		fmt.Fprintln(w)
	}
	if !plan.Empty() {
		if err := v.Plan(&platform.Plan{Changes: plan.Changes}, "gocfg switch would put back:"); err != nil {
			return err
		}
	}
	for _, warn := range plan.Warnings {
		fmt.Fprintf(w, "warning: %s\n", warn)
	}
	return nil
}

// attributeToSwitch names, in the plan's drift, the switch under way or
// interrupted whose steps made a difference, rather than a hand.
func (m *machine) attributeToSwitch(plan *platform.Plan) {
	in, err := m.engine.Interrupted()
	if err != nil || in == nil {
		return // warnPending said so
	}
	if pid := m.lockHolder(); pid > 0 {
		in.Attribute(plan, fmt.Sprintf("changed by the %s under way (pid %d)", in.Command, pid))
		return
	}
	in.Attribute(plan, fmt.Sprintf("changed by the interrupted %s to generation %d; %s, undoes it", in.Command, in.To, recoverers))
}
