package main

import (
	"context"
	"fmt"

	"github.com/gocfg/gocfg/modules"
	"github.com/gocfg/gocfg/modules/optpath"
	"github.com/hashicorp/hcl/v2"

	"github.com/spf13/cobra"
)

// evalOptions are the inputs of `gocfg eval`.
type evalOptions struct {
	Env *Env
	evalFlags
	JSON bool
	// Path is the option path to show; empty for the whole configuration.
	Path string
}

func newEvalCmd(env *Env, runF func(context.Context, *evalOptions) error) *cobra.Command {
	opts := &evalOptions{Env: env}
	cmd := &cobra.Command{
		Use:   "eval [OPTION.PATH]",
		Short: "Print the merged configuration, or the value of one option",
		Long: `Evaluate the configuration and print the merged value: all of it (with the
assert and warn blocks checked), or only what is under one option path, such
as networking.host_name, users, macos.dock or macos.defaults."com.apple.dock"
(evaluated lazily: only what that value needs). --os evaluates it as on that
platform (host.os), so a Mac's configuration can be read on Linux; --root DIR
as for the tree under DIR (host.distro from its etc/os-release), as
plan --root DIR does.

Options with no definition and no default are left out. The output is HCL
that reads back as the same value; --json prints plain JSON instead.` + exitCodesHelp,
		Args: cobra.MaximumNArgs(1),
		// --root reads the tree's etc/os-release, nothing else there.
		Annotations: sysAnnotations(sysReadOnly),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Path = args[0]
			}
			return runF(cmd.Context(), opts)
		},
		ValidArgsFunction: completeOptionPath(env, &opts.Config),
	}
	opts.evalFlags.register(cmd)
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print plain JSON")
	return cmd
}

func runEval(_ context.Context, opts *evalOptions) error {
	env := opts.Env
	c, _, err := opts.evalFlags.cached(env)
	if err != nil {
		return err
	}
	query := "eval hcl " + opts.Path
	if opts.JSON {
		query = "eval json " + opts.Path
	}
	if e, ok := c.get(query); ok {
		out, ok := e.Outputs["out"]
		if ok {
			c.replay(e)
			_, err = env.Stdout.Write(out)
		}
		e.Close()
		if ok {
			return err
		}
	}
	ev, err := c.load()
	if err != nil {
		return err
	}
	if _, err := ev.ParsePath(opts.Path); err != nil {
		return withHints(err, "list the declared options with: gocfg options")
	}
	if err := checkKeysExist(ev, opts.Path, c.show); err != nil {
		return err
	}
	var out []byte
	if opts.JSON {
		js, diags := ev.JSON(opts.Path)
		if err := c.show(ev, diags); err != nil {
			return err
		}
		out = js
	} else {
		text, diags := ev.HCL(opts.Path)
		if err := c.show(ev, diags); err != nil {
			return err
		}
		out = []byte(text)
	}
	c.put(query, map[string][]byte{"out": out})
	_, err = env.Stdout.Write(out)
	return err
}

// checkKeysExist refuses a path through a key that no definition sets
// (users.carol, or macos.defaults.com written without quotes), instead of
// printing null. show prints the diagnostics of the values it computes.
func checkKeysExist(ev *modules.Evaluation, path string, show func(*modules.Evaluation, hcl.Diagnostics) error) error {
	p, err := optpath.Parse(path)
	if err != nil {
		return nil // ParsePath reported it already
	}
	for i := 1; i <= len(p); i++ {
		prefix := p[:i].String()
		if ev.Declares(prefix) {
			continue
		}
		_, set, diags := ev.Value(prefix)
		if err := show(ev, diags); err != nil {
			return err
		}
		if set {
			continue
		}
		hints := []string{"see the keys that are set with: gocfg eval " + p[:i-1].String()}
		if i < len(p) {
			hints = append([]string{`quote keys that contain dots: macos.defaults."com.apple.dock"`}, hints...)
		}
		return withHints(fmt.Errorf("%s: no definition sets the key %s", prefix, optpath.Segment(p[i-1])), hints...)
	}
	return nil
}
