package systemsetup

import (
	"context"
	"fmt"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/system"
)

// SetOp sets one setting (Key: time_zone, remote_login or firewall) to
// Value; Prev is the value it replaces, put back by Undo.
type SetOp struct {
	Key   string `json:"key"`
	Value string `json:"value"`
	Prev  string `json:"prev"`
}

// Describe says what the op does.
func (o *SetOp) Describe() string { return "set the " + what(o.Key) + " to " + o.Value }

// Apply sets the value, refusing when the setting changed since the plan.
func (o *SetOp) Apply(ctx context.Context, sys system.System) error {
	cur, err := get(ctx, sys, o.Key)
	if err != nil {
		return err
	}
	if cur == o.Value {
		return nil
	}
	if cur != o.Prev {
		return fmt.Errorf("the %s changed since the plan was made (now %s); not setting it: %w", what(o.Key), cur, platform.ErrUnchanged)
	}
	return set(ctx, sys, o.Key, o.Value)
}

// Undo puts the previous value back if the setting still has the op's.
func (o *SetOp) Undo(ctx context.Context, sys system.System) error {
	if o.Value == o.Prev {
		return nil
	}
	cur, err := get(ctx, sys, o.Key)
	if err != nil {
		return err
	}
	if cur != o.Value {
		return nil
	}
	return set(ctx, sys, o.Key, o.Prev)
}
