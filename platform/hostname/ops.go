package hostname

import (
	"context"
	"errors"
	"fmt"
	"io/fs"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/system"
)

// SetOp sets the static host name to Name; Prev is the name it replaces
// ("" for none), put back by Undo.
type SetOp struct {
	Name string `json:"name"`
	Prev string `json:"prev"`
}

// Describe says what the op does.
func (o *SetOp) Describe() string { return "set the host name to " + show(o.Name) }

// Apply sets the name, refusing when it changed since the plan.
func (o *SetOp) Apply(ctx context.Context, sys system.System) error {
	cur, err := sys.Hostname(ctx)
	if err != nil {
		return fmt.Errorf("read the host name: %w", err)
	}
	if cur == o.Name {
		return nil
	}
	if cur != o.Prev {
		return fmt.Errorf("the host name changed since the plan was made (now %s); not setting it: %w", show(cur), platform.ErrUnchanged)
	}
	return set(ctx, sys, o.Name)
}

// Undo puts the previous name back if the name is still the one the op
// set.
func (o *SetOp) Undo(ctx context.Context, sys system.System) error {
	if o.Name == o.Prev {
		return nil
	}
	cur, err := sys.Hostname(ctx)
	if err != nil {
		return fmt.Errorf("read the host name: %w", err)
	}
	if cur != o.Name {
		return nil
	}
	return set(ctx, sys, o.Prev)
}

// set sets the static host name; "" clears it: /etc/hostname is removed
// (the running kernel keeps its name until the next boot, as after
// `hostnamectl set-hostname ""`, and nothing is set to an empty name).
func set(ctx context.Context, sys system.System, name string) error {
	if name != "" {
		return sys.SetHostname(ctx, name)
	}
	if err := sys.Remove(hostnameFile); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// hostnameFile holds the static host name (hostname(5)).
const hostnameFile = "/etc/hostname"
