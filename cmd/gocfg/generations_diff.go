package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/files"
	"github.com/spf13/cobra"
)

// generationsDiffOptions are the inputs of `gocfg generations diff`.
type generationsDiffOptions struct {
	Env     *Env
	Machine machineFlags
	A, B    int
	JSON    bool
}

func newGenerationsDiffCmd(env *Env, runF func(context.Context, *generationsDiffOptions) error) *cobra.Command {
	opts := &generationsDiffOptions{Env: env}
	cmd := &cobra.Command{
		Use:   "diff A B",
		Short: "Show what changed from generation A to generation B, in plan format",
		Long: `Compare what two generations recorded (not the live machine): + for what B
manages and A did not, - for the reverse, ~ for what both manage
differently.` + exitCodesHelp,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if opts.A, err = parseGeneration(args[0]); err != nil {
				return err
			}
			if opts.B, err = parseGeneration(args[1]); err != nil {
				return err
			}
			return runF(cmd.Context(), opts)
		},
	}
	opts.Machine.register(cmd)
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	return cmd
}

func parseGeneration(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, withHints(fmt.Errorf("%q is not a generation number", s), "list them with: gocfg generations list")
	}
	return n, nil
}

func runGenerationsDiff(_ context.Context, opts *generationsDiffOptions) error {
	env := opts.Env
	m, err := openMachine(env, opts.Machine, true)
	if err != nil {
		return err
	}
	a, err := readFileRecords(m, opts.A)
	if err != nil {
		return err
	}
	b, err := readFileRecords(m, opts.B)
	if err != nil {
		return err
	}
	plan := &platform.Plan{Changes: diffRecords(a, b)}
	if opts.JSON {
		return platform.WriteJSON(env.Stdout, platform.NewPlanJSON(plan))
	}
	if plan.Empty() {
		_, err := fmt.Fprintf(env.Stdout, "No differences: generations %d and %d manage the same files.\n", opts.A, opts.B)
		return err
	}
	return platform.View{Out: env.Stdout, Color: env.ColorOut}.Plan(plan, fmt.Sprintf("From generation %d to %d:", opts.A, opts.B))
}

func readFileRecords(m *machine, n int) (*files.Records, error) {
	applied, err := m.readApplied(n)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, withHints(fmt.Errorf("there is no generation %d", n), "list them with: gocfg generations list")
	}
	if err != nil {
		return nil, m.damagedGeneration(err, n)
	}
	recs, err := files.DecodeRecords(applied["files"])
	if err != nil {
		return nil, m.damagedGeneration(generations.Damaged(m.resourcesPath(n), err), n)
	}
	return recs, nil
}

// diffRecords lists the changes from a's files to b's.
func diffRecords(a, b *files.Records) []platform.Change {
	before := map[string]*files.File{}
	for _, f := range a.Files {
		before[f.Path] = f
	}
	var cs []platform.Change
	for _, f := range b.Files {
		old, ok := before[f.Path]
		delete(before, f.Path)
		id := files.ID(f)
		switch {
		case !ok:
			cs = append(cs, platform.Change{ID: id, Kind: "file", Action: platform.Create, After: files.Describe(f)})
		case !files.SameManaged(old, f):
			cs = append(cs, platform.Change{ID: id, Kind: "file", Action: platform.Update, Before: files.Describe(old), After: files.Describe(f)})
		}
	}
	for _, f := range before {
		cs = append(cs, platform.Change{ID: files.ID(f), Kind: "file", Action: platform.Delete, Before: files.Describe(f)})
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i].ID < cs[j].ID })
	return cs
}
