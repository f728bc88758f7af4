package platform

import (
	"context"
	"errors"
	"fmt"
	"io/fs"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/platform/system"
)

func init() {
	RegisterOp("engine.flip", func() Op { return &FlipOp{} })
}

// A FlipOp makes generation To current in the middle of a switch, before
// the ops of AfterFlip changes (unit jobs that must read the new linked
// files). It is a journaled step like any other: its Undo makes From
// current again, so a later failure, an interrupt or a kill still leaves
// the previous generation current.
type FlipOp struct {
	// State is the state folder (machine path).
	State    string `json:"state"`
	From, To int
}

// Describe says what the op does.
func (o *FlipOp) Describe() string { return fmt.Sprintf("make generation %d current", o.To) }

// Apply flips current to To, once what the ops before it wrote is on
// disk (as the engine's final flip does).
func (o *FlipOp) Apply(_ context.Context, sys system.System) error {
	if err := sys.Sync(o.State); err != nil {
		return err
	}
	return generations.New(sys, o.State).Flip(o.To)
}

// Undo makes From current again if To is (or removes current when there
// was none).
func (o *FlipOp) Undo(_ context.Context, sys system.System) error {
	s := generations.New(sys, o.State)
	cur, err := s.Current()
	if err != nil || cur != o.To || cur == o.From {
		return err
	}
	if o.From > 0 {
		return s.Flip(o.From)
	}
	if err := sys.Remove(s.CurrentPath()); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return sys.Sync(o.State)
}

// hasEarlyFlip reports whether ops flip current before their end.
func hasEarlyFlip(ops []Op) bool {
	for _, op := range ops {
		if _, ok := op.(*FlipOp); ok {
			return true
		}
	}
	return false
}
