package unitstate_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/system"
	"github.com/gocfg/gocfg/platform/unitstate"
)

// fakeUnits is a running manager with one unit file state and active
// state per unit, that records the jobs it runs.
type fakeUnits struct {
	enabled, active map[string]bool
	// skipped: a start is skipped, a fixed condition of the unit not met
	// (UnitState.SkippedForGood).
	skipped map[string]bool
	started map[string]bool
	jobs    []string
}

func (f *fakeUnits) DaemonReload(context.Context) error {
	f.jobs = append(f.jobs, "daemon-reload")
	return nil
}
func (f *fakeUnits) Enable(_ context.Context, n []string) error {
	f.jobs = append(f.jobs, "enable "+n[0])
	f.enabled[n[0]] = true
	return nil
}
func (f *fakeUnits) Disable(_ context.Context, n []string) error {
	f.jobs = append(f.jobs, "disable "+n[0])
	f.enabled[n[0]] = false
	return nil
}
func (f *fakeUnits) Start(_ context.Context, n string) error {
	f.jobs = append(f.jobs, "start "+n)
	if f.started == nil {
		f.started = map[string]bool{}
	}
	f.started[n] = true
	f.active[n] = !f.skipped[n]
	return nil
}
func (f *fakeUnits) Stop(_ context.Context, n string) error {
	f.jobs = append(f.jobs, "stop "+n)
	f.active[n] = false
	return nil
}
func (f *fakeUnits) Restart(context.Context, string) error     { return errors.New("unexpected restart") }
func (f *fakeUnits) Reload(context.Context, string) error      { return errors.New("unexpected reload") }
func (f *fakeUnits) ResetFailed(context.Context, string) error { return nil }
func (f *fakeUnits) Journal(context.Context, string, int) string {
	return ""
}
func (f *fakeUnits) Close() error { return nil }
func (f *fakeUnits) State(_ context.Context, n string) (system.UnitState, error) {
	en, ok := f.enabled[n]
	if !ok {
		return system.UnitState{LoadState: "not-found", ActiveState: "inactive"}, nil
	}
	st := system.UnitState{LoadState: "loaded", ActiveState: "inactive", UnitFileState: "disabled"}
	if en {
		st.UnitFileState = "enabled"
	}
	if f.active[n] {
		st.ActiveState = "active"
	}
	st.SkippedForGood = f.skipped[n] && f.started[n]
	return st, nil
}

// liveSys is a System whose system manager is a fakeUnits.
type liveSys struct {
	system.System
	u *fakeUnits
}

func (s liveSys) Units(context.Context, system.UnitScope) (system.Units, error) { return s.u, nil }

func newLive(t *testing.T) (liveSys, *machine.Machine) {
	u := &fakeUnits{enabled: map[string]bool{"cron.service": false, "ssh.service": true}, active: map[string]bool{"ssh.service": true}}
	s := liveSys{System: system.NewRooted(t.TempDir(), system.NewReal()), u: u}
	return s, &machine.Machine{Sys: s, Privileged: true, OS: "linux"}
}

