package main

import (
	"context"
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"
)

// checkOptions are the inputs of `gocfg check`.
type checkOptions struct {
	Env    *Env
	Config configFlags
}

func newCheckCmd(env *Env, runF func(context.Context, *checkOptions) error) *cobra.Command {
	opts := &checkOptions{Env: env}
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Evaluate and validate the configuration, changing nothing",
		Long: `Evaluate the whole configuration, type-check every value and run the assert
and warn blocks. Prints one summary line when the configuration is valid;
otherwise the diagnostics on stderr.` + exitCodesHelp,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runF(cmd.Context(), opts) },
	}
	opts.Config.register(cmd)
	return cmd
}

func runCheck(_ context.Context, opts *checkOptions) error {
	env := opts.Env
	entry, err := opts.Config.entry(env)
	if err != nil {
		return err
	}
	ev, err := opts.Config.load(env, entry)
	if err != nil {
		return err
	}
	_, diags := ev.All()
	if err := printDiags(env, ev, diags); err != nil {
		return err
	}
	warnings := 0
	for _, d := range diags {
		if d.Severity == hcl.DiagWarning {
			warnings++
		}
	}
	_, err = fmt.Fprintf(env.Stdout, "ok: %s: %d module(s), %d option(s) set, %d warning(s)\n",
		relPath(env.WorkDir, entry), ev.ModuleCount(), ev.SetCount(), warnings)
	return err
}
