package linger

import (
	"context"
	"errors"
	"io/fs"

	"github.com/gocfg/gocfg/platform/system"
	"github.com/gocfg/gocfg/platform/systemd"
)

// dir holds a file per user whose manager lingers (systemd-logind).
const dir = systemd.LingerDir

// path is the file that says that user lingers.
func path(user string) string { return dir + "/" + user }

// SetOp makes Name linger (Linger) or not; Prev is how it was when the
// plan was made, put back by Undo. Offline (--root) it makes or removes
// the file; live, loginctl does, and starts or stops the manager.
type SetOp struct {
	Name    string `json:"name"`
	Linger  bool   `json:"linger"`
	Prev    bool   `json:"prev"`
	Offline bool   `json:"offline,omitempty"`
}

// Describe says what the op does.
func (o *SetOp) Describe() string {
	if o.Linger {
		return "enable lingering for " + o.Name
	}
	return "disable lingering for " + o.Name
}

// Apply sets the lingering of the user.
func (o *SetOp) Apply(ctx context.Context, sys system.System) error {
	return o.set(ctx, sys, o.Linger)
}

// Undo puts back how it was, if the op's setting is still there.
func (o *SetOp) Undo(ctx context.Context, sys system.System) error {
	if o.Prev == o.Linger || systemd.Lingers(sys, o.Name) != o.Linger {
		return nil
	}
	return o.set(ctx, sys, o.Prev)
}

func (o *SetOp) set(ctx context.Context, sys system.System, on bool) error {
	if systemd.Lingers(sys, o.Name) == on {
		return nil
	}
	if o.Offline {
		if !on {
			if err := sys.Remove(path(o.Name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
			return nil
		}
		if err := sys.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		return sys.WriteFile(path(o.Name), nil, 0o644)
	}
	verb := "disable-linger"
	if on {
		verb = "enable-linger"
	}
	_, err := sys.Run(ctx, system.Command{Path: "loginctl", Args: []string{verb, o.Name}, Env: toolEnv, UID: -1, GID: -1})
	return err
}

// toolEnv is loginctl's environment.
var toolEnv = []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C"}