func TestLivePlan(t *testing.T) {
	ctx := context.Background()
	s, m := newLive(t)
	cfg := &unitstate.Config{Units: map[string]unitstate.Unit{"cron.service": unit(true), "ssh.service": unit(false)}}
	part, err := (&unitstate.Provider{Machine: m, Config: cfg}).Plan(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"unitstate:cron.service": "disabled, inactive → enabled, active",
		"unitstate:ssh.service":  "enabled, active → disabled, inactive",
	}
	for _, c := range part.Changes {
		if got := c.Before + " → " + c.After; got != want[c.ID] {
			t.Errorf("%s: %q, want %q", c.ID, got, want[c.ID])
		}
		if c.AfterFlip != (c.ID == "unitstate:cron.service") {
			t.Errorf("%s: AfterFlip %v", c.ID, c.AfterFlip)
		}
		for _, op := range c.Ops {
			if err := op.Apply(ctx, s); err != nil {
				t.Fatal(err)
			}
		}
	}
	if !s.u.enabled["cron.service"] || !s.u.active["cron.service"] || s.u.enabled["ssh.service"] || s.u.active["ssh.service"] {
		t.Errorf("after the apply: %+v", s.u)
	}
	if got := records(t, part); got != `{"units":{"cron.service":{"enable":true,"original":{"enabled":false,"active":false}},"ssh.service":{"enable":false,"original":{"enabled":true,"active":true}}}}` {
		t.Errorf("records %s", got)
	}
	// Again: nothing.
	again, err := (&unitstate.Provider{Machine: m, Config: cfg}).Plan(ctx, json.RawMessage(records(t, part)))
	if err != nil || len(again.Changes) != 0 {
		t.Fatalf("second plan: %+v, %v", again, err)
	}
	// Removed: each is as before.
	back, err := (&unitstate.Provider{Machine: m, Config: &unitstate.Config{}}).Plan(ctx, json.RawMessage(records(t, part)))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range back.Changes {
		for _, op := range c.Ops {
			if err := op.Apply(ctx, s); err != nil {
				t.Fatal(err)
			}
		}
	}
	if s.u.enabled["cron.service"] || s.u.active["cron.service"] || !s.u.enabled["ssh.service"] || !s.u.active["ssh.service"] {
		t.Errorf("after the removal: %+v", s.u)
	}
}

func TestSetOp(t *testing.T) {
	ctx := context.Background()
	s, _ := newLive(t)
	yes, no := true, false
	op := &unitstate.SetOp{Unit: "cron.service", Enable: &yes, Active: &yes, WasEnabled: &no, WasActive: &no}
	// Undo before Apply changes nothing.
	if err := op.Undo(ctx, s); err != nil || len(s.u.jobs) != 0 {
		t.Fatalf("undo before apply: %v, %q", err, s.u.jobs)
	}
	if err := op.Apply(ctx, s); err != nil || !s.u.enabled["cron.service"] || !s.u.active["cron.service"] {
		t.Fatalf("apply: %v, %+v", err, s.u)
	}
	if err := op.Undo(ctx, s); err != nil || s.u.enabled["cron.service"] || s.u.active["cron.service"] {
		t.Fatalf("undo: %v, %+v", err, s.u)
	}
	// Stopped by hand after the apply: the undo still disables it, and
	// starts nothing.
	if err := op.Apply(ctx, s); err != nil {
		t.Fatal(err)
	}
	s.u.active["cron.service"] = false
	s.u.jobs = nil
	if err := op.Undo(ctx, s); err != nil || s.u.enabled["cron.service"] || s.u.active["cron.service"] {
		t.Errorf("undo after a hand stop: %v, %+v, %q", err, s.u, s.u.jobs)
	}
	// Changed by hand between plan and apply: refused, nothing done.
	s.u.jobs = nil
	op2 := &unitstate.SetOp{Unit: "ssh.service", Enable: &no, Active: &no, WasEnabled: &no, WasActive: &no}
	if err := op2.Apply(ctx, s); !errors.Is(err, platform.ErrUnchanged) || len(s.u.jobs) != 0 {
		t.Errorf("apply over a hand change: %v, %q", err, s.u.jobs)
	}
	// Through the journal's encoding.
	data, _ := json.Marshal(op)
	var back unitstate.SetOp
	if err := json.Unmarshal(data, &back); err != nil || *back.Enable != true || *back.WasActive != false || back.Unit != "cron.service" {
		t.Errorf("round trip: %s, %+v, %v", data, back, err)
	}
}

