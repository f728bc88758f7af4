package secrets

import (
	"context"
	"errors"
	"io/fs"

	"github.com/gocfg/gocfg/platform/system"
)

// SetOp makes the folder of a new set (mode 0751). A folder left there
// by a switch that was killed is emptied first. Undo removes the folder
// unless /run/gocfg/secrets points at it.
type SetOp struct {
	Dir string `json:"dir"`
	// Target is what /run/gocfg/secrets points at once the set is live.
	Target string `json:"target"`
}

// Describe says what the op does.
func (o *SetOp) Describe() string { return "make " + o.Dir }

// Apply makes the folder, empty.
func (o *SetOp) Apply(_ context.Context, sys system.System) error {
	if live, _ := sys.Readlink(liveLink); live == o.Target {
		return nil
	}
	if err := sys.RemoveAll(o.Dir); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := sys.Mkdir(o.Dir, 0o751); err != nil {
		return err
	}
	return sys.Chmod(o.Dir, 0o751)
}

// Undo removes the folder and the plaintext in it, unless it is live.
func (o *SetOp) Undo(_ context.Context, sys system.System) error {
	if live, _ := sys.Readlink(liveLink); live == o.Target {
		return nil
	}
	if err := sys.RemoveAll(o.Dir); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}
