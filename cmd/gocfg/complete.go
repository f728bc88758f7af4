package main

import (
	"github.com/gocfg/gocfg/modules"
	"github.com/spf13/cobra"
)

// completeOptionPath completes option paths from the configuration the
// command's flags choose (or the built-in options alone).
func completeOptionPath(env *Env, flags *configFlags) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(_ *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		if len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		entry, err := flags.entry(env)
		if err != nil {
			entry = ""
		}
		ev, diags := modules.Load(modules.Options{
			Entry:  entry,
			Host:   modules.Host{OS: env.OS, Arch: env.Arch, Name: flags.host(env), User: env.User},
			Getenv: env.Getenv,
		})
		if ev == nil || diags.HasErrors() {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		paths, more := ev.Complete(toComplete)
		directive := cobra.ShellCompDirectiveNoFileComp
		var out []string
		for i, p := range paths {
			if more[i] {
				directive |= cobra.ShellCompDirectiveNoSpace
				p += "."
			}
			out = append(out, p)
		}
		return out, directive
	}
}