func TestLinkOp(t *testing.T) {
	ctx := context.Background()
	tr := newTree(t)
	op := &unitstate.LinkOp{Unit: "boot-check.service", Path: "/" + bootLink, Target: "/lib/systemd/system/boot-check.service"}
	if err := op.Undo(ctx, tr.sys); err != nil || tr.linked(bootLink) {
		t.Fatalf("undo before apply: %v", err)
	}
	if err := op.Apply(ctx, tr.sys); err != nil || !tr.linked(bootLink) {
		t.Fatalf("apply: %v", err)
	}
	if err := op.Undo(ctx, tr.sys); err != nil || tr.linked(bootLink) || tr.linked(filepath.Dir(bootLink)) {
		t.Fatalf("undo: %v", err)
	}
	// A file in the way: refused and left.
	tr.write(bootLink, "mine")
	if err := op.Apply(ctx, tr.sys); !errors.Is(err, platform.ErrUnchanged) {
		t.Errorf("apply over a file: %v", err)
	}
	if err := op.Undo(ctx, tr.sys); err != nil || !tr.linked(bootLink) {
		t.Errorf("undo left the file? %v", err)
	}
	if err := os.Remove(filepath.Join(tr.root, bootLink)); err != nil {
		t.Fatal(err)
	}
	// Removing a link, and undoing that.
	if err := op.Apply(ctx, tr.sys); err != nil {
		t.Fatal(err)
	}
	rm := &unitstate.LinkOp{Unit: op.Unit, Path: op.Path, Target: op.Target, Remove: true}
	if err := rm.Apply(ctx, tr.sys); err != nil || tr.linked(bootLink) {
		t.Fatalf("remove: %v", err)
	}
	if err := rm.Undo(ctx, tr.sys); err != nil || !tr.linked(bootLink) {
		t.Fatalf("undo the removal: %v", err)
	}
	// Never a path outside the wants folders.
	bad := &unitstate.LinkOp{Unit: "x.service", Path: "/etc/passwd", Target: "/dev/null"}
	if err := bad.Apply(ctx, tr.sys); err == nil {
		t.Error("a link at /etc/passwd was accepted")
	}
}

func TestDecodeRecords(t *testing.T) {
	for _, bad := range []string{
		`{"units":{"x":{}}}`,
		`{"units":{"x.service":null}}`,
		`{"units":{"x.service":{"links":["/etc/passwd"]}}}`,
		`{"units":{"x.service":{"links":["/etc/systemd/system/a.wants/../../x.service"]}}}`,
	} {
		if _, err := unitstate.DecodeRecords(json.RawMessage(bad)); err == nil {
			t.Errorf("%s was accepted", bad)
		}
	}
}

// TestLivePlanConditionSkipped: a unit whose start systemd skips, a
// condition of it not met (systemd-timesyncd's
// ConditionVirtualization=!container in a container), is as wanted once
// started: the next switch starts it no more, and removing its entry
// puts back its state before gocfg instead of leaving it as changed by
// hand.
func TestLivePlanConditionSkipped(t *testing.T) {
	ctx := context.Background()
	s, m := newLive(t)
	s.u.skipped = map[string]bool{"cron.service": true}
	cfg := &unitstate.Config{Units: map[string]unitstate.Unit{"cron.service": unit(true)}}
	apply := func(part *platform.Part) {
		t.Helper()
		for _, c := range part.Changes {
			for _, op := range c.Ops {
				if err := op.Apply(ctx, s); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	part, err := (&unitstate.Provider{Machine: m, Config: cfg}).Plan(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	apply(part)
	if !s.u.enabled["cron.service"] || s.u.active["cron.service"] || !slices.Contains(s.u.jobs, "start cron.service") {
		t.Fatalf("after the first switch: %+v", s.u)
	}
	again, err := (&unitstate.Provider{Machine: m, Config: cfg}).Plan(ctx, json.RawMessage(records(t, part)))
	if err != nil || len(again.Changes) != 0 {
		t.Fatalf("second plan: %+v, %v", again.Changes, err)
	}
	back, err := (&unitstate.Provider{Machine: m, Config: &unitstate.Config{}}).Plan(ctx, json.RawMessage(records(t, part)))
	if err != nil || len(back.Warnings) != 0 {
		t.Fatalf("removal: %+v, %v", back.Warnings, err)
	}
	s.u.jobs = nil
	apply(back)
	if s.u.enabled["cron.service"] || !slices.Contains(s.u.jobs, "disable cron.service") || slices.Contains(s.u.jobs, "stop cron.service") {
		t.Errorf("after the removal: %+v", s.u)
	}
}
