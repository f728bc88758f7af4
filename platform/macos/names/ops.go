package names

import (
	"context"
	"fmt"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/system"
)

// SetOp sets one name (Key: HostName, ComputerName or LocalHostName) to
// Name, nil removing it; Prev is the value it replaces (nil: not set), put
// back by Undo. Offline ops write the tree's PrefsFile instead of running
// scutil.
type SetOp struct {
	Key     string  `json:"key"`
	Name    *string `json:"name"`
	Prev    *string `json:"prev"`
	Offline bool    `json:"offline,omitempty"`
}

// Describe says what the op does.
func (o *SetOp) Describe() string {
	if o.Name == nil {
		return "remove the " + o.Key
	}
	return "set the " + o.Key + " to " + *o.Name
}

// Apply sets the name, refusing when it changed since the plan.
func (o *SetOp) Apply(ctx context.Context, sys system.System) error {
	cur, err := get(ctx, sys, o.Key, o.Offline)
	if err != nil {
		return err
	}
	if same(cur, o.Name) {
		return nil
	}
	if !same(cur, o.Prev) {
		return fmt.Errorf("the %s changed since the plan was made (now %s); not setting it: %w", o.Key, show(cur), platform.ErrUnchanged)
	}
	return set(ctx, sys, o.Key, o.Name, o.Offline)
}

// Undo puts the previous value back if the name still has the op's.
func (o *SetOp) Undo(ctx context.Context, sys system.System) error {
	if same(o.Name, o.Prev) {
		return nil
	}
	cur, err := get(ctx, sys, o.Key, o.Offline)
	if err != nil {
		return err
	}
	if !same(cur, o.Name) {
		return nil
	}
	return set(ctx, sys, o.Key, o.Prev, o.Offline)
}

// same reports whether two values are equal (nil: not set).
func same(a, b *string) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

// show names a value in a plan.
func show(v *string) string {
	if v == nil {
		return "(not set)"
	}
	return *v
}
