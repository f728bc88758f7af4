package launchd_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/internal/treesnap"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/internal/providertest"
)

// The edits a user makes to a plist in the tests below.
var plistEdits = []struct {
	name string
	edit func(r *rig, p string)
}{
	// Written to in place (an editor that saves into the same file).
	{"written", func(r *rig, p string) {
		hp := filepath.Join(r.root, p)
		b, err := os.ReadFile(hp)
		if err != nil {
			r.t.Fatal(err)
		}
		if err := os.WriteFile(hp, append(b, "<!-- edited by hand -->\n"...), 0o644); err != nil {
			r.t.Fatal(err)
		}
	}},
	// Replaced by a new file of the same size (an editor that saves a
	// copy and renames it over).
	{"replaced", func(r *rig, p string) {
		hp := filepath.Join(r.root, p)
		b, err := os.ReadFile(hp)
		if err != nil {
			r.t.Fatal(err)
		}
		b = []byte(strings.Replace(string(b), "/usr/local/bin/sync", "/usr/local/bin/SYNC", 1))
		if err := os.WriteFile(hp+".new", b, 0o644); err != nil {
			r.t.Fatal(err)
		}
		if err := os.Rename(hp+".new", hp); err != nil {
			r.t.Fatal(err)
		}
	}},
}

// TestEditedPlistIsNotReplaced: the plist gocfg wrote is edited by hand
// between the plan that changes it and the switch. The switch stops and
// is undone: the machine is as it was after the edit (the edit kept, the
// job loaded again, nothing left beside the plist).
func TestEditedPlistIsNotReplaced(t *testing.T) {
	for _, e := range plistEdits {
		t.Run(e.name, func(t *testing.T) {
			r := newRig(t, "alice")
			r.Switch(config(t, map[string]any{agentLabel: job("/usr/local/bin/sync")}, nil))
			p, sw := r.Plan(config(t, map[string]any{agentLabel: job("/usr/local/bin/sync", "--v2")}, nil))
			if c := providertest.Change(t, p, agentID); c.After != "plist changed; reload" {
				t.Fatalf("change %q, want the plist changed", c.After)
			}
			e.edit(r, agentPath)
			before := snapshot(r)
			checkRefused(t, r, r.apply(sw), before)
		})
	}
}

// TestEditedPlistIsNotRemoved: the plist of a dropped job is edited by
// hand after the plan, or at the last moment (after any check of it in
// place, just before gocfg moves or deletes it). The removal is refused
// and the switch undone: the edit kept, the job loaded again.
func TestEditedPlistIsNotRemoved(t *testing.T) {
	for _, e := range plistEdits {
		for _, late := range []bool{false, true} {
			name := e.name + "/after-the-plan"
			if late {
				name = e.name + "/at-the-last-moment"
			}
			t.Run(name, func(t *testing.T) {
				r := newRig(t, "alice")
				r.Switch(config(t, map[string]any{agentLabel: job("/usr/local/bin/sync")}, nil))
				p, sw := r.Plan(config(t, nil, nil))
				if c := providertest.Change(t, p, agentID); c.Action != platform.Delete {
					t.Fatalf("change %s, want a delete", c.Action)
				}
				if !late {
					e.edit(r, agentPath)
					before := snapshot(r)
					checkRefused(t, r, r.apply(sw), before)
					return
				}
				// After the undo the machine must be as before the
				// switch, but for the edited plist.
				before := snapshot(r)
				sys := &providertest.EditingSys{System: r.fake, Path: agentPath, Edit: func() {
					e.edit(r, agentPath)
					before[agentPath] = snapshot(r)[agentPath]
				}}
				_, err := (&platform.Engine{Sys: sys, Store: r.store}).Switch(context.Background(), sw)
				if !sys.Done {
					t.Fatal("the switch never moved or removed the plist")
				}
				checkRefused(t, r, err, before)
			})
		}
	}
}

// snapshot is everything a switch may touch: the files (with modes and
// owners) and the fake launchd's state, without the state folder and the
// command log.
func snapshot(r *rig) treesnap.Snapshot {
	return treesnap.Take(r.t, r.root, "/", stateDir, "/.macfake/commands.log")
}

// checkRefused checks a switch that found the plist edited: refused and
// undone, generation 1 current, the machine as want (the edit kept, the
// job loaded, nothing left beside the plist).
func checkRefused(t *testing.T, r *rig, err error, want treesnap.Snapshot) {
	t.Helper()
	providertest.WantChangedSincePlan(t, err, "plist")
	if r.current() != 1 {
		t.Errorf("current generation %d, want 1", r.current())
	}
	if d := treesnap.Diff(want, snapshot(r)); d != "" {
		t.Errorf("after the undo the machine differs from the edited one:\n%s", d)
	}
	if jobs := r.jobs("gui/501"); jobs[agentLabel] != agentPath {
		t.Errorf("gui/501 jobs after the undo: %v, want %s loaded", jobs, agentLabel)
	}
}
