package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/platform"
	"github.com/spf13/cobra"
)

// generationsListOptions are the inputs of `gocfg generations list`.
type generationsListOptions struct {
	Env     *Env
	Machine machineFlags
	JSON    bool
}

func newGenerationsListCmd(env *Env, runF func(context.Context, *generationsListOptions) error) *cobra.Command {
	opts := &generationsListOptions{Env: env}
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the generations, oldest first, with the current one marked",
		Long: `List every generation: its number, when it was made (UTC), a * on the
current one, the git commit of the dotfiles repository it was made from (+
when it had uncommitted changes), and what it changed.` + exitCodesHelp,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runF(cmd.Context(), opts) },
	}
	opts.Machine.register(cmd)
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	return cmd
}

// generationJSON is one generation in `generations list --json`.
type generationJSON struct {
	generations.Meta
	Current bool `json:"current"`
}

func runGenerationsList(_ context.Context, opts *generationsListOptions) error {
	env := opts.Env
	m, err := openMachine(env, opts.Machine, true)
	if err != nil {
		return err
	}
	nums, err := m.store.Numbers()
	if err != nil {
		return err
	}
	cur, err := m.store.Current()
	if err != nil {
		return err
	}
	list := []generationJSON{}
	for _, n := range nums {
		meta, err := m.store.Meta(n)
		if err != nil {
			return err
		}
		list = append(list, generationJSON{Meta: meta, Current: n == cur})
	}
	if opts.JSON {
		return platform.WriteJSON(env.Stdout, list)
	}
	if len(list) == 0 {
		_, err := fmt.Fprintf(env.Stdout, "No generations yet in %s.\n", m.store.Dir())
		return err
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "GEN\tDATE (UTC)\tCOMMIT\tCHANGES")
	for _, g := range list {
		mark := " "
		if g.Current {
			mark = "*"
		}
		commit := "-"
		if g.Commit != "" {
			commit = shortCommit(g.Commit)
			if g.Dirty {
				commit += "+"
			}
		}
		fmt.Fprintf(tw, "%d%s\t%s\t%s\t%s\n", g.Number, mark, g.Time.UTC().Format("2006-01-02 15:04:05"), commit, summaryText(g.Summary))
	}
	return tw.Flush()
}

func summaryText(s generations.Summary) string {
	var parts []string
	if s.Add > 0 {
		parts = append(parts, fmt.Sprintf("+%d", s.Add))
	}
	if s.Change > 0 {
		parts = append(parts, fmt.Sprintf("~%d", s.Change))
	}
	if s.Remove > 0 {
		parts = append(parts, fmt.Sprintf("-%d", s.Remove))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, " ")
}
