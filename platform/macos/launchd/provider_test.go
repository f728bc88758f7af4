package launchd_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/internal/providertest"
	"github.com/gocfg/gocfg/platform/macos/launchd"
)

// TestSwitch: an agent and a daemon are written as real files with their
// owners, stored in the generation, and loaded into their domains; the
// next plan is empty.
func TestSwitch(t *testing.T) {
	r := newRig(t, "root")
	cfg := config(t, map[string]any{agentLabel: job("/usr/local/bin/sync", "--quiet")},
		map[string]any{daemonLabel: job("/usr/local/bin/backup")})
	p := r.Switch(cfg)
	checkSwitchPlan(t, r, p)
	checkSwitchFiles(t, r)
	checkSwitchLoaded(t, r)
	r.commands(true)
	r.WantEmptyPlan(cfg)
	// Planning only reads.
	for _, c := range r.commands(true) {
		if !strings.Contains(c, "launchctl print") {
			t.Errorf("a plan ran %s", c)
		}
	}
}

// checkSwitchPlan checks TestSwitch's plan lines and the launchctl
// commands its switch ran.
func checkSwitchPlan(t *testing.T, r *rig, p *platform.Plan) {
	if c := providertest.Change(t, p, agentID); c.Action != platform.Create || c.After != "plist; load" {
		t.Errorf("agent: %s %q, want create %q", c.Action, c.After, "plist; load")
	}
	if c := providertest.Change(t, p, daemonID); c.Action != platform.Create || c.After != "plist; load" {
		t.Errorf("daemon: %s %q, want create %q", c.Action, c.After, "plist; load")
	}
	got := r.commands(false)
	want := []string{
		"[root] /bin/launchctl bootstrap gui/501 " + agentPath,
		"[root] /bin/launchctl bootstrap system " + daemonPath,
	}
	providertest.EqualLines(t, "commands", got, want)
}

// checkSwitchFiles checks the plists TestSwitch wrote, their owners,
// and the generation's copies.
func checkSwitchFiles(t *testing.T, r *rig) {
	agent := decode(t, r.read(agentPath))
	if agent["Label"] != agentLabel || agent["RunAtLoad"] != true ||
		!slices.Equal(anyStrings(agent["ProgramArguments"]), []string{"/usr/local/bin/sync", "--quiet"}) {
		t.Errorf("agent plist: %v", agent)
	}
	if _, ok := agent["KeepAlive"]; ok {
		t.Errorf("agent plist has KeepAlive though keep_alive is unset: %v", agent)
	}
	if mode, uid, gid := r.owner(agentPath); mode != 0o644 || uid != 501 || gid != 20 {
		t.Errorf("agent plist: %v %d:%d, want -rw-r--r-- 501:20", mode, uid, gid)
	}
	if mode, uid, gid := r.owner("/Users/alice/Library/LaunchAgents"); !mode.IsDir() || uid != 501 || gid != 20 {
		t.Errorf("LaunchAgents: %v %d:%d, want a folder of 501:20", mode, uid, gid)
	}
	if mode, uid, gid := r.owner(daemonPath); mode != 0o644 || uid != 0 || gid != 0 {
		t.Errorf("daemon plist: %v %d:%d, want -rw-r--r-- 0:0", mode, uid, gid)
	}
	// The generation keeps the same bytes.
	if stored := r.read(r.store.FilePath(1, "launchd/agents/alice", agentLabel+".plist")); stored != r.read(agentPath) {
		t.Errorf("stored plist:\n%s\nwant the written one:\n%s", stored, r.read(agentPath))
	}
	if stored := r.read(r.store.FilePath(1, "launchd/daemons", daemonLabel+".plist")); stored != r.read(daemonPath) {
		t.Errorf("stored daemon plist differs from the written one")
	}
}

// checkSwitchLoaded checks the jobs TestSwitch loaded into their
// domains and the records it kept of them.
func checkSwitchLoaded(t *testing.T, r *rig) {
	if got := r.jobs("gui/501"); got[agentLabel] != agentPath || len(got) != 1 {
		t.Errorf("gui/501 jobs: %v", got)
	}
	if got := r.jobs("system"); got[daemonLabel] != daemonPath || len(got) != 1 {
		t.Errorf("system jobs: %v", got)
	}
	recs, err := launchd.DecodeRecords(r.applied(1)["launchd"])
	if err != nil || len(recs.Jobs) != 2 {
		t.Fatalf("records: %+v, %v", recs, err)
	}
	if a := recs.Jobs[0]; a.ID() != agentID || a.UID != 501 || a.Path != agentPath || a.FileUID != 501 || a.Domain() != "gui/501" {
		t.Errorf("agent record: %+v", a)
	}
	if d := recs.Jobs[1]; d.ID() != daemonID || d.Path != daemonPath || d.FileUID != 0 || d.Domain() != "system" {
		t.Errorf("daemon record: %+v", d)
	}
}

