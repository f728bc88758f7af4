package main

import (
	"context"

	"github.com/spf13/cobra"
)

// planOptions are the inputs of `gocfg plan`.
type planOptions struct {
	Env              *Env
	Apply            applyFlags
	DetailedExitcode bool
}

func newPlanCmd(env *Env, runF func(context.Context, *planOptions) error) *cobra.Command {
	opts := &planOptions{Env: env}
	cmd := &cobra.Command{
		Use:   "plan",
		Short: "Show what gocfg switch would change, and change nothing",
		Long: `Evaluate the configuration and compare it with the live machine and with what
the current generation applied. Each line is one resource: + to create,
~ to change, - to remove (or to put a backup back); drift (the machine
changed by hand since gocfg applied it) is marked. Nothing is written, not
even the state folder.

Run as root, the plan covers /etc and every user's home folder; run as an
ordinary user, only that user's files (the plan says what it skipped).

gocfg deploy runs gocfg plan --bundle DIR on each host: the configuration
evaluated on the deploying machine, and the files it reads, come from the
bundle it sent to DIR; --config and --host do not apply.` + partialExitCodesHelp + `
  2  with --detailed-exitcode: the plan has changes`,
		Args:        cobra.NoArgs,
		Annotations: sysAnnotations(sysReadOnly),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runF(cmd.Context(), opts)
		},
	}
	registerApplyFlags(cmd, &opts.Apply)
	cmd.Flags().BoolVar(&opts.DetailedExitcode, "detailed-exitcode", false, "exit with 2 when there are changes, 0 when there are none")
	return cmd
}

func registerApplyFlags(cmd *cobra.Command, f *applyFlags) {
	f.Config.register(cmd)
	f.Config.registerCache(cmd)
	f.Machine.register(cmd)
	cmd.Flags().StringVar(&f.BackupExt, "backup-ext", "", "move unmanaged files in the way to <path>.`EXT` (never over an existing backup)")
	cmd.Flags().BoolVar(&f.JSON, "json", false, "print the plan as JSON")
	cmd.Flags().BoolVar(&f.FailFast, "fail-fast", false, "refuse the whole switch for a conflict or a failed step in any home folder, instead of leaving that user's files, secrets and user units as they are")
	cmd.Flags().BoolVar(&f.Secrets, "secrets", false, "with --root: decrypt age.secrets into the tree, with the --identity keys")
	cmd.Flags().StringArrayVar(&f.Identities, "identity", nil, "with --root --secrets: decrypt with the key in `FILE` on this machine (age key or OpenSSH ed25519/RSA private key; repeatable)")
	cmd.Flags().StringVar(&f.Bundle, "bundle", "", "plan the configuration a deploy bundle in `DIR` holds instead of evaluating one (used by gocfg deploy)")
	_ = cmd.Flags().MarkHidden("bundle")
}

func runPlan(ctx context.Context, opts *planOptions) error {
	p, err := prepare(ctx, opts.Env, &opts.Apply, false)
	if err != nil {
		return err
	}
	if err := showPlan(opts.Env, p.plan, opts.Apply.JSON, "gocfg switch would make these changes:", p.locate); err != nil {
		return err
	}
	if err := partial(opts.Env, p.plan, "the plan is partial"); err != nil {
		return err
	}
	if opts.DetailedExitcode && !p.plan.Empty() {
		return exitCodeError(exitChanges)
	}
	return nil
}
