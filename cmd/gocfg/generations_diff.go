package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strconv"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/recdiff"
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
differently, with the fields that differ (before → after): files, units,
users and groups, packages, the host name, and on macOS preferences,
launchd jobs, names and the key mapping. Values that look secret are
shown as (sensitive). A file whose stored content differs shows a
unified diff of it (at most 40 lines); a private, binary or
secret-looking content only "content changed".` + exitCodesHelp,
		Args:        cobra.ExactArgs(2),
		Annotations: sysAnnotations(sysReadOnly),
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
	opts.Machine.registerExisting(cmd)
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
	m, err := openMachine(env, opts.Machine)
	if err != nil {
		return err
	}
	a, err := readGeneration(m, opts.A)
	if err != nil {
		return err
	}
	b, err := readGeneration(m, opts.B)
	if err != nil {
		return err
	}
	r, err := recdiff.Diff(a, b)
	if err != nil {
		var de *recdiff.DecodeError
		if !errors.As(err, &de) {
			return err
		}
		n := opts.A
		if de.B {
			n = opts.B
		}
		return m.damagedGeneration(generations.Damaged(m.resourcesPath(n), de.Err), n)
	}
	diffs := contentDiffs(a, b) // generations_diff_content.go
	if opts.JSON {
		return platform.WriteJSON(env.Stdout, withContentDiffs(recdiff.NewJSON(r, opts.A, opts.B), diffs))
	}
	var out bytes.Buffer
	err = recdiff.View{Out: &out, Color: env.ColorOut}.Print(r,
		fmt.Sprintf("From generation %d to %d:", opts.A, opts.B),
		fmt.Sprintf("No differences: generations %d and %d record the same resources.", opts.A, opts.B))
	if err != nil {
		return err
	}
	_, err = env.Stdout.Write(insertContentDiffs(out.Bytes(), diffs, env.ColorOut))
	return err
}

// readGeneration reads what generation n recorded, and reads its stored
// files on demand (unit files, launchd plists: compared key by key).
func readGeneration(m *machine, n int) (recdiff.Generation, error) {
	applied, err := m.readApplied(n)
	if errors.Is(err, fs.ErrNotExist) {
		return recdiff.Generation{}, withHints(fmt.Errorf("there is no generation %d", n), "list them with: gocfg generations list")
	}
	if err != nil {
		return recdiff.Generation{}, m.damagedGeneration(err, n)
	}
	content := func(root, rel string) ([]byte, error) {
		if !recdiff.Local(root, rel) {
			return nil, fmt.Errorf("%s/%s: not in a generation's files", root, rel)
		}
		return m.sys.ReadFile(m.store.FilePath(n, root, rel))
	}
	return recdiff.Generation{Records: applied, Content: content}, nil
}
