package unitstate

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/system"
)

// LinkOp makes (or, with Remove, removes) the link Path to the unit file
// Target that makes a target want unit Unit (wanted_by), as `systemctl
// add-wants` does. The manager sees it after a daemon-reload, which the
// unit's SetOp runs.
type LinkOp struct {
	Unit   string `json:"unit"`
	Path   string `json:"path"`
	Target string `json:"target"`
	Remove bool   `json:"remove,omitempty"`
}

// Describe says what the op does.
func (o *LinkOp) Describe() string {
	if o.Remove {
		return "remove the link " + o.Path
	}
	return "link " + o.Path + " → " + o.Target
}

// Apply makes or removes the link. Something else in its place (a file,
// a link elsewhere) stops it: the machine changed since the plan.
func (o *LinkOp) Apply(ctx context.Context, sys system.System) error {
	if !ourLinkPath(o.Unit, o.Path) {
		return fmt.Errorf("unit %s: %s is not a link gocfg makes", o.Unit, o.Path)
	}
	if o.Remove {
		return o.unlink(sys)
	}
	return o.link(sys)
}

// Undo reverses Apply if its result is still there.
func (o *LinkOp) Undo(ctx context.Context, sys system.System) error {
	if !ourLinkPath(o.Unit, o.Path) {
		return nil
	}
	if o.Remove {
		// Put back the link the op removed, if nothing took its place.
		if _, err := sys.Lstat(o.Path); err == nil || !errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return o.link(sys)
	}
	return o.unlink(sys)
}

func (o *LinkOp) link(sys system.System) error {
	fi, err := sys.Lstat(o.Path)
	switch {
	case err == nil:
		if fi.Mode()&fs.ModeSymlink != 0 {
			if t, err := sys.Readlink(o.Path); err == nil && t == o.Target {
				return nil
			}
		}
		return fmt.Errorf("unit %s: %s is there already; not linking it: %w", o.Unit, o.Path, platform.ErrUnchanged)
	case !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("unit %s: %w", o.Unit, err)
	}
	if err := sys.MkdirAll(path.Dir(o.Path), 0o755); err != nil {
		return fmt.Errorf("unit %s: %w", o.Unit, err)
	}
	if err := sys.ReplaceSymlink(o.Target, o.Path); err != nil {
		return fmt.Errorf("unit %s: %w", o.Unit, err)
	}
	return nil
}

// unlink removes the link if it still points to the unit, and its
// folder if that leaves it empty (as systemctl does).
func (o *LinkOp) unlink(sys system.System) error {
	ok, err := linked(sys, o.Path, o.Unit)
	if err != nil {
		return fmt.Errorf("unit %s: %w", o.Unit, err)
	}
	if !ok {
		return nil
	}
	if err := sys.Remove(o.Path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("unit %s: %w", o.Unit, err)
	}
	dir := path.Dir(o.Path)
	_ = sys.RemoveDir(dir) // only when empty, and only a folder
	return nil
}
