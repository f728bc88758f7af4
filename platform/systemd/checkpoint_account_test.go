package systemd

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/system"
)

// failingUnits is a manager where every unit is active with main
// process 7 and enabled, jobs of the units in fail fail, those of the
// units in hang wait until the context ends, and done lists the jobs
// that succeeded.
type failingUnits struct {
	system.Units
	fail, hang, inactive map[string]bool
	// queued: jobs of these units wait behind hers (system.WatchAccountWaits).
	queued map[string]bool
	done   *[]string
}

func (u failingUnits) State(_ context.Context, name string) (system.UnitState, error) {
	if u.inactive[name] {
		return system.UnitState{LoadState: "loaded", ActiveState: "inactive", UnitFileState: "disabled"}, nil
	}
	return system.UnitState{LoadState: "loaded", ActiveState: "active", UnitFileState: "enabled", MainPID: 7}, nil
}
func (u failingUnits) Stop(ctx context.Context, name string) error { return u.job(ctx, name, "stop") }
func (u failingUnits) DaemonReload(context.Context) error          { return nil }
func (u failingUnits) Close() error                                { return nil }
func (u failingUnits) job(ctx context.Context, name, what string) error {
	switch {
	case u.fail[name]:
		return fmt.Errorf("unit %s: %s failed", name, what)
	case u.hang[name]:
		<-ctx.Done()
		return ctx.Err()
	case u.queued[name]:
		return &system.AccountWaitError{Unit: name, Job: what, Waits: []string{"her.service"}, Bound: time.Second}
	}
	if u.done != nil {
		*u.done = append(*u.done, what+" "+name)
	}
	return nil
}
func (u failingUnits) Reload(ctx context.Context, name string) error {
	return u.job(ctx, name, "reload")
}
func (u failingUnits) Restart(ctx context.Context, name string) error {
	return u.job(ctx, name, "restart")
}
func (u failingUnits) Start(ctx context.Context, name string) error {
	return u.job(ctx, name, "start")
}
func (u failingUnits) Journal(context.Context, string, int) string { return "" }

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
// unit's failure too, it is not, and the journal is kept for a retry;
// nor is the failure of a root unit that only waits for hers (second
// reviewer).
func TestCheckpointUndoAccountUnit(t *testing.T) {
	units := []Before{
		{Name: "her.service", Active: true, Enabled: true, Exists: true, MainPID: 7, Reload: true, AsAccount: true, AccountFails: true},
		{Name: "root.service", Active: true, Enabled: true, Exists: true},
		{Name: "after.service", Active: true, Enabled: true, Exists: true, AsAccount: true},
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
		{"one after hers fails", []string{"after.service"}, units, true, false},
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

// TestCheckpointUndoAccountTimeout (second reviewer): her unit's restart
// never ends, and the undo's bound runs out. Root's own units were after
// hers in the list, so they were never restarted, and the timeout was
// left with the journal gone: now they are restarted first, and only
// then is the timeout hers.
func TestCheckpointUndoAccountTimeout(t *testing.T) {
	saved := userJobTimeout
	userJobTimeout = 200 * time.Millisecond
	t.Cleanup(func() { userJobTimeout = saved })
	var done []string
	op := &CheckpointOp{Scope: system.UnitScope{UID: -1, GID: -1}, AsAccount: true, Units: []Before{
		{Name: "her.service", Active: true, Enabled: true, Exists: true, AsAccount: true, AccountFails: true},
		{Name: "root.service", Active: true, Enabled: true, Exists: true},
	}}
	err := op.Undo(t.Context(), failingSystem{units: failingUnits{hang: map[string]bool{"her.service": true}, done: &done}})
	if !errors.Is(err, platform.ErrAccountUnit) || !strings.Contains(err.Error(), "did not finish within 200ms") {
		t.Errorf("Undo: %v, want the bound named, and the timeout hers", err)
	}
	if !slices.Contains(done, "restart root.service") {
		t.Errorf("jobs done %v: root.service was not restarted", done)
	}
	if err != nil && !strings.Contains(err.Error(), "not returned to their state before the switch: her.service") {
		t.Errorf("Undo: %v, want the units left as the switch left them named", err)
	}
	// Root's own unit hangs: not hers.
	op.Units[0], op.Units[1] = op.Units[1], op.Units[0]
	err = op.Undo(t.Context(), failingSystem{units: failingUnits{hang: map[string]bool{"root.service": true}, done: &done}})
	if err == nil || errors.Is(err, platform.ErrAccountUnit) {
		t.Errorf("Undo with root's unit hanging: %v, want an error that is not hers", err)
	}
}

// TestCheckpointUndoCancelsQueuedStart (second reviewer): a unit that
// waits on her and was not active before the switch is stopped by the
// undo even when it is not active now: its start may still be queued
// behind her stopped process, to run whenever she lets it go; a stop
// cancels it. A root unit that is not active is left alone.
func TestCheckpointUndoCancelsQueuedStart(t *testing.T) {
	var done []string
	op := &CheckpointOp{Scope: system.UnitScope{UID: -1, GID: -1}, AsAccount: true, Units: []Before{
		{Name: "app.service", Exists: true, AsAccount: true},
		{Name: "root.service", Exists: true},
	}}
	inactive := map[string]bool{"app.service": true, "root.service": true}
	if err := op.Undo(t.Context(), failingSystem{units: failingUnits{inactive: inactive, done: &done}}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(done, []string{"stop app.service"}) {
		t.Errorf("jobs %v, want app.service stopped alone", done)
	}
}

// TestAccountWaitQueued (tester AD): a root unit's job that the manager
// queued behind hers, through units of the machine's own that gocfg does
// not read, fails once its bound is spent (system.WatchAccountWaits):
// the switch says which of hers it waited for, and the undo's failure
// of it is hers, left rather than kept for a retry she would hold again.
func TestAccountWaitQueued(t *testing.T) {
	sys := failingSystem{units: failingUnits{queued: map[string]bool{"app.service": true}}}
	op := &JobOp{Scope: system.UnitScope{UID: -1, GID: -1}, Job: jobStart, Units: []string{"app.service"}, Watch: []string{"her.service"}}
	err := op.Apply(t.Context(), sys)
	if !system.IsAccountWait(err) || !strings.Contains(err.Error(), "unit app.service: start: waits for her.service, which runs as an ordinary account, and did not finish within 1s") {
		t.Errorf("Apply: %v, want the wait behind her.service named", err)
	}
	undo := &CheckpointOp{Scope: system.UnitScope{UID: -1, GID: -1}, Watch: []string{"her.service"}, Units: []Before{
		{Name: "root.service", Active: true, Enabled: true, Exists: true},
		{Name: "app.service", Active: true, Enabled: true, Exists: true},
	}}
	err = undo.Undo(t.Context(), sys)
	if !errors.Is(err, platform.ErrAccountUnit) {
		t.Errorf("Undo: %v, want the wait behind hers left as hers", err)
	}
	sys.units.fail = map[string]bool{"root.service": true}
	if err := undo.Undo(t.Context(), sys); err == nil || errors.Is(err, platform.ErrAccountUnit) {
		t.Errorf("Undo with root's own unit failing too: %v, want an error that is not hers", err)
	}
}
