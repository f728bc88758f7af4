package systemd

import (
	"strings"
	"testing"

	"github.com/gocfg/gocfg/internal/testfs"
	"github.com/gocfg/gocfg/platform/system"
	"github.com/gocfg/gocfg/platform/systemd/unit"
)

// TestUserUnitHeldByLease: a write lease on a user's unit file (any owner
// may take one) holds her units, and the held conflict names the unit,
// not a unit with no name (tester AB saw unit:user:mallory: in status),
// and says how to go on.
func TestUserUnitHeldByLease(t *testing.T) {
	r := newRig(t)
	cfg := func(cmd string) *Config {
		return userConfig(map[string]unit.Service{"a": service(cmd)}, nil)
	}
	r.Switch(cfg("/bin/sleep 300"))
	testfs.Lease(t, r.unitPath("a.service"))
	p, _ := r.Plan(cfg("/bin/sleep 301"))
	if len(p.Conflicts) != 1 {
		t.Fatalf("conflicts %+v, want one: a.service's file leased", p.Conflicts)
	}
	c := p.Conflicts[0]
	if want := (&Unit{Scope: "user", User: "root", Name: "a.service"}).ID(); c.ID != want || !c.Held || !strings.Contains(c.Problem, "lease") ||
		len(c.Remedies) != 1 || c.Remedies[0].Text != system.LeasedHint {
		t.Errorf("conflict %+v, want %s held, its owner's lease said, with the hint to let it go", c, want)
	}
	for _, ch := range p.Changes {
		t.Errorf("held plan changes %s", ch.ID)
	}
}
