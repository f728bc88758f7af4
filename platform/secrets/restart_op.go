package secrets

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/gocfg/gocfg/platform/system"
)

// UnitsOp restarts and reloads the running units that read secrets the
// switch changed (a unit that is not running reads the new secret when
// it starts). It runs once the new generation is current. Its Undo does
// nothing: a unit restarted with a secret that an undone switch takes
// back keeps it until it restarts again.
type UnitsOp struct {
	Restart []string `json:"restart,omitempty"`
	Reload  []string `json:"reload,omitempty"`
}

// Describe says what the op does.
func (o *UnitsOp) Describe() string {
	var parts []string
	if len(o.Restart) > 0 {
		parts = append(parts, "restart "+strings.Join(o.Restart, " "))
	}
	if len(o.Reload) > 0 {
		parts = append(parts, "reload "+strings.Join(o.Reload, " "))
	}
	return "systemctl " + strings.Join(parts, ", ") + " (secrets changed)"
}

// running reports whether a unit's state is one a restart or reload
// applies to.
func running(st system.UnitState) bool {
	switch st.ActiveState {
	case "active", "activating", "reloading":
		return true
	}
	return false
}

// Apply restarts and reloads the units that run.
func (o *UnitsOp) Apply(ctx context.Context, sys system.System) error {
	u, err := sys.Units(ctx, system.UnitScope{UID: -1, GID: -1})
	if err != nil {
		return err
	}
	defer u.Close()
	for _, pass := range []struct {
		units []string
		job   func(context.Context, string) error
		verb  string
	}{{o.Restart, u.Restart, "restart"}, {o.Reload, u.Reload, "reload"}} {
		for _, name := range pass.units {
			st, err := u.State(ctx, name)
			if err != nil {
				return err
			}
			if !running(st) {
				continue
			}
			if err := pass.job(ctx, name); err != nil {
				msg := fmt.Sprintf("%s %s after its secret changed: %v", pass.verb, name, err)
				if st, e := u.State(ctx, name); e == nil {
					msg += fmt.Sprintf("\n    %s is %s (%s)", name, st.ActiveState, st.SubState)
				}
				if j := strings.TrimSpace(u.Journal(ctx, name, 10)); j != "" {
					msg += "\n    its journal ends with:\n      " + strings.ReplaceAll(j, "\n", "\n      ")
				}
				return errors.New(msg)
			}
		}
	}
	return nil
}

// Undo does nothing (see UnitsOp).
func (o *UnitsOp) Undo(context.Context, system.System) error { return nil }

// UndoChecksItself marks UnitsOp platform.SelfChecking: its Undo does
// nothing.
func (*UnitsOp) UndoChecksItself() {}
