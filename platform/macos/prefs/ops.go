package prefs

import (
	"context"
	"fmt"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/system"
)

// WriteOp sets one key to Value (nil: deletes it); Prev is what the key
// held at plan time (nil: absent), put back by Undo.
type WriteOp struct {
	Access Access `json:"access"`
	Domain Domain `json:"domain"`
	Key    string `json:"key"`
	Value  *Value `json:"value,omitempty"`
	Prev   *Value `json:"prev,omitempty"`
}

// Describe says what the op does.
func (o *WriteOp) Describe() string {
	if o.Value == nil {
		return fmt.Sprintf("defaults delete %s %s", o.Domain, o.Key)
	}
	return fmt.Sprintf("defaults write %s %s %s", o.Domain, o.Key, Show(o.Value.V))
}

// holds reports whether the live key is v (nil: absent).
func holds(live map[string]any, key string, v *Value) bool {
	cur, present := live[key]
	if v == nil {
		return !present
	}
	return present && Equal(cur, v.V)
}

// Apply writes the key, refusing when it changed since the plan.
func (o *WriteOp) Apply(ctx context.Context, sys system.System) error {
	s := Open(sys, o.Access)
	live, err := s.Export(ctx, o.Domain)
	if err != nil {
		return err
	}
	if holds(live, o.Key, o.Value) {
		return nil
	}
	if !holds(live, o.Key, o.Prev) {
		return fmt.Errorf("%s %s: changed since the plan was made (now %s); not writing it: %w", o.Domain, o.Key, showLive(live, o.Key), platform.ErrUnchanged)
	}
	return o.set(ctx, s, o.Value)
}

// Undo puts Prev back if the key still holds what the op wrote.
func (o *WriteOp) Undo(ctx context.Context, sys system.System) error {
	s := Open(sys, o.Access)
	live, err := s.Export(ctx, o.Domain)
	if err != nil {
		return err
	}
	if !holds(live, o.Key, o.Value) || holds(live, o.Key, o.Prev) {
		return nil
	}
	return o.set(ctx, s, o.Prev)
}

func (o *WriteOp) set(ctx context.Context, s Store, v *Value) error {
	if v == nil {
		return s.Delete(ctx, o.Domain, o.Key)
	}
	return s.Write(ctx, o.Domain, o.Key, v.V)
}

func showLive(live map[string]any, key string) string {
	if v, ok := live[key]; ok {
		return Show(v)
	}
	return "absent"
}
