package main

import (
	"github.com/spf13/cobra"
)

func newStoreCmd(env *Env) *cobra.Command {
	return groupCmd(&cobra.Command{
		Use:   "store",
		Short: "Check and repair the stored contents of the generations",
		Long: `Every generation keeps the content of its managed files in the store of the
state folder (/var/lib/gocfg/store for root, else ~/.local/state/gocfg/store),
by hash and shared between generations; the links in home folders point
there.` + exitCodesHelp,
	},
		newStoreVerifyCmd(env, runStoreVerify),
	)
}
