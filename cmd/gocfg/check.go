package main

import (
	"context"
	"fmt"

	"github.com/gocfg/gocfg/modules"
	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"
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
}

// register adds the flags to cmd: --config and the others of
// configFlags, and --os (no tree is built, so any platform goes).
func (f *evalFlags) register(cmd *cobra.Command) {
	f.Config.register(cmd)
	cmd.Flags().StringVar(&f.OS, "os", "", "evaluate the configuration as on this platform (host.os): linux or darwin (default: this machine's)")
}

// load loads the configuration as on the platform f.OS ("" for this
// machine's, see evalOSEnv) and returns it and its entry module.
func (f *evalFlags) load(env *Env) (*modules.Evaluation, string, error) {
	evEnv, err := evalOSEnv(env, f.OS)
	if err != nil {
		return nil, "", err
	}
	entry, err := f.Config.entry(env)
	if err != nil {
		return nil, "", err
	}
	ev, err := f.Config.load(evEnv, entry)
	if err != nil {
		return nil, "", err
	}
	return ev, entry, nil
}

func newCheckCmd(env *Env, runF func(context.Context, *checkOptions) error) *cobra.Command {
	opts := &checkOptions{Env: env}
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Evaluate and validate the configuration, changing nothing",
		Long: `Evaluate the whole configuration, type-check every value and run the assert
and warn blocks; --os evaluates it as on that platform (host.os), so a Mac's
configuration can be checked on Linux. Prints one summary line when the
configuration is valid; otherwise the diagnostics on stderr.` + exitCodesHelp,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runF(cmd.Context(), opts) },
	}
	opts.evalFlags.register(cmd)
	return cmd
}

func runCheck(_ context.Context, opts *checkOptions) error {
	env := opts.Env
	ev, entry, err := opts.evalFlags.load(env)
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

// evalOSEnv is env as a configuration evaluated for os sees it (see
// machineFlags.evalEnv); os is "" for this machine's platform.
func evalOSEnv(env *Env, os string) (*Env, error) {
	if os == "" {
		return env, nil
	}
	if os != "linux" && os != "darwin" {
		return nil, withHints(fmt.Errorf("--os %s: unknown platform", os), "use --os linux or --os darwin")
	}
	f := machineFlags{OS: os}
	return f.evalEnv(env), nil
}
