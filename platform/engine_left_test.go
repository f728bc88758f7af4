package platform_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/internal/providertest"
	"github.com/gocfg/gocfg/platform/system"
)

// stuckOp is a step whose Apply does nothing and whose Undo fails
// (something its user put in the way), or (Fail) whose Apply fails and
// whose Undo has nothing to do.
type stuckOp struct {
	Fail bool `json:"fail"`
	// Outside: the undo meets a folder on its way that became a link
	// (the confined walk's refusal).
	Outside bool `json:"outside,omitempty"`
	// Account: the undo is of a unit an ordinary account can make fail
	// (platform.ErrAccountUnit).
	Account bool `json:"account,omitempty"`
}

func init() { platform.RegisterOp("test.stuck", func() platform.Op { return &stuckOp{} }) }

func (o *stuckOp) Describe() string { return "stuck" }

func (o *stuckOp) Apply(context.Context, system.System) error {
	if o.Fail {
		return errors.New("in the way")
	}
	return nil
}

func (o *stuckOp) Undo(context.Context, system.System) error {
	if o.Fail {
		return nil
	}
	if o.Outside {
		return fmt.Errorf("symlink /srv/app/conf/tok: %w", system.ErrOutside)
	}
	if o.Account {
		return fmt.Errorf("unit her.service: reload failed (%w)", platform.ErrAccountUnit)
	}
	return errors.New("the path is taken")
}

// stuckPlan is a plan whose first step, of resource first, cannot be
// undone, and whose second step, in alice's home, fails.
func stuckPlan(first string, outside, account bool) *platform.Plan {
	return &platform.Plan{Changes: []platform.Change{
		{ID: first, Kind: "file", Action: platform.Create, Ops: []platform.Op{&stuckOp{Outside: outside, Account: account}}},
		{ID: "file:~alice/.y", Kind: "file", Action: platform.Create, Ops: []platform.Op{&stuckOp{Fail: true}}},
	}}
}

// TestSwitchUndoLeftInHome: an undo step that fails in a user's home,
// or anywhere on a folder another account swapped for a link (the
// confined walk's refusal; tester X: a system secret's link in a
// service account's folder kept the journal, and every later command
// failed), is left (ApplyError.Left) and does not keep the journal, in a
// switch that fails and in the recovery of one that was killed; one
// elsewhere keeps it (UndoErrs), as before. So is the undo of a system
// unit that runs as an ordinary account (tester AC: its reload failed
// again in every recovery, and no switch nor rollback could run).
func TestSwitchUndoLeftInHome(t *testing.T) {
	for _, tc := range []struct {
		first            string
		outside, account bool
		left             bool
	}{
		{"file:~alice/.x", false, false, true},
		{"unit:user:alice:a.service", false, false, true},
		{"file:/etc/x", false, false, false},
		{"secret:tok", true, false, true},
		{"units:system:checkpoint", false, true, true},
		{"units:system:checkpoint", false, false, false},
	} {
		m := newMachine(t)
		_, err := m.engine().Switch(t.Context(), m.Sw.SwitchNext(stuckPlan(tc.first, tc.outside, tc.account)))
		var ae *platform.ApplyError
		if !errors.As(err, &ae) {
			t.Fatalf("%s: Switch: %v, want an *ApplyError", tc.first, err)
		}
		pending, _ := m.engine().Pending()
		if tc.left {
			if len(ae.Left) != 1 || len(ae.UndoErrs) != 0 || pending || !strings.Contains(err.Error(), "1 step(s) in users' homes, in folders other accounts may change or on units they run could not be undone and were left as they are") {
				t.Errorf("%s: Left %v, UndoErrs %v, journal kept %v, error %q; want the step left, and no journal", tc.first, ae.Left, ae.UndoErrs, pending, err)
			}
			var le *platform.LeftError
			if !errors.As(ae.Left[0], &le) || le.ID != tc.first {
				t.Errorf("%s: Left[0] = %#v", tc.first, ae.Left[0])
			}
		} else if len(ae.Left) != 0 || len(ae.UndoErrs) != 1 || !pending {
			t.Errorf("%s: Left %v, UndoErrs %v, journal kept %v; want the journal kept", tc.first, ae.Left, ae.UndoErrs, pending)
		}

		m = newMachine(t)
		providertest.KillAt(t, m.engine(), m.Sw.SwitchNext(stuckPlan(tc.first, tc.outside, tc.account)), "op-2")
		rec, err := m.engine().Recover(t.Context())
		pending, _ = m.engine().Pending()
		switch {
		case tc.left && (err != nil || rec == nil || len(rec.Left) != 1 || pending || !strings.Contains(rec.String(), "left as they are")):
			t.Errorf("%s: Recover: %v, %v, journal kept %v; want the step left and no journal", tc.first, rec, err, pending)
		case !tc.left && (err == nil || !pending):
			t.Errorf("%s: Recover: %v, %v, journal kept %v; want an error, and the journal kept", tc.first, rec, err, pending)
		}
	}
}
