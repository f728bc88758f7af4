package launchd_test

import (
	"testing"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/internal/providertest"
)

// TestHeldAgents: a switch that holds alice (machine.Switch.Hold: a
// step in her home failed) leaves her agent as it is, plist and loaded
// job, and records it unchanged, its stored plist carried into the new
// generation (a rollback to that generation and back finds it); the
// daemons switch. The next switch without the hold updates her agent.
// Before, the agent was planned and changed in a held home.
func TestHeldAgents(t *testing.T) {
	r := newRig(t, "root")
	cfg1 := config(t, map[string]any{agentLabel: job("/usr/local/bin/sync")}, map[string]any{daemonLabel: job("/usr/local/bin/backup")})
	r.Switch(cfg1)
	agent1 := r.read(agentPath)
	daemon1 := r.read(daemonPath)
	r.commands(true)

	cfg2 := config(t, map[string]any{agentLabel: job("/usr/local/bin/sync", "--v2")}, map[string]any{daemonLabel: job("/usr/local/bin/backup", "--v2")})
	r.hold = map[string]string{"alice": "a step in her home failed"}
	p := r.Switch(cfg2)
	for _, c := range p.Changes {
		if c.ID == agentID {
			t.Errorf("a held user's agent was planned: %s %q", c.Action, c.After)
		}
	}
	if c := providertest.Change(t, p, daemonID); c.Action != platform.Update {
		t.Errorf("daemon: %s %q, want an update", c.Action, c.After)
	}
	if r.read(agentPath) != agent1 || r.read(daemonPath) == daemon1 {
		t.Errorf("after the held switch: agent plist unchanged %v (want true), daemon plist unchanged %v (want false)", r.read(agentPath) == agent1, r.read(daemonPath) == daemon1)
	}
	got := r.commands(false)
	providertest.EqualLines(t, "commands", got, []string{
		"[root] /bin/launchctl bootout system/" + daemonLabel,
		"[root] /bin/launchctl bootstrap system " + daemonPath,
	})

	// Generation 2 holds her agent as generation 1 made it.
	r.hold = nil
	r.Rollback(1)
	r.Rollback(2)
	if r.read(agentPath) != agent1 {
		t.Errorf("after a rollback to the held generation: the agent plist is not generation 1's")
	}
	p = r.Switch(cfg2)
	if c := providertest.Change(t, p, agentID); c.Action != platform.Update {
		t.Errorf("agent after the hold: %s %q, want an update", c.Action, c.After)
	}
	if r.read(agentPath) == agent1 {
		t.Error("the agent plist was not updated once the hold was gone")
	}
}

// TestHeldAgentsByConflict: a plist gocfg did not write in the way of
// one of alice's agents holds her agents; the change her other agent
// would have had is shown as waiting (Plan.Held), not made (tester R:
// only the files provider's held changes were shown).
func TestHeldAgentsByConflict(t *testing.T) {
	r := newRig(t, "root")
	other := config(t, map[string]any{"org.example.other": job("/usr/local/bin/other")}, nil)
	cfg := config(t, map[string]any{agentLabel: job("/usr/local/bin/sync"), "org.example.other": job("/usr/local/bin/other", "--v2")}, nil)
	// A plist of alice's own at sync's path.
	r.write(agentPath, string(other.Agents[0].Plist)+"<!-- mine -->\n")
	p, _ := r.Plan(cfg)
	if len(p.Conflicts) != 1 || !p.Conflicts[0].Held || p.Conflicts[0].ID != agentID {
		t.Fatalf("conflicts %+v, want sync's plist in the way, held", p.Conflicts)
	}
	if len(p.Changes) != 0 {
		t.Errorf("changes in a held home: %+v", p.Changes)
	}
	if len(p.Held) != 1 || p.Held[0].ID != "launchd:agent:alice:org.example.other" || p.Held[0].Action != platform.Create {
		t.Errorf("held %+v, want other's creation", p.Held)
	}
}
