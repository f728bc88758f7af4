package keyboard

import (
	"context"
	"fmt"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/system"
)

// SetOp makes Mapping the live key mapping; Prev is the one it replaces
// (empty: none), put back by Undo.
type SetOp struct {
	Mapping []Pair `json:"mapping"`
	Prev    []Pair `json:"prev"`
}

// Describe says what the op does.
func (o *SetOp) Describe() string { return "hidutil property --set " + setArg(o.Mapping) }

// Apply sets the mapping, refusing when it changed since the plan.
func (o *SetOp) Apply(ctx context.Context, sys system.System) error {
	cur, err := live(ctx, sys)
	if err != nil {
		return err
	}
	if equal(cur, o.Mapping) {
		return nil
	}
	if !equal(cur, o.Prev) {
		return fmt.Errorf("%s: changed since the plan was made (now %s); not setting it: %w", Option, show(cur), platform.ErrUnchanged)
	}
	return set(ctx, sys, o.Mapping)
}

// Undo puts the previous mapping back if the live one is still the one
// the op set.
func (o *SetOp) Undo(ctx context.Context, sys system.System) error {
	if equal(o.Mapping, o.Prev) {
		return nil
	}
	cur, err := live(ctx, sys)
	if err != nil {
		return err
	}
	if !equal(cur, o.Mapping) {
		return nil
	}
	return set(ctx, sys, o.Prev)
}
