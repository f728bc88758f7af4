package main

import (
	"context"
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"

	"github.com/gocfg/gocfg/modules"
	"github.com/gocfg/gocfg/platform"
)

// checkOptions are the inputs of `gocfg check`.
type checkOptions struct {
	Env *Env
	evalFlags
}

// evalFlags are the flags of the commands that only evaluate the
// configuration (check, eval).
type evalFlags struct {
	Config configFlags
	// OS is the platform the configuration is evaluated for (host.os).
	OS string
	// Root is the tree whose host facts the configuration sees
	// (host.distro from its os-release), as plan --root DIR sees them.
	Root string
	// evEnv is what evalEnv made, once: the tree is looked at, and its
	// platform noted, once per command.
	evEnv *Env
}

// register adds the flags to cmd: --config and the others of
// configFlags, --os (no tree is built, so any platform goes) and
// --root, so that check and eval see the host facts plan --root sees.
func (f *evalFlags) register(cmd *cobra.Command) {
	f.Config.register(cmd)
	f.Config.registerCache(cmd)
	cmd.Flags().StringVar(&f.OS, "os", "", "evaluate the configuration as on this platform (host.os): linux or darwin (default: this machine's)")
	nonEmptyVar(cmd.Flags(), &f.Root, "root", "", "evaluate the configuration as for the tree under `DIR` (host.distro from its etc/os-release), as plan --root DIR does; nothing is read or written there otherwise", "to evaluate for this machine")
}

// cached prepares the evaluation of the configuration as on the
// platform f.OS and the tree f.Root ("" for this machine's, see
// evalEnv), through the evaluation cache, and returns it and its entry
// module.
func (f *evalFlags) cached(env *Env) (*cachedConfig, string, error) {
	evEnv, err := f.evalEnv(env)
	if err != nil {
		return nil, "", err
	}
	entry, err := f.Config.entry(env)
	if err != nil {
		return nil, "", err
	}
	return f.Config.cached(evEnv, entry), entry, nil
}

func newCheckCmd(env *Env, runF func(context.Context, *checkOptions) error) *cobra.Command {
	opts := &checkOptions{Env: env}
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Evaluate and validate the configuration, changing nothing",
		Long: `Evaluate the whole configuration, type-check every value, run the assert
and warn blocks, and let every provider check what it would refuse on any
machine (unit names, file targets and modes, user names and IDs, timers'
calendar events, preference domains), and that the files it reads are
in the repository (each file's source, each secret's file; looked at
every time, cache or not); what depends on the machine (an
account or a package that is not there) is found by gocfg plan. --os
evaluates it as on that platform (host.os), so a Mac's configuration can
be checked on Linux; --root DIR as for the tree under DIR (host.distro
from its etc/os-release), as plan --root DIR does. Prints one summary line when the
configuration is valid; otherwise the diagnostics on stderr.` + exitCodesHelp,
		Args: cobra.NoArgs,
		// --root reads the tree's etc/os-release, nothing else there.
		Annotations: sysAnnotations(sysReadOnly),
		RunE:        func(cmd *cobra.Command, _ []string) error { return runF(cmd.Context(), opts) },
	}
	opts.evalFlags.register(cmd)
	return cmd
}

func runCheck(ctx context.Context, opts *checkOptions) error {
	env := opts.Env
	evEnv, err := opts.evalFlags.evalEnv(env)
	if err != nil {
		return err
	}
	c, entry, err := opts.evalFlags.cached(env)
	if err != nil {
		return err
	}
	const query = "check"
	// The module count and the options set, "M S" in the cache.
	var mods, set int
	var diags hcl.Diagnostics
	var fileOpts []byte
	e, ok := c.get(query)
	if ok {
		defer e.Close() // e.Diags are read below
		_, err := fmt.Sscanf(string(e.Outputs["counts"]), "%d %d", &mods, &set)
		fileOpts, ok = e.Outputs["files"]
		ok = ok && err == nil
	}
	var ev *modules.Evaluation
	if ok {
		c.replay(e)
		diags = e.Diags
	} else {
		if ev, err = c.load(); err != nil {
			return err
		}
		_, d := ev.All()
		if err := c.show(ev, d); err != nil {
			return err
		}
		if err := validateProviders(ctx, env, ev, evEnv.OS); err != nil {
			return err
		}
		mods, set = ev.ModuleCount(), ev.SetCount()
		fileOpts, _ = fileOptions(ev)
		c.put(query, map[string][]byte{"counts": fmt.Appendf(nil, "%d %d", mods, set), "files": fileOpts})
		diags = c.shown
	}
	// The files the configuration reads (a file's source, a secret's
	// file) are in the repository, whatever the machine: each is looked
	// at every time, the cache holds only which they are.
	if errs := checkFiles(fileOpts); len(errs) > 0 {
		if ev == nil {
			if ev, err = c.load(); err != nil {
				return err
			}
		}
		return planError(env, ev, platform.JoinErrors(errs))
	}
	warnings := 0
	for _, d := range diags {
		if d.Severity == hcl.DiagWarning {
			warnings++
		}
	}
	_, err = fmt.Fprintf(env.Stdout, "ok: %s: %d module(s), %d option(s) set, %d warning(s)\n",
		relPath(env.WorkDir, entry), mods, set, warnings)
	return err
}

// evalEnv is env as a configuration evaluated for f.OS and the tree
// under f.Root sees it (see machineFlags.evalEnv); OS "" is this
// machine's platform, or under --root the tree's, Root "" this machine.
// It is made once per command.
func (f *evalFlags) evalEnv(env *Env) (*Env, error) {
	if f.evEnv != nil {
		return f.evEnv, nil
	}
	if f.OS == "" && f.Root == "" {
		return env, nil
	}
	if f.OS != "" && f.OS != "linux" && f.OS != "darwin" {
		return nil, withHints(fmt.Errorf("--os %s: unknown platform", f.OS), "use --os linux or --os darwin")
	}
	m := machineFlags{OS: f.OS, Root: f.Root}
	if f.Root != "" {
		// The tree's platform is the default, as for plan --root.
		if err := m.validate(env); err != nil {
			return nil, err
		}
	}
	f.evEnv = m.evalEnv(env)
	return f.evEnv, nil
}
