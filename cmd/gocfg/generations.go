package main

import (
	"github.com/spf13/cobra"
)

func newGenerationsCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "generations",
		Aliases: []string{"gen"},
		Short:   "List, compare, delete and garbage-collect generations",
		Long: `Every gocfg switch that changes something records a numbered, immutable
generation in the state folder (/var/lib/gocfg for root, else
~/.local/state/gocfg); current points at the one the machine matches.` + exitCodesHelp,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	cmd.AddCommand(
		newGenerationsListCmd(env, runGenerationsList),
		newGenerationsDiffCmd(env, runGenerationsDiff),
		newGenerationsDeleteCmd(env, runGenerationsDelete),
		newGenerationsGCCmd(env, runGenerationsGC),
	)
	for _, c := range cmd.Commands() {
		c.Args = argsWithHint(c.Args)
	}
	return cmd
}
