package main

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/gocfg/gocfg/internal/diagnostics"
	"github.com/gocfg/gocfg/platform"
	mach "github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/system"
	"github.com/spf13/cobra"
)

// secretsBootUnit is the unit that runs gocfg secrets activate at boot
// (modules/builtin/hcl/core/age.hcl).
const secretsBootUnit = "gocfg-secrets.service"

// secretsActivateOptions are the inputs of `gocfg secrets activate`.
type secretsActivateOptions struct {
	Env     *Env
	Machine machineFlags
}

// newSecretsActivateCmd is `gocfg secrets activate`, hidden: what the
// boot unit gocfg-secrets.service runs (modules/builtin/hcl/core/age.hcl)
// to write the current generation's secrets into /run/gocfg/secrets
// again after a reboot emptied it.
func newSecretsActivateCmd(env *Env, runF func(context.Context, *secretsActivateOptions) error) *cobra.Command {
	opts := &secretsActivateOptions{Env: env}
	cmd := &cobra.Command{
		Use:   "activate",
		Short: "Write the current generation's secrets in /run/gocfg/secrets (the boot unit runs it)",
		Long: `Decrypt the secrets the current generation records (age.secrets), from the
ciphertext stored in the generation and with the identity paths it recorded,
and write them in /run/gocfg/secrets, as the switch that made the generation
did. Nothing is done when they are there already, or while a switch runs
(it writes them itself). gocfg-secrets.service runs it at boot, before the
units that read the secrets.`,
		Hidden:      true,
		Args:        cobra.NoArgs,
		Annotations: sysAnnotations(sysReal),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runF(cmd.Context(), opts)
		},
	}
	opts.Machine.registerExisting(cmd)
	return cmd
}

// activatePlan plans the secrets of generation cur (applied) against
// themselves, best effort, with the users of hold held.
func activatePlan(ctx context.Context, m *machine, cur int, applied platform.Applied, hold map[string]string) (*platform.Plan, error) {
	var prov platform.Provider
	for _, f := range platform.Factories(m.os) {
		if f.Name == "secrets" && f.FromRecords != nil {
			var err error
			if prov, err = f.FromRecords(m.planned(cur, cur, mach.Switch{FailFast: true, BestEffort: true, Hold: hold}), applied[f.Name]); err != nil {
				return nil, err
			}
		}
	}
	if prov == nil {
		return nil, errors.New("this gocfg has no secrets provider")
	}
	plan, err := platform.MakePlan(ctx, applied, prov)
	if err != nil {
		return nil, providerError(err)
	}
	return plan, nil
}

// bootHookTimeout bounds each on_change hook the boot's recovery runs
// (runSecretsActivate).
const bootHookTimeout = 20 * time.Second

func runSecretsActivate(ctx context.Context, opts *secretsActivateOptions) error {
	env := opts.Env
	// At boot, before sysinit.target: a unit job it waited for would wait
	// for the boot (system.JobsQueued).
	ctx = system.JobsQueued(ctx, secretsBootUnit)
	m, err := openMachine(env, opts.Machine)
	if err != nil {
		return err
	}
	if m.rooted {
		// It decrypts nothing there (no key of the tree's), and said
		// the secrets were in place (tester AV).
		return withHints(errors.New("gocfg secrets activate writes the secrets of the machine it runs on, at its boot; under --root it has no key to decrypt with"),
			"the tree's own boot unit (gocfg-secrets.service) writes them with the tree's host key",
			"to write them into the tree now, with a key of this machine: gocfg switch --root DIR --secrets --identity FILE")
	}
	if pid := m.lockHolder(); pid > 0 {
		fmt.Fprintf(env.Stderr, "gocfg: a switch is under way (pid %d): it writes the secrets itself\n", pid)
		return nil
	}
	// The lock recovers an interrupted switch first, and one that stood
	// runs the on_change hooks it had left (an interrupt after the flip,
	// then a restart): here, before sysinit.target, a hook that waits for
	// a unit's job (systemctl restart) waits for the boot, which waits
	// for this unit. Bounded at bootHookTimeout each, not 5 minutes
	// (reviewer R34: the boot stalled); the units start with the new
	// files anyway, and what did not finish is in this unit's journal.
	m.engine.HookTimeout = bootHookTimeout
	u, err := m.lock(ctx)
	if err != nil {
		return err
	}
	defer u.Unlock()
	cur, applied, err := m.current()
	if err != nil {
		return err
	}
	if cur == 0 {
		fmt.Fprintln(env.Stderr, "gocfg: no current generation: no secrets to write")
		return nil
	}
	// A user's secrets that meet her file, fail to decrypt or fail a step
	// are held (left out), and the others written: her home fails only
	// hers (tester AU: nothing was written, the system's secrets
	// neither). Each hold plans and applies again without her.
	var hold map[string]string
	var plan *platform.Plan
	for {
		if plan, err = activatePlan(ctx, m, cur, applied, hold); err != nil {
			return err
		}
		if refused := slices.DeleteFunc(slices.Clone(plan.Conflicts), func(c platform.Conflict) bool { return c.Held }); len(refused) > 0 {
			return showPlan(env, plan, false, "gocfg cannot write the secrets:", nil)
		}
		if plan.Empty() {
			break
		}
		release := env.Interrupts.guard()
		res, err := m.engine.Switch(ctx, platform.Switch{From: cur, To: cur, Plan: plan, Command: "secrets activate"})
		release()
		if err == nil {
			for _, p := range res.Problems {
				fmt.Fprintf(env.Stderr, "gocfg: warning: %s\n", diagnostics.Escaped(fmt.Sprint(p)))
			}
			break
		}
		users, ok := failedHomes(err, false, hold)
		if !ok {
			return err
		}
		hold = holdUsers(env, hold, users, err, func(user string) string {
			return fmt.Sprintf("the secrets of ~%s are left out; writing the others again without them", user)
		})
	}
	held := 0
	for _, c := range plan.Conflicts {
		if c.Held {
			held++
			fmt.Fprintf(env.Stderr, "gocfg: warning: %s: %s; left out\n", diagnostics.Escaped(c.Path), diagnostics.Escaped(c.Problem))
		}
	}
	for _, u := range slices.Sorted(maps.Keys(hold)) {
		held++
		fmt.Fprintf(env.Stderr, "gocfg: warning: the secrets of ~%s were left out (a step on them failed: above)\n", u)
	}
	if plan.Empty() && held == 0 && len(plan.Warnings) == 0 {
		fmt.Fprintf(env.Stderr, "gocfg: the secrets of generation %d are in place\n", cur)
		return nil
	}
	// The secrets that do not decrypt were left out (Switch.BestEffort),
	// each with a warning: the unit fails, so that systemctl --failed
	// shows it, and the units ordered after it start with the others.
	for _, w := range plan.Warnings {
		fmt.Fprintf(env.Stderr, "gocfg: warning: %s\n", diagnostics.Escaped(w))
	}
	if len(plan.Warnings) > 0 || held > 0 {
		fmt.Fprintf(env.Stderr, "gocfg: wrote the secrets of generation %d that decrypt in /run/gocfg/secrets; see the warnings\n", cur)
		return exitCodeError(exitPartial)
	}
	fmt.Fprintf(env.Stderr, "gocfg: wrote the secrets of generation %d in /run/gocfg/secrets (%d changes)\n", cur, len(plan.Shown()))
	return nil
}
