package launchd

import (
	"context"
	"fmt"

	"github.com/gocfg/gocfg/platform/system"
)

// BootoutOp unloads the job Label from Domain (`launchctl bootout
// <domain>/<label>`), which stops it. The plan adds it only for a job
// that is loaded; Path is the plist it was loaded from, which Undo loads
// again.
type BootoutOp loading

// Describe says what the op does.
func (o *BootoutOp) Describe() string {
	return fmt.Sprintf("launchctl bootout %s/%s", o.Domain, o.Label)
}

// Apply unloads the job; one that is no longer loaded is left so.
func (o *BootoutOp) Apply(ctx context.Context, sys system.System) error {
	return bootout(ctx, sys, o.Domain, o.Label)
}

// Undo loads the job again if it is not loaded: by then the undo of the
// later ops has put the previous plist back at Path. Without a file
// there is nothing to load.
func (o *BootoutOp) Undo(ctx context.Context, sys system.System) error {
	return (*loading)(o).restore(ctx, sys, true)
}
