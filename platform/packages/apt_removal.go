package packages

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/gocfg/gocfg/platform/system"
)

// A removal is what removing some packages gocfg installed does to the
// rest of the machine, as apt-get's simulations tell it (aptRemoval).
type removal struct {
	// Kept maps a name that cannot be removed alone to the installed
	// packages that need it (apt-get remove would remove them too):
	// gocfg leaves it installed and lets go of it.
	Kept map[string][]string
	// Freed are the packages that were installed as dependencies, that
	// nothing needs once the others are removed, and that were still
	// needed before (apt-get autoremove would not have removed them
	// already): gocfg removes them with the packages that brought them.
	Freed []string
}

// A remover is a backend that can tell a removal before making it.
type remover interface {
	removal(ctx context.Context, q system.System, names []string) (removal, error)
}

// removal asks apt-get, in simulations (read-only, no root needed):
//
//   - `remove --simulate NAMES`: what apt would remove besides NAMES are
//     the packages that depend on them; each name one of them needs is
//     kept (asked one name at a time only when some are);
//   - `remove --autoremove --simulate NAMES` less the above, less what
//     `autoremove --simulate` removes already: the dependencies freed.
//
// gocfg never runs autoremove itself: a package the machine no longer
// needed before this removal is the owner's to remove.
func (apt) removal(ctx context.Context, q system.System, names []string) (removal, error) {
	var r removal
	plain, err := aptSimulated(ctx, q, "remove", names)
	if err != nil {
		return r, err
	}
	if len(without(plain, names)) > 0 {
		r.Kept = map[string][]string{}
		for _, n := range names {
			alone, err := aptSimulated(ctx, q, "remove", []string{n})
			if err != nil {
				return r, err
			}
			if others := without(alone, []string{n}); len(others) > 0 {
				r.Kept[n] = others
			}
		}
		names = without(names, slices.Sorted(maps.Keys(r.Kept)))
		if len(names) == 0 {
			return r, nil
		}
		if plain, err = aptSimulated(ctx, q, "remove", names); err != nil {
			return r, err
		}
		if len(without(plain, names)) > 0 {
			// Only together do they drag another package along: keep
			// them all.
			for _, n := range names {
				r.Kept[n] = without(plain, names)
			}
			return r, nil
		}
	}
	auto, err := aptSimulated(ctx, q, "remove --autoremove", names)
	if err != nil {
		return r, err
	}
	already, err := aptSimulated(ctx, q, "autoremove", nil)
	if err != nil {
		return r, err
	}
	r.Freed = without(without(auto, names), already)
	return r, nil
}

// aptSimulated runs apt-get VERB --simulate -- NAMES and returns the
// packages its "Remv NAME [version]" lines name.
func aptSimulated(ctx context.Context, q system.System, verb string, names []string) ([]string, error) {
	args := append(strings.Fields(verb), "--simulate", "--quiet")
	if len(names) > 0 {
		args = append(append(args, "--"), names...)
	}
	out, err := q.Run(ctx, query("apt-get", args...))
	if err != nil {
		return nil, fmt.Errorf("apt-get %s: %w\n%s", strings.Join(args, " "), err, aptErrors(out, strings.Join(names, " ")))
	}
	var removed []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "Remv "); ok {
			if f := strings.Fields(rest); len(f) > 0 && !slices.Contains(removed, f[0]) {
				removed = append(removed, f[0])
			}
		}
	}
	slices.Sort(removed)
	return removed, nil
}

// without is a less the names in b, in a's order.
func without(a, b []string) []string {
	var out []string
	for _, s := range a {
		if !slices.Contains(b, s) {
			out = append(out, s)
		}
	}
	return out
}
