package main

import (
	"context"
	"fmt"
	"slices"

	"github.com/spf13/cobra"
)

// generationsDeleteOptions are the inputs of `gocfg generations delete`.
type generationsDeleteOptions struct {
	Env     *Env
	Machine machineFlags
	Numbers []int
}

func newGenerationsDeleteCmd(env *Env, runF func(context.Context, *generationsDeleteOptions) error) *cobra.Command {
	opts := &generationsDeleteOptions{Env: env}
	cmd := &cobra.Command{
		Use:   "delete N...",
		Short: "Delete generations (never the current one)",
		Long: `Delete the given generations. The current generation cannot be deleted. The
contents they stored stay in the store until gocfg generations gc.` + exitCodesHelp,
		Args:        cobra.MinimumNArgs(1),
		Annotations: sysAnnotations(sysReal),
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, a := range args {
				n, err := parseGeneration(a)
				if err != nil {
					return err
				}
				if !slices.Contains(opts.Numbers, n) { // "delete 1 1" is one
					opts.Numbers = append(opts.Numbers, n)
				}
			}
			return runF(cmd.Context(), opts)
		},
	}
	opts.Machine.registerExisting(cmd)
	return cmd
}

func runGenerationsDelete(ctx context.Context, opts *generationsDeleteOptions) error {
	return withGenerations(ctx, opts.Env, opts.Machine, func(m *machine, cur int, nums []int) error {
		exists := map[int]bool{}
		for _, n := range nums {
			exists[n] = true
		}
		for _, n := range opts.Numbers {
			if n == cur {
				return withHints(fmt.Errorf("generation %d is current; it cannot be deleted", n), "roll back or switch to another generation first; nothing was deleted")
			}
			if !exists[n] {
				return withHints(fmt.Errorf("there is no generation %d", n), "list them with: gocfg generations list; nothing was deleted")
			}
		}
		for _, n := range opts.Numbers {
			if err := deleteGeneration(opts.Env, m, n); err != nil {
				return err
			}
		}
		return nil
	})
}

// withGenerations opens and locks the machine of f and calls do with it,
// its current generation and the numbers of all its generations, oldest
// first; the lock is held until do returns.
func withGenerations(ctx context.Context, env *Env, f machineFlags, do func(m *machine, cur int, nums []int) error) error {
	m, unlock, err := openLockOrWarn(ctx, env, f, true)
	if err != nil {
		return err
	}
	defer unlock()
	nums, cur, err := m.generations()
	if err != nil {
		return err
	}
	return do(m, cur, nums)
}

// deleteGeneration deletes generation n of m and says so.
func deleteGeneration(env *Env, m *machine, n int) error {
	if err := m.store.Delete(n); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Deleted generation %d.\n", n)
	return nil
}
