package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"

	"github.com/gocfg/gocfg/internal/diagnostics"
	"github.com/gocfg/gocfg/platform"
	mach "github.com/gocfg/gocfg/platform/machine"
	"github.com/spf13/cobra"
)

// rollbackOptions are the inputs of `gocfg rollback`.
type rollbackOptions struct {
	Env       *Env
	Machine   machineFlags
	To        int
	DryRun    bool
	JSON      bool
	BackupExt string
	// Secrets and Identities: with --root, the generation's secrets are
	// decrypted into the tree with these keys, as a switch's are.
	Secrets    bool
	Identities []string
}

func newRollbackCmd(env *Env, runF func(context.Context, *rollbackOptions) error) *cobra.Command {
	opts := &rollbackOptions{Env: env}
	cmd := &cobra.Command{
		Use:   "rollback",
		Short: "Make an earlier generation current again",
		Long: `Apply generation N (default: the newest one before the current one) from what
that generation recorded, without evaluating the configuration: its files
come from the generation's store, so the dotfiles repository may have moved
on. It is a switch like any other: the plan is shown, the steps are
journaled and undone if one fails. Like NixOS, it makes generation N current
again instead of recording a new generation; the next gocfg switch records
the next number. Only when generation N's records no longer hold (an account
it created is created again with another uid or gid, the recorded one being
taken) does the rollback record a new generation: generation N's
configuration and files with the IDs the accounts got, so that gocfg still
knows them as its own. Under --root, --secrets --identity FILE decrypts the
generation's age secrets into the tree with a key of this machine, as
gocfg switch does.

A generation whose stored contents are damaged (changed in place since it
was written) is refused, with the list, before anything changes: its links
would show the damage. gocfg store verify --repair writes again what the
current generation's sources still give.

Ctrl-C (SIGINT), SIGTERM or SIGHUP is handled as by gocfg switch: while the steps are
applied, the step in progress finishes, the steps done are undone, the
generation that was current stays current and gocfg exits with status 1;
once generation N is current the rollback stands.` + exitCodesHelp,
		Args:        cobra.NoArgs,
		Annotations: sysAnnotations(sysReal),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runF(cmd.Context(), opts)
		},
	}
	opts.Machine.registerExisting(cmd)
	cmd.Flags().Var(intFlag{n: &opts.To, min: 1, what: "a generation number (1 or more; see gocfg generations list)"}, "to", "generation `N` to return to")
	cmd.Flags().BoolVarP(&opts.DryRun, "dry-run", "n", false, "print the plan and change nothing")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the plan as JSON")
	cmd.Flags().StringVar(&opts.BackupExt, "backup-ext", "", "move unmanaged files in the way to <path>`EXT` (never over an existing backup)")
	cmd.Flags().BoolVar(&opts.Secrets, "secrets", false, "with --root: decrypt the generation's age.secrets into the tree, with the --identity keys")
	cmd.Flags().StringArrayVar(&opts.Identities, "identity", nil, "with --root --secrets: decrypt with the key in `FILE` on this machine (age key or OpenSSH ed25519/RSA private key; repeatable)")
	return cmd
}

func runRollback(ctx context.Context, opts *rollbackOptions) error {
	env := opts.Env
	ext, err := backupExt(opts.BackupExt)
	if err != nil {
		return err
	}
	opts.BackupExt = ext
	if err := validateSecrets(env, opts.Machine.Root, opts.Secrets, opts.Identities); err != nil {
		return err
	}
	opts.Machine.identities = opts.Identities
	m, unlock, err := openLockOrWarn(ctx, env, opts.Machine, !opts.DryRun)
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
		return withHints(errors.New("there is no current generation to roll back from"), "run gocfg switch first")
	}
	to := opts.To
	if to == 0 {
		nums, err := m.store.Numbers()
		if err != nil {
			return err
		}
		passed := 0
		for _, n := range nums {
			if n >= cur {
				continue
			}
			if _, refused := m.store.Refused(n); refused {
				passed = n
				continue
			}
			to = n
		}
		if to == 0 && passed != 0 {
			return withHints(fmt.Errorf("every generation before %d was refused by gocfg deploy's magic rollback", cur),
				fmt.Sprintf("go back to one anyway with --to N (generation %d is the newest), after gocfg generations diff %d %d", passed, passed, cur))
		}
		if to == 0 {
			return withHints(fmt.Errorf("generation %d is the oldest one; there is nothing before it", cur), "list them with: gocfg generations list")
		}
		if passed > to {
			fmt.Fprintf(env.Stderr, "gocfg: note: passing over the generations after %d that gocfg deploy rolled back from (see gocfg generations list)\n", to)
		}
	} else if r, refused := m.store.Refused(to); refused {
		fmt.Fprintf(env.Stderr, "gocfg: warning: generation %d was refused: %s\n", to, diagnostics.Escaped(r.Reason))
	}
	if to == cur {
		return withHints(fmt.Errorf("generation %d is already current", to), "pick another one with --to N (see gocfg generations list)")
	}
	target, err := m.readApplied(to)
	if errors.Is(err, fs.ErrNotExist) {
		return withHints(fmt.Errorf("there is no generation %d", to), "list them with: gocfg generations list")
	}
	if err != nil {
		return m.damagedGeneration(err, to)
	}
	// Its stored contents are what the homes' links will show.
	if err := m.refuseDamaged(to); err != nil {
		return err
	}
	// A rollback flips current for every home at once: a conflict in any
	// of them refuses it whole.
	provs, err := platform.RecordProviders(m.planned(cur, to, mach.Switch{BackupExt: opts.BackupExt, FailFast: true, Secrets: opts.Secrets, Identities: opts.Identities}), to, target)
	if err != nil {
		return err
	}
	plan, err := platform.MakePlan(ctx, applied, provs...)
	if err != nil {
		return providerError(err)
	}
	// A rollback reads no configuration: force = true is no remedy here.
	for i := range plan.Conflicts {
		plan.Conflicts[i].Remedies = platform.Without(plan.Conflicts[i].Remedies, platform.ByConfig)
	}
	sw := platform.Switch{From: cur, To: to, Plan: plan, Command: "rollback"}
	if len(plan.Rerecorded) > 0 {
		if sw.Generation, err = m.rerecordedGeneration(env, to, target, plan); err != nil {
			return err
		}
		sw.To = sw.Generation.Meta.Number
		plan.Notes = append(plan.Notes, fmt.Sprintf("generation %d's records no longer hold (above): this rollback records generation %d, generation %d's configuration and files with what it applies, and makes it current", to, sw.To, to))
	}
	title := fmt.Sprintf("gocfg will make these changes to return to generation %d:", to)
	if !opts.JSON || opts.DryRun || len(plan.Conflicts) > 0 {
		if err := showPlanTo(env, plan, opts.JSON, title, to, nil); err != nil {
			return err
		}
	}
	if opts.DryRun {
		fmt.Fprintln(env.Stderr, "gocfg: dry run: nothing was changed")
		return nil
	}
	return apply(ctx, env, m, sw, opts.JSON)
}
