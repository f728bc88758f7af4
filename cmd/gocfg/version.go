package main

import (
	"context"
	"fmt"

	"github.com/gocfg/gocfg/internal/buildinfo"
	"github.com/gocfg/gocfg/platform"
	"github.com/spf13/cobra"
)

// versionOptions are the inputs of `gocfg version`.
type versionOptions struct {
	Env  *Env
	JSON bool
	// Info describes the binary (buildinfo.Read).
	Info buildinfo.Info
}

func newVersionCmd(env *Env, runF func(context.Context, *versionOptions) error) *cobra.Command {
	opts := &versionOptions{Env: env, Info: buildinfo.Read()}
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the version of gocfg, the commit it was built from, the Go version and the platform",
		Long: `Print which gocfg this is: the release or module version (or, for a build
from a work tree, "devel-" and the commit, with "+dirty" when it had
uncommitted changes; "devel" when the build recorded neither), the commit,
the Go version that built it and its platform. gocfg --version prints the
same line. Every generation's meta.json records the version that made it.` + exitCodesHelp,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runF(cmd.Context(), opts) },
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the version, commit, Go version and platform as JSON")
	return cmd
}

func runVersion(_ context.Context, opts *versionOptions) error {
	if opts.JSON {
		return platform.WriteJSON(opts.Env.Stdout, opts.Info)
	}
	_, err := fmt.Fprintln(opts.Env.Stdout, versionLine(opts.Info))
	return err
}

// versionLine is what gocfg version and gocfg --version print.
func versionLine(info buildinfo.Info) string { return "gocfg version " + info.String() }

// setVersion gives root the --version flag. cobra's own version line,
// "<name> version <Version>", is what gocfg prints; no version template:
// a template (SetVersionTemplate, SetUsageTemplate, SetHelpTemplate)
// makes text/template's method calls reachable, and then the linker keeps
// every exported method of every type in the binary: 3.5 MB more, and
// 1.2 ms more for every gocfg process to start (bench/README.md;
// internal/buildinfo TestDeadCodeElimination).
func setVersion(root *cobra.Command) {
	root.Version = buildinfo.Read().String()
}
