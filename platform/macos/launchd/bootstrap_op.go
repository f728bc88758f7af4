package launchd

import (
	"context"
	"fmt"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/system"
)

func init() {
	platform.RegisterOp("launchd.bootstrap", func() platform.Op { return &BootstrapOp{} })
}

// BootstrapOp loads the job Label from the plist at Path into Domain
// (`launchctl bootstrap <domain> <path>`). The plan puts it after the
// ops that write the file and, when the job was loaded, after a
// BootoutOp: the job is never loaded when it runs.
type BootstrapOp struct {
	Domain string `json:"domain"`
	Label  string `json:"label"`
	Path   string `json:"path"`
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
	l, err := loaded(ctx, sys, o.Domain, o.Label)
	if err != nil || !l {
		return err
	}
	return bootout(ctx, sys, o.Domain, o.Label)
}
