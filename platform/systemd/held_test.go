package systemd

import (
	"os"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/internal/testfs"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/systemd/unit"
)

// TestUserUnitsHeld: a switch that holds the user (machine.Switch.Hold,
// after a step in her home failed) changes none of her units, and
// carries their records and stored unit files into the new generation:
// the next switch updates them, and a rollback to the held generation
// puts back what it records.
func TestUserUnitsHeld(t *testing.T) {
	r, _ := runningRig(t)
	s2 := service("/bin/sleep 301")
	r.Rig.Layout = func(to int) *machine.Machine {
		m := r.layout(to)
		m.Switch.Hold = map[string]string{"root": "a step in ~root failed"}
		return m
	}
	p, sw := r.Plan(svcConfig(s2))
	for _, ch := range p.Changes {
		if u, ok := platform.HomeOf(ch.ID); ok && u == "root" {
			t.Errorf("held plan changes %s", ch.ID)
		}
	}
	if err := r.apply(sw); err != nil {
		t.Fatal(err)
	}
	held := r.current()
	if got := r.state("svc.service").ExecStart; !strings.Contains(got, "sleep 300") {
		t.Fatalf("held: ExecStart %s", got)
	}
	r.Rig.Layout = r.layout
	r.Switch(svcConfig(s2))
	if got := r.state("svc.service").ExecStart; !strings.Contains(got, "sleep 301") {
		t.Fatalf("after the hold: ExecStart %s", got)
	}
	r.Rollback(held)
	if got := r.readUnit("svc.service"); !strings.Contains(got, "sleep 300") {
		t.Errorf("after a rollback to the held generation the unit file is\n%s", got)
	}
}

// TestUserUnitsHeldByConflict: an unmanaged file in the way of a user's
// unit holds her units (a held conflict, none of her units changes),
// as a file in the way holds her files; with --fail-fast it does not.
func TestUserUnitsHeldByConflict(t *testing.T) {
	r := newRig(t)
	if err := os.MkdirAll(r.mgr.UnitDir(), 0o755); err != nil {
		t.Fatal(err)
	}
	testfs.Write(t, r.unitPath("b.service"), "[Service]\nExecStart=/bin/true\n")
	cfg := userConfig(map[string]unit.Service{"a": service("/bin/sleep 300"), "b": service("/bin/sleep 300")}, nil)
	p, _ := r.Plan(cfg)
	if len(p.Conflicts) != 1 || !p.Conflicts[0].Held || p.Conflicts[0].Path != r.unitPath("b.service") {
		t.Fatalf("conflicts %+v, want b's file in the way, held", p.Conflicts)
	}
	for _, ch := range p.Changes {
		t.Errorf("held plan changes %s", ch.ID)
	}
	// What waits is shown (tester R: only files' held changes were).
	var held []string
	for _, ch := range p.Held {
		held = append(held, ch.ID)
	}
	if len(held) != 1 || !strings.Contains(held[0], "a.service") {
		t.Errorf("held changes %v, want a.service's", held)
	}
	r.Rig.Layout = func(to int) *machine.Machine {
		m := r.layout(to)
		m.Switch.FailFast = true
		return m
	}
	p, _ = r.Plan(cfg)
	if len(p.Conflicts) != 1 || p.Conflicts[0].Held {
		t.Fatalf("--fail-fast: conflicts %+v, want b's file in the way, not held", p.Conflicts)
	}
	if len(p.Changes) == 0 {
		t.Error("--fail-fast: the plan has no changes for a")
	}
}

// TestUserUnitsHeldWhenDropped: a user whose units all go from the
// configuration (her home dropped with her account), held (her manager
// down, or Switch.Hold), has them carried into the new generation; the
// generation had no store area for them, and every switch failed to
// write it, "no store area for files root systemd/user/<name>" (tester
// W).
func TestUserUnitsHeldWhenDropped(t *testing.T) {
	r, _ := runningRig(t)
	r.Rig.Layout = func(to int) *machine.Machine {
		m := r.layout(to)
		m.Switch.Hold = map[string]string{"root": "her manager cannot be reached"}
		return m
	}
	p, sw := r.Plan(&Config{})
	for _, ch := range p.Changes {
		t.Errorf("held plan changes %s", ch.ID)
	}
	if err := r.apply(sw); err != nil {
		t.Fatalf("apply: %v", err)
	}
	if got := r.readUnit("svc.service"); !strings.Contains(got, "sleep 300") {
		t.Errorf("the held unit file is\n%s", got)
	}
	r.Rig.Layout = r.layout
	r.Switch(&Config{})
	if _, err := os.Lstat(r.unitPath("svc.service")); err == nil {
		t.Error("the unit is still there once its user is not held")
	}
}
