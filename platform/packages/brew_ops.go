package packages

import (
	"context"
	"fmt"
	"strings"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/system"
)

// A brewChange is what BrewInstallOp installs and BrewRemoveOp removes:
// some Names of one Kind (formula, cask or tap).
type brewChange struct {
	Kind  string   `json:"kind"`
	Names []string `json:"names"`
	// Brew is the brew program; User, when set, the user it runs as
	// (gocfg runs as root).
	Brew string `json:"brew"`
	User string `json:"user,omitempty"`
	// Zap removes casks with `brew uninstall --zap` (their files too):
	// macos.homebrew.cleanup = "zap".
	Zap bool `json:"zap,omitempty"`
}

// converge makes every one of the names installed (or not), running
// brew for those that are not so already.
func (c *brewChange) converge(ctx context.Context, sys system.System, installed bool) error {
	b, err := brewOf(c.Kind, c.Brew, c.User)
	if err != nil {
		return err
	}
	b.Zap = c.Zap
	return b.converge(ctx, sys, c.Kind, c.Names, installed)
}

// BrewInstallOp installs Names of Kind (formula, cask or tap) with
// Homebrew, none of which was installed at plan time: formulae or casks
// in one run of brew, taps one `brew tap` each.
type BrewInstallOp brewChange

var _ platform.Op = (*BrewInstallOp)(nil)

// Describe says what the op does.
func (o *BrewInstallOp) Describe() string { return describeBrew(o.Kind, true, o.Names) }

func describeBrew(kind string, add bool, names []string) string {
	verb := map[bool]string{true: "install", false: "uninstall"}[add]
	switch kind {
	case kindTap:
		verb = map[bool]string{true: "tap", false: "untap"}[add]
	case kindCask:
		verb += " --cask"
	}
	return fmt.Sprintf("brew: %s %s", verb, strings.Join(names, ", "))
}

// brewOf returns the brew an op runs, refusing a kind it does not know.
func brewOf(kind, path, user string) (brew, error) {
	switch kind {
	case kindFormula, kindCask, kindTap:
	default:
		return brew{}, fmt.Errorf("unknown Homebrew kind %q in the journal", kind)
	}
	if path == "" {
		return brew{}, fmt.Errorf("no brew program in the journal's %s op", kind)
	}
	return brew{Path: path, User: user}, nil
}

// Apply installs the names, refusing when one of them was installed
// since the plan (Undo would remove it).
func (o *BrewInstallOp) Apply(ctx context.Context, sys system.System) error {
	b, err := brewOf(o.Kind, o.Brew, o.User)
	if err != nil {
		return err
	}
	listed, err := b.listed(ctx, sys, o.Kind)
	if err != nil {
		return err
	}
	if err := noneInstalled(o.Names, liveOf(o.Kind, o.Names, listed)); err != nil {
		return err
	}
	return b.apply(ctx, sys, o.Kind, o.Names, true)
}

// Undo removes the op's names that are installed (the op installed
// them: none was at plan time).
func (o *BrewInstallOp) Undo(ctx context.Context, sys system.System) error {
	return (*brewChange)(o).converge(ctx, sys, false)
}

// BrewRemoveOp removes Names of Kind, which gocfg installed, with
// Homebrew: formulae or casks in one `brew uninstall`, taps one `brew
// untap` each.
type BrewRemoveOp brewChange

var _ platform.Op = (*BrewRemoveOp)(nil)

// Describe says what the op does.
func (o *BrewRemoveOp) Describe() string {
	if o.Zap && o.Kind == kindCask {
		return "brew: uninstall --cask --zap " + strings.Join(o.Names, ", ")
	}
	return describeBrew(o.Kind, false, o.Names)
}

// Apply removes the names that are still installed.
func (o *BrewRemoveOp) Apply(ctx context.Context, sys system.System) error {
	return (*brewChange)(o).converge(ctx, sys, false)
}

// Undo installs again the op's names that are not installed. For a
// cleanup's removal (of what gocfg did not install) this is best effort:
// brew installs the current version, and a zapped cask's files are gone.
func (o *BrewRemoveOp) Undo(ctx context.Context, sys system.System) error {
	return (*brewChange)(o).converge(ctx, sys, true)
}

// converge makes every one of names of kind installed (or not), running
// brew for those that are not so already.
func (b brew) converge(ctx context.Context, sys system.System, kind string, names []string, installed bool) error {
	listed, err := b.listed(ctx, sys, kind)
	if err != nil {
		return err
	}
	todo := installedOf(names, liveOf(kind, names, listed), !installed)
	if len(todo) == 0 {
		return nil
	}
	return b.apply(ctx, sys, kind, todo, installed)
}

// apply installs (or removes) names of kind: one run of brew for
// formulae and casks, one per tap.
func (b brew) apply(ctx context.Context, sys system.System, kind string, names []string, install bool) error {
	batches := [][]string{names}
	if kind == kindTap {
		batches = nil
		for _, n := range names {
			batches = append(batches, []string{n})
		}
	}
	for _, ns := range batches {
		cmd := b.remove(kind, ns)
		if install {
			cmd = b.install(kind, ns)
		}
		if _, err := sys.Run(ctx, cmd); err != nil {
			return fmt.Errorf("%s: %w", describeBrew(kind, install, ns), err)
		}
	}
	return nil
}
