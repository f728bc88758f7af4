package systemd

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/system"
)

// failingUnits is a manager where every unit is active with main
// process 7 and enabled, and jobs of the units in fail fail.
type failingUnits struct {
	system.Units
	fail map[string]bool
}

func (u failingUnits) State(context.Context, string) (system.UnitState, error) {
	return system.UnitState{LoadState: "loaded", ActiveState: "active", UnitFileState: "enabled", MainPID: 7}, nil
}
func (u failingUnits) DaemonReload(context.Context) error { return nil }
func (u failingUnits) Close() error                       { return nil }
func (u failingUnits) job(name, what string) error {
	if u.fail[name] {
		return fmt.Errorf("unit %s: %s failed", name, what)
	}
	return nil
}
func (u failingUnits) Reload(_ context.Context, name string) error  { return u.job(name, "reload") }
func (u failingUnits) Restart(_ context.Context, name string) error { return u.job(name, "restart") }

type failingSystem struct {
	system.System
	units failingUnits
}

func (s failingSystem) Units(context.Context, system.UnitScope) (system.Units, error) {
	return s.units, nil
}

// TestCheckpointUndoAccountUnit (tester AC): the undo of a switch reloads
// or restarts a system unit that runs as an ordinary account, and she
// makes that fail (her ExecReload exits 1). Her unit's failure alone is
// platform.ErrAccountUnit, which the engine leaves instead of keeping the
// journal (every later switch and rollback failed on it); with a root
// unit's failure too, it is not, and the journal is kept for a retry.
func TestCheckpointUndoAccountUnit(t *testing.T) {
	units := []Before{
		{Name: "her.service", Active: true, Enabled: true, Exists: true, MainPID: 7, Reload: true, AsAccount: true},
		{Name: "root.service", Active: true, Enabled: true, Exists: true},
	}
	for _, c := range []struct {
		name    string
		fail    []string
		units   []Before
		account bool
		want    bool
	}{
		{"hers fails", []string{"her.service"}, units, true, true},
		{"hers and root's fail", []string{"her.service", "root.service"}, units, true, false},
		{"root's fails", []string{"root.service"}, units, true, false},
		{"an older journal", []string{"her.service"}, []Before{{Name: "her.service", Active: true, Enabled: true, Exists: true, MainPID: 7, Reload: true}}, true, true},
		{"no account unit", []string{"her.service"}, []Before{{Name: "her.service", Active: true, Enabled: true, Exists: true, MainPID: 7, Reload: true}}, false, false},
	} {
		fail := map[string]bool{}
		for _, n := range c.fail {
			fail[n] = true
		}
		op := &CheckpointOp{Scope: system.UnitScope{UID: -1, GID: -1}, Units: c.units, AsAccount: c.account}
		err := op.Undo(t.Context(), failingSystem{units: failingUnits{fail: fail}})
		if err == nil {
			t.Errorf("%s: Undo succeeded", c.name)
			continue
		}
		if got := errors.Is(err, platform.ErrAccountUnit); got != c.want {
			t.Errorf("%s: Undo: %v; ErrAccountUnit %v, want %v", c.name, err, got, c.want)
		}
	}
}
