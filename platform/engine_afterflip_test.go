package platform_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/system"
)

var _ platform.Op = (*seeOp)(nil)

// seeOp stands for a unit job: it records which generation is current
// when it runs (what a started or reloaded service would read through
// the /etc links), and fails when Fail is set.
type seeOp struct {
	State string `json:"state"`
	Fail  bool   `json:"fail"`
	saw   *int
}

func init() { platform.RegisterOp("test.see", func() platform.Op { return &seeOp{} }) }

func (o *seeOp) Describe() string { return "see current" }

func (o *seeOp) Apply(_ context.Context, sys system.System) error {
	n, err := generations.New(sys, o.State).Current()
	if err != nil {
		return err
	}
	if o.saw != nil {
		*o.saw = n
	}
	if o.Fail {
		return errors.New("the unit did not start")
	}
	return nil
}

func (o *seeOp) Undo(context.Context, system.System) error { return nil }

// TestAfterFlipSeesTheNewGeneration: the ops of an AfterFlip change run
// once current names the new generation (a service reloaded then reads
// the new linked files), and a failure among them still undoes the whole
// switch: current flips back and the new generation is deleted. Killed
// after the mid-switch flip, recovery undoes it all as well.
func TestAfterFlipSeesTheNewGeneration(t *testing.T) {
	add := func(sw *platform.Switch, op *seeOp) {
		sw.Plan.Changes = append(sw.Plan.Changes, platform.Change{ID: "units:test:jobs", Kind: "units", Action: platform.Update, Hidden: true, AfterFlip: true, Ops: []platform.Op{op}})
	}
	t.Run("sees it", func(t *testing.T) {
		m := richMachine(t)
		_, sw := m.plan(richGen2(), ".bak")
		saw := -1
		add(&sw, &seeOp{State: stateDir, saw: &saw})
		if _, err := m.engine().Switch(t.Context(), sw); err != nil {
			t.Fatal(err)
		}
		if saw != 2 || m.Current() != 2 {
			t.Errorf("the job saw generation %d (current now %d), want 2", saw, m.Current())
		}
	})
	t.Run("a failure flips back", func(t *testing.T) {
		m := richMachine(t)
		_, sw := m.plan(richGen2(), ".bak")
		before := m.snapshot("/", storeDir)
		saw := -1
		add(&sw, &seeOp{State: stateDir, Fail: true, saw: &saw})
		_, err := m.engine().Switch(t.Context(), sw)
		var ae *platform.ApplyError
		if !errors.As(err, &ae) || len(ae.UndoErrs) > 0 {
			t.Fatalf("Switch: %v, want an undone failure", err)
		}
		if saw != 2 {
			t.Errorf("the job saw generation %d, want 2", saw)
		}
		m.checkUndone(before)
	})
	t.Run("killed after the flip", func(t *testing.T) {
		m := richMachine(t)
		_, sw := m.plan(richGen2(), ".bak")
		before := m.snapshot("/", storeDir)
		add(&sw, &seeOp{State: stateDir})
		last := countOps(sw.Plan) + 1 // with the FlipOp
		eng := m.engine()
		eng.Fault = func(p string) {
			if p == fmt.Sprintf("op-%d", last) {
				panic("killed")
			}
		}
		func() {
			defer func() { _ = recover() }()
			_, _ = eng.Switch(context.Background(), sw)
			t.Fatal("not killed")
		}()
		if m.Current() != 2 {
			t.Fatalf("current %d before recovery, want 2 (flipped in the middle)", m.Current())
		}
		rec, err := m.engine().Recover(context.Background())
		if err != nil || rec == nil || rec.Finished {
			t.Fatalf("Recover: %v %v, want it undone", rec, err)
		}
		m.checkUndone(before)
	})
}
