package launchd_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/internal/providertest"
	"github.com/gocfg/gocfg/platform/macos/launchd"
	"github.com/gocfg/gocfg/platform/system"
)

// TestOffline: under --root the plists are written and removed with no
// command run at all, and the plan says so once.
func TestOffline(t *testing.T) {
	r := newRig(t, "root")
	r.offline = true
	cfg := config(t, map[string]any{agentLabel: job("/usr/local/bin/sync")}, map[string]any{daemonLabel: job("/usr/local/bin/backup")})
	p := r.Switch(cfg)
	if len(p.Notes) != 1 || !strings.Contains(p.Notes[0], "launchctl is not run") {
		t.Errorf("notes %q, want one saying launchctl is not run", p.Notes)
	}
	if c := providertest.Change(t, p, agentID); c.Action != platform.Create || c.After != "plist" || c.Note != "not loaded under --root" {
		t.Errorf("agent: %s %q (%q)", c.Action, c.After, c.Note)
	}
	if r.read(agentPath) != string(cfg.Agents[0].Plist) || r.read(daemonPath) != string(cfg.Daemons[0].Plist) {
		t.Error("the plists were not written")
	}
	r.WantEmptyPlan(cfg)
	r.Switch(config(t, nil, nil))
	if r.read(agentPath) != "" || r.read(daemonPath) != "" {
		t.Error("the plists were not removed")
	}
	if cmds := r.commands(true); len(cmds) != 0 {
		t.Errorf("commands run offline:\n%s", strings.Join(cmds, "\n"))
	}
}

// TestUnprivileged: gocfg run by alice manages her own agents in her
// own gui domain (no asuser wrap) and skips daemons with a note, keeping
// the records of the daemons a root run applied.
func TestUnprivileged(t *testing.T) {
	r := newRig(t, "alice")
	cfg := config(t, map[string]any{agentLabel: job("/usr/local/bin/sync")}, map[string]any{daemonLabel: job("/usr/local/bin/backup")})
	p := r.Switch(cfg)
	if len(p.Changes) != 1 || p.Changes[0].ID != agentID {
		t.Errorf("changes:\n%s\nwant only the agent", planText(p))
	}
	if len(p.Notes) != 1 || !strings.Contains(p.Notes[0], "macos.launchd.daemons: loading daemons needs root") {
		t.Errorf("notes %q", p.Notes)
	}
	want := []string{"[alice] /bin/launchctl bootstrap gui/501 " + agentPath}
	if got := r.commands(false); !slices.Equal(got, want) {
		t.Errorf("commands %q, want %q", got, want)
	}
	if r.jobs("gui/501")[agentLabel] != agentPath || r.read(daemonPath) != "" {
		t.Errorf("gui/501 %v, daemon plist %q", r.jobs("gui/501"), r.read(daemonPath))
	}
	r.WantEmptyPlan(cfg)

	// A daemon recorded by an earlier root run is kept in the records,
	// untouched.
	daemon := &launchd.Record{Kind: launchd.KindDaemon, Label: daemonLabel, Path: daemonPath, Root: "launchd/daemons", Rel: daemonLabel + ".plist", Hash: "x"}
	applied, _ := json.Marshal(&launchd.Records{Jobs: []*launchd.Record{daemon}})
	part, err := (&launchd.Provider{Machine: r.layout(9), Config: config(t, nil, nil)}).Plan(context.Background(), applied)
	if err != nil {
		t.Fatal(err)
	}
	recs := part.Records.(*launchd.Records)
	if len(part.Changes) != 0 || len(recs.Jobs) != 1 || recs.Jobs[0].ID() != daemonID {
		t.Errorf("changes %+v, records %+v; want none and the daemon kept", part.Changes, recs.Jobs)
	}
}

// TestOtherUsersAgentsSkipped: without root, the agents of another
// primary user are not touched.
func TestOtherUsersAgentsSkipped(t *testing.T) {
	r := newRig(t, "bob")
	p, _ := r.Plan(config(t, map[string]any{agentLabel: job("/usr/local/bin/sync")}, nil))
	if !p.Empty() || len(p.Notes) != 1 || !strings.Contains(p.Notes[0], "the agents of alice can be managed only by alice or root") {
		t.Errorf("plan:\n%s", planText(p))
	}
}

// TestNotLoggedIn: root cannot reach the gui domain of a user who is not
// logged in: the agent is written and launchd loads it at login.
func TestNotLoggedIn(t *testing.T) {
	r := newRig(t, "root")
	if err := r.fake.SetGUISession(501, false); err != nil {
		t.Fatal(err)
	}
	cfg := config(t, map[string]any{agentLabel: job("/usr/local/bin/sync")}, nil)
	p := r.Switch(cfg)
	if c := providertest.Change(t, p, agentID); c.After != "plist" || c.Note != "loads at alice's next login" {
		t.Errorf("agent: %s %q (%q)", c.Action, c.After, c.Note)
	}
	if len(p.Notes) != 1 || !strings.Contains(p.Notes[0], "alice is not logged in") {
		t.Errorf("notes %q", p.Notes)
	}
	if cmds := r.commands(false); len(cmds) != 0 || r.read(agentPath) == "" {
		t.Errorf("commands %q, plist written %v", cmds, r.read(agentPath) != "")
	}
	r.WantEmptyPlan(cfg)
	// At login launchd loads it; nothing to do then either.
	if err := r.fake.SetGUISession(501, true); err != nil {
		t.Fatal(err)
	}
	r.run("bootstrap", "gui/501", agentPath)
	r.WantEmptyPlan(cfg)
}

// TestUnknownPrimaryUser: agents for a user who does not exist are a
// configuration error naming macos.primary_user.
func TestUnknownPrimaryUser(t *testing.T) {
	r := newRig(t, "root")
	c, err := launchd.NewConfig("carol", map[string]any{agentLabel: job("/bin/true")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = (&launchd.Provider{Machine: r.layout(1), Config: c}).Plan(context.Background(), nil)
	var ce *platform.ConfigError
	if !asConfigError(err, &ce) || ce.Option != "macos.primary_user" || !strings.Contains(ce.Msg, "carol") {
		t.Errorf("error %v, want a ConfigError on macos.primary_user naming carol", err)
	}
}

// TestDryRun: under --dry-run the plan asks launchd through Query and
// is the plan of a real run; without Query it refuses.
func TestDryRun(t *testing.T) {
	r := newRig(t, "root")
	cfg := config(t, map[string]any{agentLabel: job("/usr/local/bin/sync")}, nil)
	r.Switch(cfg)
	r.run("bootout", "gui/501/"+agentLabel)
	l := r.layout(2)
	l.Sys, l.Query = system.NewDryRun(r.fake), r.fake
	part, err := (&launchd.Provider{Machine: l, Config: cfg}).Plan(context.Background(), r.applied(1)["launchd"])
	if err != nil || len(part.Changes) != 1 || part.Changes[0].After != "load" {
		t.Errorf("dry-run plan: %+v, %v; want the agent loaded again", part, err)
	}
	l.Query = nil
	if _, err := (&launchd.Provider{Machine: l, Config: cfg}).Plan(context.Background(), nil); err == nil || !strings.Contains(err.Error(), "Machine.Query") {
		t.Errorf("dry run without Query: %v", err)
	}
}
