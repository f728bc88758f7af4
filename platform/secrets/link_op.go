package secrets

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/system"
)

// LinkOp makes a secret's `path` a symbolic link to
// /run/gocfg/secrets/<name>, making the missing folders above it (0755,
// removed again by Undo when empty). Something else at the path stops
// it (the plan reports it as a conflict first).
type LinkOp struct {
	Path   string `json:"path"`
	Target string `json:"target"`
	// Made are the folders Apply made, outermost first.
	Made []string `json:"made,omitempty"`
	// Confined is the folder on the way that another account may change
	// (files.ConfineWay), confined by Apply and Undo too: the undo of a
	// recovery runs without the plan that confined it.
	Confined string `json:"confined,omitempty"`
}

// confine puts dir ("" for none) behind the privilege boundary.
func confine(sys system.System, dir string) {
	if dir != "" {
		sys.Confine(dir)
	}
}

// Describe says what the op does.
func (o *LinkOp) Describe() string { return "link " + o.Path + " to " + o.Target }

// missingDirs lists the folders above p that do not exist, outermost
// first.
func missingDirs(sys system.System, p string) []string {
	var out []string
	for d := filepath.Dir(p); d != "/" && d != "."; d = filepath.Dir(d) {
		if _, err := sys.Lstat(d); !errors.Is(err, fs.ErrNotExist) {
			break
		}
		out = append([]string{d}, out...)
	}
	return out
}

// removeMade removes the folders an Apply made (made: outermost first,
// as missingDirs lists them), innermost first, each only when it is
// still an empty folder: a file or a link another account put at the
// path since is left (tester S: sys.Remove unlinked her file there).
func removeMade(sys system.System, made []string) {
	for i := len(made) - 1; i >= 0; i-- {
		_ = sys.RemoveDir(made[i])
	}
}

// Apply makes the link.
func (o *LinkOp) Apply(_ context.Context, sys system.System) error {
	confine(sys, o.Confined)
	if cur, err := sys.Readlink(o.Path); err == nil && cur == o.Target {
		return nil
	}
	if _, err := sys.Lstat(o.Path); !errors.Is(err, fs.ErrNotExist) {
		if err == nil {
			return fmt.Errorf("%s: something gocfg did not make is in the way of the secret's link: %w", o.Path, platform.ErrUnchanged)
		}
		return err
	}
	for _, d := range o.Made {
		if err := sys.Mkdir(d, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			return err
		}
	}
	return sys.Symlink(o.Target, o.Path)
}

// Undo removes the link if it is still ours, and the folders made.
func (o *LinkOp) Undo(_ context.Context, sys system.System) error {
	confine(sys, o.Confined)
	if cur, err := sys.Readlink(o.Path); err == nil && cur == o.Target {
		if err := sys.Remove(o.Path); err != nil {
			return err
		}
	}
	removeMade(sys, o.Made)
	return nil
}

// UnlinkOp removes a secret's link from `path` if it still points at
// the secret; Undo puts it back.
type UnlinkOp struct {
	Path   string `json:"path"`
	Target string `json:"target"`
	// Confined: as LinkOp's.
	Confined string `json:"confined,omitempty"`
}

// Describe says what the op does.
func (o *UnlinkOp) Describe() string { return "remove the link " + o.Path }

// Apply removes the link if it is still gocfg's.
func (o *UnlinkOp) Apply(_ context.Context, sys system.System) error {
	confine(sys, o.Confined)
	cur, err := sys.Readlink(o.Path)
	if err != nil || cur != o.Target {
		return nil
	}
	return sys.Remove(o.Path)
}

// Undo puts the link back when nothing is there.
func (o *UnlinkOp) Undo(_ context.Context, sys system.System) error {
	confine(sys, o.Confined)
	if _, err := sys.Lstat(o.Path); !errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return sys.Symlink(o.Target, o.Path)
}
