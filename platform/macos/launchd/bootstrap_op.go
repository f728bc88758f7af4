package launchd

import (
	"context"
	"errors"
	"fmt"
	"io/fs"

	"github.com/gocfg/gocfg/platform/system"
)

// A loading is what BootstrapOp loads and BootoutOp unloads: the job
// Label in the launchd domain Domain, from the plist at Path.
type loading struct {
	Domain string `json:"domain"`
	Label  string `json:"label"`
	Path   string `json:"path"`
}

// BootstrapOp loads the job Label from the plist at Path into Domain
// (`launchctl bootstrap <domain> <path>`). The plan puts it after the
// ops that write the file and, when the job was loaded, after a
// BootoutOp: the job is never loaded when it runs.
type BootstrapOp loading

// restore puts the job back as it was before an op that changed it, if
// it is not so already: loaded again (want) from the plist at Path,
// unless there is none, or unloaded.
func (j *loading) restore(ctx context.Context, sys system.System, want bool) error {
	l, err := loaded(ctx, sys, j.Domain, j.Label)
	if err != nil || l == want {
		return err
	}
	if !want {
		return bootout(ctx, sys, j.Domain, j.Label)
	}
	if _, err := sys.Lstat(j.Path); errors.Is(err, fs.ErrNotExist) {
		return nil
	} else if err != nil {
		return err
	}
	return bootstrap(ctx, sys, j.Domain, j.Path)
}

// Describe says what the op does.
func (o *BootstrapOp) Describe() string {
	return fmt.Sprintf("launchctl bootstrap %s %s", o.Domain, o.Path)
}

// Apply loads the job.
func (o *BootstrapOp) Apply(ctx context.Context, sys system.System) error {
	return bootstrap(ctx, sys, o.Domain, o.Path)
}

// Undo unloads the job if it is loaded: it was not before the op (see
// the type), and a BootoutOp before this one loads the previous plist
// again once its own undo runs.
func (o *BootstrapOp) Undo(ctx context.Context, sys system.System) error {
	return (*loading)(o).restore(ctx, sys, false)
}
