package launchd_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/internal/treesnap"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/internal/providertest"
	"github.com/gocfg/gocfg/platform/macos/launchd"
)

// undoRig is generation 1 with two daemons (and no LaunchAgents folder),
// and the configuration of a switch that uses every op: one daemon
// dropped (bootout, remove), the other changed (bootout, write over the
// previous plist, bootstrap), an agent added (mkdir, write, bootstrap).
func undoRig(t *testing.T) (*rig, *launchd.Config) {
	r := newRig(t, "root")
	r.Switch(config(t, nil, map[string]any{daemonLabel: job("/usr/local/bin/backup"), "org.example.old": job("/usr/local/bin/old")}))
	cfg := config(t, map[string]any{agentLabel: job("/usr/local/bin/sync")}, map[string]any{daemonLabel: job("/usr/local/bin/backup", "--v2")})
	return r, cfg
}

// machine is everything a switch may touch: the files (with modes and
// owners) and the fake launchd's state, without the state folder and the
// command log.
func (r *rig) machine() treesnap.Snapshot {
	return treesnap.Take(r.t, r.root, "/", stateDir, "/.macfake/commands.log")
}

// TestKilledAndRecovered stops the switch at every step, as a kill would,
// and checks that recovery (the Undo of every op that ran, and of the one
// that may have started, each decoded from the journal) leaves the
// machine exactly as it was.
func TestKilledAndRecovered(t *testing.T) {
	r, cfg := undoRig(t)
	before := r.machine()
	p, _ := r.Plan(cfg)
	var types []string
	for _, c := range p.Changes {
		for _, op := range c.Ops {
			types = append(types, platform.OpName(op))
		}
	}
	want := "launchd.bootout file.remove dir.make file.write launchd.bootstrap launchd.bootout file.write launchd.bootstrap"
	if got := strings.Join(types, " "); got != want {
		t.Fatalf("ops %s\nwant %s", got, want)
	}
	points := []string{}
	for k := 1; k <= len(types); k++ {
		points = append(points, fmt.Sprintf("op-%d", k))
	}
	points = append(points, "applied")
	for _, point := range points {
		t.Run(point, func(t *testing.T) {
			_, sw := r.Plan(cfg)
			providertest.KillAt(t, r.engine(), sw, point)
			providertest.WantUndone(t, r.engine())
			if d := treesnap.Diff(before, r.machine()); d != "" {
				t.Errorf("after the recovery the machine differs:\n%s", d)
			}
			if r.current() != 1 {
				t.Errorf("current generation %d, want 1", r.current())
			}
		})
	}
	r.Switch(cfg)
	r.WantEmptyPlan(cfg)
}

// TestFailedSwitchUndoes: the agent's bootstrap fails (alice logged out
// between plan and switch); the switch is undone, every daemon is back
// as it was and loaded.
func TestFailedSwitchUndoes(t *testing.T) {
	r, cfg := undoRig(t)
	_, sw := r.Plan(cfg)
	if err := r.fake.SetGUISession(501, false); err != nil {
		t.Fatal(err)
	}
	before := r.machine() // the session is part of the fake's state
	err := r.apply(sw)
	var ae *platform.ApplyError
	if !errors.As(err, &ae) || len(ae.UndoErrs) > 0 || !strings.Contains(err.Error(), "launchctl bootstrap gui/501") {
		t.Fatalf("switch: %v, want an undone *platform.ApplyError about the bootstrap", err)
	}
	t.Logf("the error:\n%v", err)
	if d := treesnap.Diff(before, r.machine()); d != "" {
		t.Errorf("after the undo the machine differs:\n%s", d)
	}
	if jobs := r.jobs("system"); len(jobs) != 2 {
		t.Errorf("system jobs after the undo: %v", jobs)
	}
}
