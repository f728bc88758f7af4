package main

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/modules"
	"github.com/gocfg/gocfg/platform/system"
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
			Host:   modules.Host{OS: env.OS, Arch: env.Arch, Name: flags.host(env), User: env.User, Distro: env.Distro},
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

// registerCompletions completes, on every command of the tree that has
// them as its own flags, --host from the hosts/*.hcl of the
// configuration its --config chooses, and the generation numbers of
// the state folder its --root chooses: rollback --to and the
// arguments of generations diff and delete.
func registerCompletions(env *Env, root *cobra.Command) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		// c.Flags() holds the command's own flags until cobra merges the
		// inherited ones at parse time (LocalNonPersistentFlags would
		// merge them for every command of the tree, a tenth of the
		// start-up of every gocfg process).
		if c.Flags().Lookup("host") != nil {
			_ = c.RegisterFlagCompletionFunc("host", completeHost(env))
		}
		switch c.CommandPath() {
		case "gocfg rollback":
			_ = c.RegisterFlagCompletionFunc("to", completeGeneration(env, 0, false))
		case "gocfg generations diff":
			c.ValidArgsFunction = completeGeneration(env, 2, true)
		case "gocfg generations delete":
			c.ValidArgsFunction = completeGeneration(env, -1, false)
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// completeHost lists the hosts of the configuration folder the
// command's --config (or the default location) names: the names of its
// hosts/*.hcl. An entry module has none to offer.
func completeHost(env *Env) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(cmd *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		var f configFlags
		f.Config, _ = cmd.Flags().GetString("config")
		loc, _ := f.location(env)
		if !filepath.IsAbs(loc) {
			loc = filepath.Join(env.WorkDir, loc)
		}
		// An entry module (not a folder) is used whatever the host:
		// ReadDir of its hosts fails and nothing is offered.
		entries, _ := os.ReadDir(filepath.Join(loc, "hosts"))
		var out []string
		for _, e := range entries {
			name, ok := strings.CutSuffix(e.Name(), ".hcl")
			if ok && name != "" && !e.IsDir() && strings.HasPrefix(name, toComplete) {
				out = append(out, name)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// completeGeneration lists the generation numbers of the state folder
// the command's --root chooses, newest first, each with its date and
// the command that made it; the current one is marked and left out
// unless withCurrent. max is how many arguments it completes (-1: any,
// 0: a flag's value); numbers already given are left out.
func completeGeneration(env *Env, max int, withCurrent bool) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		if max > 0 && len(args) >= max {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		root, _ := cmd.Flags().GetString("root")
		store := completionStore(env, root)
		nums, err := store.Numbers()
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		cur, _ := store.Current()
		var out []string
		for _, n := range slices.Backward(nums) {
			s := strconv.Itoa(n)
			if (n == cur && !withCurrent) || slices.Contains(args, s) || !strings.HasPrefix(s, toComplete) {
				continue
			}
			desc := ""
			if m, err := store.Meta(n); err == nil {
				desc = m.Time.UTC().Format("2006-01-02 15:04")
				if m.Command != "" {
					desc += " " + m.Command
				}
			}
			if n == cur {
				desc += " (current)"
			}
			if desc = strings.TrimSpace(desc); desc != "" {
				s += "\t" + desc
			}
			out = append(out, s)
		}
		return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveKeepOrder
	}
}

// completionStore opens the generations store read-only, as
// openMachine would place it, without the rest of the machine:
// completion must be quick and change nothing.
func completionStore(env *Env, root string) *generations.Store {
	var sys system.System = system.NewReal()
	if env.WrapSystem != nil {
		sys = env.WrapSystem(sys)
	}
	m := &machine{env: env, privileged: env.EUID == 0}
	if root != "" && !filepath.IsAbs(root) {
		root = filepath.Join(env.WorkDir, root)
	}
	if root != "" && filepath.Clean(root) != "/" {
		sys = system.NewRooted(filepath.Clean(root), sys)
		m.rooted = true
	}
	return generations.New(system.NewReadOnly(sys), m.stateDir())
}
