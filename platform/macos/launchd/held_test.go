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
