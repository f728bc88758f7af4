package unitstate

import (
	"context"
	"fmt"
	"strings"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/system"
)

// systemScope is the system manager's.
var systemScope = system.UnitScope{UID: -1, GID: -1}

// SetOp brings a unit of the system manager to a state through the
// seam's Units: enables or disables it by its [Install] section (Enable,
// nil: left as it is), reloads the manager (Reload: after links changed,
// or after enabling), then starts or stops it (Active, nil: left as it
// is; always nil offline, where nothing runs).
//
// WasEnabled and WasActive are the unit's state when the plan was made
// (nil: not known then, because the links ops before this one change
// it); Apply refuses with platform.ErrUnchanged when the unit is no
// longer so, and Undo puts back each part the op changed that is still
// as the op left it.
type SetOp struct {
	Unit       string `json:"unit"`
	Enable     *bool  `json:"enable,omitempty"`
	Active     *bool  `json:"active,omitempty"`
	Reload     bool   `json:"reload,omitempty"`
	WasEnabled *bool  `json:"was_enabled,omitempty"`
	WasActive  *bool  `json:"was_active,omitempty"`
	// ReloadOnUndo: Undo reloads the manager even when it changes
	// nothing else (the op before the links ops of a change, whose undo
	// runs after theirs).
	ReloadOnUndo bool `json:"reload_on_undo,omitempty"`
	// Installed: the unit was not on the machine when the plan was made;
	// the packages this switch installs bring it. Apply reloads the
	// manager first if it does not know the unit yet.
	Installed bool `json:"installed,omitempty"`
}

// Describe says what the op does.
func (o *SetOp) Describe() string {
	var w []string
	if o.ReloadOnUndo && o.Enable == nil && o.Active == nil && !o.Reload {
		return "checkpoint " + o.Unit + " (daemon-reload when undone)"
	}
	if o.Enable != nil {
		w = append(w, map[bool]string{true: "enable", false: "disable"}[*o.Enable])
	}
	if o.Reload {
		w = append(w, "daemon-reload")
	}
	if o.Active != nil {
		w = append(w, map[bool]string{true: "start", false: "stop"}[*o.Active])
	}
	return "systemctl " + strings.Join(w, ", ") + " " + o.Unit
}

// onUnit connects to the system manager, reads the op's unit and hands
// both to fn.
func (o *SetOp) onUnit(ctx context.Context, sys system.System, fn func(context.Context, system.Units, State, system.UnitState) error) error {
	u, err := sys.Units(ctx, systemScope)
	if err != nil {
		return err
	}
	defer u.Close()
	cur, st, err := observe(ctx, u, o.Unit)
	if err != nil {
		return err
	}
	return fn(ctx, u, cur, st)
}

// observe reads whether the unit is enabled and active.
func observe(ctx context.Context, u system.Units, name string) (State, system.UnitState, error) {
	st, err := u.State(ctx, name)
	if err != nil {
		return State{}, st, err
	}
	return State{Enabled: st.UnitFileState == "enabled", Active: isActive(st)}, st, nil
}

func isActive(st system.UnitState) bool {
	return st.ActiveState == "active" || st.ActiveState == "activating" || st.ActiveState == "reloading"
}

// Apply brings the unit to the op's state.
func (o *SetOp) Apply(ctx context.Context, sys system.System) error {
	return o.onUnit(ctx, sys, o.apply)
}

func (o *SetOp) apply(ctx context.Context, u system.Units, cur State, st system.UnitState) (err error) {
	if st.LoadState == "not-found" && o.Installed {
		if err := u.DaemonReload(ctx); err != nil {
			return err
		}
		if cur, st, err = observe(ctx, u, o.Unit); err != nil {
			return err
		}
		if st.LoadState == "not-found" {
			return fmt.Errorf("unit %s: the packages this switch installed did not bring it: check the name with systemctl list-unit-files, or the package that ships it", o.Unit)
		}
	}
	if st.LoadState == "not-found" {
		return fmt.Errorf("unit %s: no longer on the machine: %w", o.Unit, platform.ErrUnchanged)
	}
	if o.Enable != nil && o.WasEnabled != nil && cur.Enabled != *o.Enable && cur.Enabled != *o.WasEnabled {
		return fmt.Errorf("unit %s: enabled or disabled by hand since the plan was made: %w", o.Unit, platform.ErrUnchanged)
	}
	if o.Active != nil && o.WasActive != nil && cur.Active != *o.Active && cur.Active != *o.WasActive {
		return fmt.Errorf("unit %s: started or stopped by hand since the plan was made: %w", o.Unit, platform.ErrUnchanged)
	}
	return o.set(ctx, u, cur, o.Enable, o.Active)
}

// set enables or disables the unit (enable, nil: neither), reloads the
// manager when the op says so or the enablement changed, and starts or
// stops it (active, nil: neither).
func (o *SetOp) set(ctx context.Context, u system.Units, cur State, enable, active *bool) error {
	reload := o.Reload
	if enable != nil && cur.Enabled != *enable {
		var err error
		if *enable {
			err = u.Enable(ctx, []string{o.Unit})
		} else {
			err = u.Disable(ctx, []string{o.Unit})
		}
		if err != nil {
			return err
		}
		reload = true
	}
	if reload {
		if err := u.DaemonReload(ctx); err != nil {
			return err
		}
	}
	if active != nil && cur.Active != *active {
		if *active {
			return u.Start(ctx, o.Unit)
		}
		return u.Stop(ctx, o.Unit)
	}
	return nil
}

// Undo puts back each part of the state the op changed, if the unit is
// still as the op left it; an op that never ran finds the unit as it
// was and changes nothing.
func (o *SetOp) Undo(ctx context.Context, sys system.System) error {
	return o.onUnit(ctx, sys, o.undo)
}

func (o *SetOp) undo(ctx context.Context, u system.Units, cur State, st system.UnitState) error {
	if st.LoadState == "not-found" {
		return nil
	}
	var enable, active *bool
	if o.Enable != nil && o.WasEnabled != nil && *o.WasEnabled != *o.Enable && cur.Enabled == *o.Enable {
		enable = o.WasEnabled
	}
	if o.Active != nil && o.WasActive != nil && *o.WasActive != *o.Active && cur.Active == *o.Active {
		active = o.WasActive
	}
	undo := &SetOp{Unit: o.Unit, Reload: o.ReloadOnUndo}
	if err := undo.set(ctx, u, cur, enable, active); err != nil {
		return fmt.Errorf("unit %s: undo: %w", o.Unit, err)
	}
	return nil
}
