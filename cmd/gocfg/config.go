package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gocfg/gocfg/internal/diagnostics"
	"github.com/gocfg/gocfg/modules"
	"github.com/gocfg/gocfg/modules/loader"
	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"
)

// configFlags are the flags that choose a configuration.
type configFlags struct {
	Config string
	Host   string
	// NoCache is --no-cache: evaluate without the evaluation cache
	// (see registerCache).
	NoCache bool
}

func (f *configFlags) register(cmd *cobra.Command) {
	nonEmptyVar(cmd.Flags(), &f.Config, "config", "c", "configuration folder or entry module (default $GOCFG_CONFIG, else /etc/gocfg as root when it exists, else ~/.config/gocfg)", "for the default configuration")
	nonEmptyVar(cmd.Flags(), &f.Host, "host", "", "host whose hosts/<host>.hcl is the entry module (default: this machine's short host name)", "for this machine's host name")
}

// location returns the configuration location and whether the user
// chose it (flag or environment) rather than falling back to the default.
func (f *configFlags) location(env *Env) (string, bool) {
	if f.Config != "" {
		return f.Config, true
	}
	if c := env.Getenv("GOCFG_CONFIG"); c != "" {
		return c, true
	}
	// Root's configuration is the machine's: /etc/gocfg, where
	// `gocfg init` puts it, when it is there.
	if env.EUID == 0 {
		if fi, err := os.Stat(machineConfigDir); err == nil && fi.IsDir() {
			return machineConfigDir, false
		}
	}
	return filepath.Join(env.Home, ".config", "gocfg"), false
}

// machineConfigDir is root's configuration folder (see location).
const machineConfigDir = "/etc/gocfg"

func (f *configFlags) host(env *Env) string {
	if f.Host != "" {
		return f.Host
	}
	return env.Hostname
}

// entry finds the entry module.
func (f *configFlags) entry(env *Env) (string, error) {
	loc, _ := f.location(env)
	if h := f.Host; strings.ContainsAny(h, "/\\") || strings.HasSuffix(h, ".hcl") || strings.HasPrefix(h, ".") {
		// Tester U: --host atlas.hcl looked for hosts/atlas.hcl.hcl, and
		// --host ../etc/passwd for a path outside hosts/.
		name := strings.TrimSuffix(filepath.Base(h), ".hcl")
		return "", withHints(fmt.Errorf("--host %s: a host's name is what hosts/NAME.hcl is named, not a path or a file name", h),
			fmt.Sprintf("pass --host %s for hosts/%s.hcl, or --config FILE for another file", name, name))
	}
	p, err := loader.ResolveEntry(loc, f.host(env))
	if err == nil {
		return p, nil
	}
	var ee *loader.EntryError
	if errors.As(err, &ee) && len(ee.Tried) > 0 {
		hint := "pass --host NAME to pick hosts/NAME.hcl, or create default.hcl in that folder"
		if names := hostNames(loc); f.Host != "" && len(names) > 0 {
			hint = "the hosts are " + strings.Join(names, ", ") + ": pass --host with one of them"
		}
		return "", withHints(fmt.Errorf("%s: no entry module: looked for %s", loc, joinPaths(ee.Tried, env.WorkDir)), hint)
	}
	if f.Config == "" && env.Getenv("GOCFG_CONFIG") != "" && strings.HasPrefix(err.Error(), loc+":") {
		// Tester U: the path alone did not say it came from the
		// environment, which the user may have set long ago.
		return "", withHints(fmt.Errorf("GOCFG_CONFIG=%w", err),
			"GOCFG_CONFIG names the configuration: set it to a folder or file that exists, unset it for the default, or pass --config DIR|FILE")
	}
	return "", withHints(err, "pass --config DIR|FILE or set GOCFG_CONFIG")
}

// hostNames are the names of the hosts/NAME.hcl files of the
// configuration folder loc, sorted (none when it has no such folder).
func hostNames(loc string) []string {
	entries, err := os.ReadDir(filepath.Join(loc, "hosts"))
	if err != nil {
		return nil
	}
	var names []string
	for _, e := range entries {
		if n, ok := strings.CutSuffix(e.Name(), ".hcl"); ok && !e.IsDir() && n != "" {
			names = append(names, n)
		}
	}
	return names
}

func joinPaths(ps []string, workDir string) string {
	shown := make([]string, len(ps))
	for i, p := range ps {
		shown[i] = relPath(workDir, p)
	}
	return strings.Join(shown, " and ")
}

// relPath shows p relative to workDir when that is shorter.
func relPath(workDir, p string) string {
	if r, err := filepath.Rel(workDir, p); err == nil && workDir != "" && len(r) < len(p) {
		return r
	}
	return p
}

// printDiags shows diagnostics on stderr and turns errors among them
// into a reportedError.
func printDiags(env *Env, ev *modules.Evaluation, diags hcl.Diagnostics) error {
	if len(diags) == 0 {
		return nil
	}
	w := &diagnostics.Writer{Out: env.Stderr, Color: env.ColorErr, RelTo: env.WorkDir}
	if ev != nil {
		w.Sources = ev.Source
	}
	_ = w.Write(diags)
	if diags.HasErrors() {
		n := 0
		for _, d := range diags {
			if d.Severity == hcl.DiagError {
				n++
			}
		}
		return reportedError{fmt.Errorf("configuration has %d error(s)", n)}
	}
	return nil
}
