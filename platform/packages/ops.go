package packages

import (
	"context"
	"fmt"
	"maps"
	"slices"
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
	return runWatched(ctx, sys, b.install(o.Packages))
}

// runWatched runs a package manager's command c while the system
// manager's queue is watched (system.WatchQueue): a job a maintainer
// script queues behind a unit that runs as an ordinary account is
// cancelled at the bound, instead of holding the package manager, its
// lock and the switch without end; the command's error says so.
func runWatched(ctx context.Context, sys system.System, c system.Command) error {
	done := system.WatchQueue(ctx, sys)
	_, err := sys.Run(ctx, c)
	if cancelled := done(); err != nil && len(cancelled) > 0 {
		err = fmt.Errorf("%w (%s)", err, strings.Join(cancelled, "; "))
	}
	return err
}

// Undo removes the op's packages that are installed (the op installed
// them: none was at plan time), with the dependencies they brought that
// nothing else needs (apt: removal). A package's own guard against its
// removal is passed over (forceRemoval): the machine goes back to where
// it was before this switch, without the package.
func (o *InstallOp) Undo(ctx context.Context, sys system.System) error {
	return undoError(o.Manager, removeInstalled(ctx, sys, o.Manager, o.Packages, nil, true))
}

// RemoveOp removes Packages, which gocfg installed, in one run of the
// manager, with those of Freed (the dependencies the plan found they
// alone needed) that their removal still frees.
type RemoveOp struct {
	Manager  string   `json:"manager"`
	Packages []string `json:"packages"`
	Freed    []string `json:"freed,omitempty"`
}

// Describe says what the op does.
func (o *RemoveOp) Describe() string {
	if len(o.Freed) > 0 {
		return fmt.Sprintf("%s: remove %s and the dependencies no longer needed %s", o.Manager, strings.Join(o.Packages, ", "), strings.Join(o.Freed, ", "))
	}
	return fmt.Sprintf("%s: remove %s", o.Manager, strings.Join(o.Packages, ", "))
}

// Apply removes the packages that are still installed, with the
// dependencies of Freed that nothing else needs now; it refuses when a
// package installed since the plan needs one of them (apt-get remove
// would remove it too).
func (o *RemoveOp) Apply(ctx context.Context, sys system.System) error {
	freed := o.Freed
	if freed == nil {
		freed = []string{}
	}
	return sudoGuard(removeInstalled(ctx, sys, o.Manager, o.Packages, freed, false))
}

// Undo installs again the op's packages that are not installed.
func (o *RemoveOp) Undo(ctx context.Context, sys system.System) error {
	return undoError(o.Manager, installMissing(ctx, sys, o.Manager, o.Packages))
}

// undoError is err of an undo with apt, and what repairs the package
// database when the failed run left it broken (tester T: a disk that
// filled during an install left a package unpacked, and every later
// undo failed on its unmet dependencies).
func undoError(manager string, err error) error {
	if err == nil || manager != "apt" {
		return err
	}
	return fmt.Errorf("%w (when apt says the packages are broken, as after a full disk or a killed dpkg, `dpkg --configure -a` and `apt-get -f install` repair them; then run gocfg again)", err)
}

// removeInstalled removes those of names that are installed, in one run
// of the manager. With a manager that tells a removal first (apt), it
// refuses when another installed package needs one of them, and removes
// with them the dependencies their removal frees: those of freed, or
// all of them when freed is nil. With force, the removal passes over the
// guards of forceRemoval.
func removeInstalled(ctx context.Context, sys system.System, manager string, names, freed []string, force bool) error {
	b, todo, err := whichAre(ctx, sys, manager, names, true)
	if err != nil || len(todo) == 0 {
		return err
	}
	if r, ok := b.(remover); ok {
		rm, err := r.removal(ctx, sys, todo)
		if err != nil {
			return err
		}
		if len(rm.Kept) > 0 {
			var why []string
			for _, n := range slices.Sorted(maps.Keys(rm.Kept)) {
				why = append(why, n+" (needed by "+strings.Join(rm.Kept[n], ", ")+")")
			}
			return fmt.Errorf("%s: other packages need them since the plan was made; not removing: %w", strings.Join(why, ", "), platform.ErrUnchanged)
		}
		for _, n := range rm.Freed {
			if freed == nil || slices.Contains(freed, n) {
				todo = append(todo, n)
			}
		}
	}
	c := b.remove(todo)
	if force {
		c.Env = append(slices.Clone(c.Env), forceRemoval...)
	}
	return runWatched(ctx, sys, c)
}

// forceRemoval is the environment that passes over the guards packages
// keep against their own removal, for the undo of a switch that
// installed them. Debian's sudo refuses to be removed while root has no
// password (so that someone can still become root) unless
// SUDO_FORCE_REMOVE=yes (tester W: a switch that installed sudo on a
// machine without a root password failed later, its undo failed on
// sudo's refusal, and every command after it failed the same, with the
// journal waiting). The undo puts back a machine without sudo, as it was
// before the switch.
var forceRemoval = []string{"SUDO_FORCE_REMOVE=yes"}

// sudoGuardError is a removal that Debian's sudo refused.
type sudoGuardError struct{ err error }

func (e *sudoGuardError) Error() string { return e.err.Error() }
func (e *sudoGuardError) Unwrap() error { return e.err }

// Hint says what lets sudo go, or keeps it.
func (e *sudoGuardError) Hint() string {
	return `Debian's sudo refuses to be removed while root has no password, so that someone can still become root: keep "sudo" in environment.system_packages, or give root a password (passwd root) and switch again`
}

// sudoGuard is err, with a hint when it is sudo's refusal: its message
// names SUDO_FORCE_REMOVE, or, where the error shows only the last lines
// of apt's output, dpkg says sudo's pre-removal script failed.
func sudoGuard(err error) error {
	if err == nil {
		return nil
	}
	if msg := err.Error(); strings.Contains(msg, "SUDO_FORCE_REMOVE") || strings.Contains(msg, "installed sudo package pre-removal script") {
		return &sudoGuardError{err}
	}
	return err
}

// installMissing installs those of names that are not installed, in one
// run of the manager.
func installMissing(ctx context.Context, sys system.System, manager string, names []string) error {
	b, todo, err := whichAre(ctx, sys, manager, names, false)
	if err != nil || len(todo) == 0 {
		return err
	}
	return runWatched(ctx, sys, b.install(todo))
}

// whichAre returns manager's backend and those of names that are
// installed (or, with installed unset, not installed).
func whichAre(ctx context.Context, sys system.System, manager string, names []string, installed bool) (backend, []string, error) {
	b, err := backendOf(manager)
	if err != nil {
		return nil, nil, err
	}
	live, err := b.installed(ctx, sys, names)
	if err != nil {
		return nil, nil, err
	}
	return b, installedOf(names, live, installed), nil
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
