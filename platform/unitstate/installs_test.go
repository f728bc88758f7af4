package unitstate_test

import (
	"context"
	"strings"
	"testing"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/unitstate"
)

// TestUnitFromPackagesInstalled: a unit that is not on the machine but
// may come with the packages the same plan installs is planned to be
// enabled and started (after them), instead of failing the plan; the op
// reloads the manager once the packages brought the unit, and fails if
// they did not. Without packages to install, the unit is an error.
func TestUnitFromPackagesInstalled(t *testing.T) {
	ctx := context.Background()
	s, m := newLive(t)
	cfg := &unitstate.Config{Units: map[string]unitstate.Unit{"NetworkManager.service": unit(true)}}
	p := &unitstate.Provider{Machine: m, Config: cfg}

	if _, err := p.Plan(ctx, nil); err == nil || !strings.Contains(err.Error(), "there is no unit NetworkManager.service") {
		t.Fatalf("no packages to install: %v", err)
	}
	part, err := p.PlanWith(ctx, nil, platform.Facts{Installs: []string{"network-manager"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(part.Changes) != 1 {
		t.Fatalf("changes: %+v", part.Changes)
	}
	c := part.Changes[0]
	if got := c.Before + " → " + c.After; got != "not installed → enabled, active" || !strings.Contains(c.Note, "network-manager") {
		t.Errorf("change %q (%s)", got, c.Note)
	}
	if len(c.Deps) != 1 || c.Deps[0] != "packages:install" {
		t.Errorf("deps %q: it must wait for the packages", c.Deps)
	}
	js, _ := json.Marshal(part.Records)
	if !strings.Contains(string(js), `"original":{"enabled":false,"active":false}`) {
		t.Errorf("records %s: the state before gocfg is off", js)
	}
	op := c.Ops[len(c.Ops)-1]
	// The packages did not bring it: a clear error.
	if err := op.Apply(ctx, s); err == nil || !strings.Contains(err.Error(), "did not bring it") {
		t.Errorf("unit still missing: %v", err)
	}
	// They did (the manager learns it at its reload).
	s.u.enabled["NetworkManager.service"] = false
	s.u.jobs = nil
	if err := op.Apply(ctx, s); err != nil {
		t.Fatal(err)
	}
	if !s.u.enabled["NetworkManager.service"] || !s.u.active["NetworkManager.service"] {
		t.Errorf("not enabled and started: %v", s.u.jobs)
	}
	if err := op.Undo(ctx, s); err != nil {
		t.Fatal(err)
	}
	if s.u.enabled["NetworkManager.service"] || s.u.active["NetworkManager.service"] {
		t.Errorf("undo left it enabled or active: %v", s.u.jobs)
	}
}
