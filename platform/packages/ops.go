package packages

import (
	"context"
	"fmt"
	"strings"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/system"
)

// A packageChange is what InstallOp installs and RemoveOp removes: some
// Packages of one Manager.
type packageChange struct {
	Manager  string   `json:"manager"`
	Packages []string `json:"packages"`
}

// InstallOp installs Packages, none of which was installed at plan time,
// in one run of the manager.
type InstallOp packageChange

// Describe says what the op does.
func (o *InstallOp) Describe() string {
	return fmt.Sprintf("%s: install %s", o.Manager, strings.Join(o.Packages, ", "))
}

func backendOf(manager string) (backend, error) {
	b, ok := backendNamed(manager)
	if !ok {
		return nil, fmt.Errorf("unknown package manager %q in the journal", manager)
	}
	return b, nil
}

// Apply installs the packages, refusing when one of them was installed
// since the plan (Undo would remove it).
func (o *InstallOp) Apply(ctx context.Context, sys system.System) error {
	b, err := backendOf(o.Manager)
	if err != nil {
		return err
	}
	live, err := b.installed(ctx, sys, o.Packages)
	if err != nil {
		return err
	}
	if err := noneInstalled(o.Packages, live); err != nil {
		return err
	}
	_, err = sys.Run(ctx, b.install(o.Packages))
	return err
}

// Undo removes the op's packages that are installed (the op installed
// them: none was at plan time).
func (o *InstallOp) Undo(ctx context.Context, sys system.System) error {
	return converge(ctx, sys, o.Manager, o.Packages, false)
}

// RemoveOp removes Packages, which gocfg installed, in one run of the
// manager.
type RemoveOp packageChange

// Describe says what the op does.
func (o *RemoveOp) Describe() string {
	return fmt.Sprintf("%s: remove %s", o.Manager, strings.Join(o.Packages, ", "))
}

// Apply removes the packages that are still installed.
func (o *RemoveOp) Apply(ctx context.Context, sys system.System) error {
	return converge(ctx, sys, o.Manager, o.Packages, false)
}

// Undo installs again the op's packages that are not installed.
func (o *RemoveOp) Undo(ctx context.Context, sys system.System) error {
	return converge(ctx, sys, o.Manager, o.Packages, true)
}

// converge makes every one of names installed (or not), running the
// manager once for those that are not so already.
func converge(ctx context.Context, sys system.System, manager string, names []string, installed bool) error {
	b, err := backendOf(manager)
	if err != nil {
		return err
	}
	live, err := b.installed(ctx, sys, names)
	if err != nil {
		return err
	}
	todo := installedOf(names, live, !installed)
	if len(todo) == 0 {
		return nil
	}
	cmd := b.remove(todo)
	if installed {
		cmd = b.install(todo)
	}
	_, err = sys.Run(ctx, cmd)
	return err
}

// noneInstalled refuses, as changed since the plan, names of which some
// are installed (live) when an op that installs them runs: its Undo would
// remove them.
func noneInstalled(names []string, live map[string]bool) error {
	if there := installedOf(names, live, true); len(there) > 0 {
		return fmt.Errorf("%s: installed since the plan was made; not installing: %w", strings.Join(there, ", "), platform.ErrUnchanged)
	}
	return nil
}

// installedOf returns the names whose live state is want.
func installedOf(names []string, live map[string]bool, want bool) []string {
	var out []string
	for _, n := range names {
		if live[n] == want {
			out = append(out, n)
		}
	}
	return out
}
