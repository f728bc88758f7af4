package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/gocfg/gocfg/generations"
)

// generationsGCOptions are the inputs of `gocfg generations gc`.
type generationsGCOptions struct {
	Env       *Env
	Machine   machineFlags
	Keep      int
	OlderThan string
}

func newGenerationsGCCmd(env *Env, runF func(context.Context, *generationsGCOptions) error) *cobra.Command {
	opts := &generationsGCOptions{Env: env, Keep: -1}
	cmd := &cobra.Command{
		Use:   "gc",
		Short: "Delete old generations and the stored contents nothing uses",
		Long: `Delete generations that are not current and, with --keep K, not among the K
newest, and, with --older-than D, older than D (e.g. 30d, 12h, 2w); with
both flags, a generation is deleted only when both say so. Then remove every stored content that no remaining generation references. With
no flags only the unreferenced contents are removed.` + exitCodesHelp,
		Args:        cobra.NoArgs,
		Annotations: sysAnnotations(sysReal),
		RunE:        func(cmd *cobra.Command, args []string) error { return runF(cmd.Context(), opts) },
	}
	opts.Machine.registerExisting(cmd)
	cmd.Flags().Var(intFlag{n: &opts.Keep, min: 0, what: "a count (0 or more)"}, "keep", "keep the `K` newest generations (and the current one)")
	cmd.Flags().StringVar(&opts.OlderThan, "older-than", "", "delete generations older than `D`: a number and d, w, h or m")
	return cmd
}

// parseAge reads 30d, 2w, 12h, 90m.
func parseAge(s string) (time.Duration, error) {
	if len(s) < 2 {
		return 0, fmt.Errorf("--older-than %q: write a number and a unit (d, w, h or m), e.g. 30d", s)
	}
	n, err := strconv.Atoi(s[:len(s)-1])
	if err != nil || n < 0 {
		return 0, fmt.Errorf("--older-than %q: write a number and a unit (d, w, h or m), e.g. 30d", s)
	}
	last := s[len(s)-1:]
	if _, err := strconv.Atoi(s); err == nil {
		// A bare number (tester U: "30" read as 3 of unit "0").
		return 0, fmt.Errorf("--older-than %q: a number needs a unit (d, w, h or m), e.g. %sd", s, s)
	}
	unit := map[string]time.Duration{"m": time.Minute, "h": time.Hour, "d": 24 * time.Hour, "w": 7 * 24 * time.Hour}[strings.ToLower(last)]
	if unit == 0 {
		return 0, fmt.Errorf("--older-than %q: unknown unit %q; use d, w, h or m", s, last)
	}
	return time.Duration(n) * unit, nil
}

func runGenerationsGC(ctx context.Context, opts *generationsGCOptions) error {
	env := opts.Env
	var age time.Duration
	if opts.OlderThan != "" {
		var err error
		if age, err = parseAge(opts.OlderThan); err != nil {
			return withHints(err, "see: gocfg generations gc --help")
		}
	}
	return withGenerations(ctx, env, opts.Machine, func(m *machine, cur int, nums []int) error {
		doomed, err := oldGenerations(m, env.Now(), cur, nums, opts.Keep, opts.OlderThan != "", age)
		if err != nil {
			return err
		}
		for _, n := range doomed {
			if err := deleteGeneration(env, m, n); err != nil {
				return err
			}
		}
		st, err := m.store.GC()
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "Removed %d stored object(s), %s.\n", st.Objects, humanBytes(st.Bytes))
		return nil
	})
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// oldGenerations are the generations of nums (oldest first) that gc
// deletes: not cur, and, with keep (0 or more; -1: none), not among the
// keep newest, and, byAge, older than age at now; none without keep or
// byAge.
func oldGenerations(m *machine, now time.Time, cur int, nums []int, keep int, byAge bool, age time.Duration) ([]int, error) {
	var doomed []int
	if keep < 0 && !byAge {
		return nil, nil
	}
	for i, n := range nums {
		if n == cur || keep >= 0 && i >= len(nums)-keep {
			continue
		}
		if byAge {
			meta, err := m.store.Meta(n)
			switch {
			case noResources(err, n):
				// Half deleted (a crash during an earlier gc) or
				// damaged: nothing can return to it, whatever its age
				// (reviewer R35: every timed gc failed on it).
			case err != nil:
				return nil, err
			case now.Sub(meta.Time) <= age:
				continue
			}
		}
		doomed = append(doomed, n)
	}
	return doomed, nil
}

// noResources reports whether err is generation n's missing or damaged
// resources.json (generations.Store.Meta), which a rollback reads.
func noResources(err error, n int) bool {
	var de *generations.DamagedError
	return errors.As(err, &de) && filepath.Base(de.Path) == "resources.json" && filepath.Base(filepath.Dir(de.Path)) == strconv.Itoa(n)
}