// TestChangeReloads: a changed job is unloaded, rewritten and loaded
// again; the unchanged one is left alone.
func TestChangeReloads(t *testing.T) {
	r := newRig(t, "root")
	r.Switch(config(t, map[string]any{agentLabel: job("/usr/local/bin/sync")}, map[string]any{daemonLabel: job("/usr/local/bin/backup")}))
	r.commands(true)

	cfg := config(t, map[string]any{agentLabel: job("/usr/local/bin/sync", "--all")}, map[string]any{daemonLabel: job("/usr/local/bin/backup")})
	p := r.Switch(cfg)
	if len(p.Changes) != 1 {
		t.Fatalf("changes:\n%s", planText(p))
	}
	if c := providertest.Change(t, p, agentID); c.Action != platform.Update || c.After != "plist changed; reload" || !strings.HasPrefix(c.Before, "plist ") {
		t.Errorf("agent: %s %q → %q, want update → %q", c.Action, c.Before, c.After, "plist changed; reload")
	}
	got := r.commands(false)
	want := []string{
		"[root] /bin/launchctl bootout gui/501/" + agentLabel,
		"[root] /bin/launchctl bootstrap gui/501 " + agentPath,
	}
	providertest.EqualLines(t, "commands", got, want)
	if args := anyStrings(decode(t, r.read(agentPath))["ProgramArguments"]); !slices.Equal(args, []string{"/usr/local/bin/sync", "--all"}) {
		t.Errorf("ProgramArguments %q", args)
	}
	if got := r.jobs("gui/501"); got[agentLabel] != agentPath {
		t.Errorf("gui/501 jobs: %v", got)
	}
	r.WantEmptyPlan(cfg)
}

// TestRemoval: a job dropped from the configuration is unloaded and its
// file removed; one changed by hand is left as it is, with a warning.
func TestRemoval(t *testing.T) {
	r := newRig(t, "root")
	r.Switch(config(t, map[string]any{agentLabel: job("/usr/local/bin/sync")}, map[string]any{daemonLabel: job("/usr/local/bin/backup")}))
	r.commands(true)
	edited := strings.Replace(r.read(daemonPath), "backup", "backup-by-hand", 1)
	r.write(daemonPath, edited)

	none := config(t, nil, nil)
	p, sw := r.Plan(none)
	if c := providertest.Change(t, p, agentID); c.Action != platform.Delete || c.After != "unload; remove the plist" {
		t.Errorf("agent: %s %q, want delete %q", c.Action, c.After, "unload; remove the plist")
	}
	if c := providertest.Change(t, p, daemonID); !c.Hidden || len(c.Ops) != 0 {
		t.Errorf("daemon changed by hand: %+v, want a hidden forget", c)
	}
	if len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0], daemonPath+": changed by hand") {
		t.Errorf("warnings %q", p.Warnings)
	}
	if err := r.apply(sw); err != nil {
		t.Fatal(err)
	}
	got := r.commands(false)
	if want := []string{"[root] /bin/launchctl bootout gui/501/" + agentLabel}; !slices.Equal(got, want) {
		t.Errorf("commands %q, want %q", got, want)
	}
	if r.read(agentPath) != "" {
		t.Error("the agent's plist is still there")
	}
	if len(r.jobs("gui/501")) != 0 {
		t.Errorf("gui/501 jobs: %v", r.jobs("gui/501"))
	}
	if r.read(daemonPath) != edited || r.jobs("system")[daemonLabel] != daemonPath {
		t.Error("the daemon changed by hand was touched")
	}
	if recs, _ := launchd.DecodeRecords(r.applied(2)["launchd"]); len(recs.Jobs) != 0 {
		t.Errorf("records after the removal: %+v", recs.Jobs)
	}
	r.WantEmptyPlan(none)
}

// TestRollback: generation 1 has an agent; generation 2 changes it and
// adds a daemon. Rolling back to 1 reloads generation 1's agent and
// removes the daemon; forward again restores 2.
func TestRollback(t *testing.T) {
	r := newRig(t, "root")
	cfg1 := config(t, map[string]any{agentLabel: job("/usr/local/bin/sync")}, nil)
	r.Switch(cfg1)
	agent1 := r.read(agentPath)
	cfg2 := config(t, map[string]any{agentLabel: job("/usr/local/bin/sync", "--v2")}, map[string]any{daemonLabel: job("/usr/local/bin/backup")})
	r.Switch(cfg2)
	agent2 := r.read(agentPath)
	r.commands(true)

	p := r.Rollback(1)
	if c := providertest.Change(t, p, agentID); c.Action != platform.Update || c.After != "plist changed; reload" {
		t.Errorf("agent: %s %q", c.Action, c.After)
	}
	if c := providertest.Change(t, p, daemonID); c.Action != platform.Delete {
		t.Errorf("daemon: %s %q", c.Action, c.After)
	}
	if r.current() != 1 || r.read(agentPath) != agent1 || r.read(daemonPath) != "" {
		t.Errorf("after the rollback: current %d, agent plist from generation 1 %v, daemon plist %q", r.current(), r.read(agentPath) == agent1, r.read(daemonPath))
	}
	got := r.commands(false)
	want := []string{
		"[root] /bin/launchctl bootout system/" + daemonLabel,
		"[root] /bin/launchctl bootout gui/501/" + agentLabel,
		"[root] /bin/launchctl bootstrap gui/501 " + agentPath,
	}
	providertest.EqualLines(t, "commands", got, want)
	if len(r.jobs("system")) != 0 || r.jobs("gui/501")[agentLabel] != agentPath {
		t.Errorf("loaded: system %v, gui/501 %v", r.jobs("system"), r.jobs("gui/501"))
	}
	r.WantEmptyPlan(cfg1)

	r.Rollback(2)
	if r.read(agentPath) != agent2 || r.jobs("system")[daemonLabel] != daemonPath {
		t.Errorf("forward to 2: agent plist from 2 %v, system jobs %v", r.read(agentPath) == agent2, r.jobs("system"))
	}
	r.WantEmptyPlan(cfg2)
}

func anyStrings(v any) []string {
	list, _ := v.([]any)
	out := make([]string, len(list))
	for i, e := range list {
		out[i], _ = e.(string)
	}
	return out
}
