package main

import (
	"github.com/spf13/cobra"
)

func newGenerationsCmd(env *Env) *cobra.Command {
	return groupCmd(&cobra.Command{
		Use:     "generations",
		Aliases: []string{"gen"},
		Short:   "List, compare, delete and garbage-collect generations",
		Long: `Every gocfg switch that changes something records a numbered, immutable
generation in the state folder (/var/lib/gocfg for root, else
~/.local/state/gocfg); current points at the one the machine matches.` + exitCodesHelp,
	},
		newGenerationsListCmd(env, runGenerationsList),
		newGenerationsDiffCmd(env, runGenerationsDiff),
		newGenerationsDeleteCmd(env, runGenerationsDelete),
		newGenerationsGCCmd(env, runGenerationsGC),
	)
}
