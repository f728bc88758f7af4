package launchd_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/internal/providertest"
	"github.com/gocfg/gocfg/platform/macos/launchd"
)

// TestDecisions checks what a plan does with one agent for every
// combination of desired, recorded and live state (file and load state),
// then applies it and checks the machine and that the next plan is empty.
func TestDecisions(t *testing.T) {
	v1 := func(t *testing.T) *launchd.Config {
		return config(t, map[string]any{agentLabel: job("/usr/local/bin/sync")}, nil)
	}
	v2 := func(t *testing.T) *launchd.Config {
		return config(t, map[string]any{agentLabel: job("/usr/local/bin/sync", "--v2")}, nil)
	}
	none := func(t *testing.T) *launchd.Config { return config(t, nil, nil) }
	plistOf := func(t *testing.T, cfg func(*testing.T) *launchd.Config) string {
		return string(cfg(t).Agents[0].Plist)
	}
	tests := []struct {
		name    string
		managed bool // generation 1 applied v1 first
		setup   func(t *testing.T, r *rig)
		want    func(*testing.T) *launchd.Config
		// The change (action "" for none).
		action   platform.Action
		after    string
		drift    string
		note     string
		ops      []string
		conflict string
	}{
		{name: "new job is written and loaded", want: v1,
			action: platform.Create, after: "plist; load", ops: []string{"dir.make", "file.write", "launchd.bootstrap"}},
		{name: "the same plist unmanaged and not loaded is adopted and loaded", want: v1,
			setup:  func(t *testing.T, r *rig) { r.write(agentPath, plistOf(t, v1)) },
			action: platform.Update, after: "load", note: "adopted", ops: []string{"launchd.bootstrap"}},
		{name: "the same plist unmanaged and loaded is adopted", want: v1,
			setup: func(t *testing.T, r *rig) {
				r.write(agentPath, plistOf(t, v1))
				r.run("bootstrap", "gui/501", agentPath)
			},
			action: platform.Update, note: "adopted"},
		{name: "another plist unmanaged is a conflict", want: v1,
			setup:    func(t *testing.T, r *rig) { r.write(agentPath, plistOf(t, v2)) },
			conflict: "a plist gocfg did not write is in the way"},
		{name: "managed and unchanged: nothing", managed: true, want: v1},
		{name: "managed and changed: reloaded", managed: true, want: v2,
			action: platform.Update, after: "plist changed; reload", ops: []string{"launchd.bootout", "file.write", "launchd.bootstrap"}},
		{name: "managed and edited by hand is a conflict", managed: true, want: v1,
			setup:    func(t *testing.T, r *rig) { r.write(agentPath, plistOf(t, v1)+"<!-- mine -->\n") },
			conflict: "gocfg's plist was changed by hand"},
		{name: "managed, removed by hand and still loaded: written and reloaded", managed: true, want: v1,
			setup:  func(t *testing.T, r *rig) { remove(t, r, agentPath) },
			action: platform.Create, after: "plist; reload", drift: "removed by hand", ops: []string{"launchd.bootout", "file.write", "launchd.bootstrap"}},
		{name: "managed and booted out by hand: loaded", managed: true, want: v1,
			setup:  func(t *testing.T, r *rig) { r.run("bootout", "gui/501/"+agentLabel) },
			action: platform.Update, after: "load", drift: "not loaded", ops: []string{"launchd.bootstrap"}},
		{name: "managed, changed and not loaded: written and loaded", managed: true, want: v2,
			setup:  func(t *testing.T, r *rig) { r.run("bootout", "gui/501/"+agentLabel) },
			action: platform.Update, after: "plist changed; load", ops: []string{"file.write", "launchd.bootstrap"}},
		{name: "managed and already written as desired by hand: reloaded", managed: true, want: v2,
			setup:  func(t *testing.T, r *rig) { r.write(agentPath, plistOf(t, v2)) },
			action: platform.Update, after: "reload", note: "already as desired", ops: []string{"launchd.bootout", "launchd.bootstrap"}},
		{name: "dropped: unloaded and removed", managed: true, want: none,
			action: platform.Delete, after: "unload; remove the plist", ops: []string{"launchd.bootout", "file.remove"}},
		{name: "dropped and not loaded: removed", managed: true, want: none,
			setup:  func(t *testing.T, r *rig) { r.run("bootout", "gui/501/"+agentLabel) },
			action: platform.Delete, after: "remove the plist", ops: []string{"file.remove"}},
		{name: "dropped, removed by hand and still loaded: unloaded", managed: true, want: none,
			setup:  func(t *testing.T, r *rig) { remove(t, r, agentPath) },
			action: platform.Delete, after: "unload", drift: "already removed by hand", ops: []string{"launchd.bootout"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, "root")
			if tt.managed {
				r.Switch(v1(t))
			}
			if tt.setup != nil {
				tt.setup(t, r)
			}
			cfg := tt.want(t)
			p, sw := r.Plan(cfg)
			if tt.conflict != "" {
				if len(p.Conflicts) != 1 || p.Conflicts[0].ID != agentID || p.Conflicts[0].Path != agentPath || p.Conflicts[0].Problem != tt.conflict {
					t.Errorf("conflicts %+v, want %q at %s", p.Conflicts, tt.conflict, agentPath)
				}
				return
			}
			if len(p.Conflicts) > 0 {
				t.Fatalf("conflicts %+v", p.Conflicts)
			}
			if tt.action == "" {
				if !p.Empty() {
					t.Errorf("changes:\n%s\nwant none", planText(p))
				}
			} else {
				c := providertest.Change(t, p, agentID)
				var ops []string
				for _, op := range c.Ops {
					ops = append(ops, platform.OpName(op))
				}
				if c.Action != tt.action || c.After != tt.after || !contains(c.Drift, tt.drift) || !contains(c.Note, tt.note) || !slices.Equal(ops, tt.ops) {
					t.Errorf("change %s %q (drift %q, note %q) ops %q\nwant %s %q (drift %q, note %q) ops %q",
						c.Action, c.After, c.Drift, c.Note, ops, tt.action, tt.after, tt.drift, tt.note, tt.ops)
				}
			}
			if err := r.apply(sw); err != nil {
				t.Fatal(err)
			}
			if len(cfg.Agents) == 0 {
				if r.read(agentPath) != "" || len(r.jobs("gui/501")) != 0 {
					t.Errorf("after the switch: plist %q, loaded %v; want neither", r.read(agentPath), r.jobs("gui/501"))
				}
			} else if r.read(agentPath) != string(cfg.Agents[0].Plist) || r.jobs("gui/501")[agentLabel] != agentPath {
				t.Errorf("after the switch: plist as desired %v, loaded %v", r.read(agentPath) == string(cfg.Agents[0].Plist), r.jobs("gui/501"))
			}
			r.WantEmptyPlan(cfg)
		})
	}
}

func contains(s, sub string) bool {
	if sub == "" {
		return s == ""
	}
	return strings.Contains(s, sub)
}

func remove(t *testing.T, r *rig, p string) {
	t.Helper()
	if err := os.Remove(filepath.Join(r.root, p)); err != nil {
		t.Fatal(err)
	}
}
