package launchd_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gocfg/gocfg/internal/testfs"
	"github.com/gocfg/gocfg/platform/internal/providertest"
)

// TestRollbackAgentOwnerNow: a rollback gives a user's agent plist to
// the uid the user has now, not to the recorded one, which may be
// another account's since; the agent goes to that uid's domain.
func TestRollbackAgentOwnerNow(t *testing.T) {
	r := newRig(t, "root")
	r.Switch(config(t, map[string]any{agentLabel: job("/usr/local/bin/sync")}, nil))
	r.Switch(config(t, map[string]any{agentLabel: job("/usr/local/bin/sync", "--v2")}, nil))
	r.setUID("alice", 502) // dscl . -change … UniqueID 501 502
	r.Rollback(1)
	if _, uid, _ := testfs.Owner(t, filepath.Join(r.root, agentPath)); uid != 502 {
		t.Errorf("%s: uid %d after the rollback, want alice's 502", agentPath, uid)
	}
	if r.jobs("gui/502")[agentLabel] != agentPath {
		t.Errorf("loaded in gui/502: %v", r.jobs("gui/502"))
	}
}

// TestRemovedAgentUndoneOwnerNow: a switch that removes a user's agent
// plist and is undone writes it back for the uid the user has now, not
// the recorded one.
func TestRemovedAgentUndoneOwnerNow(t *testing.T) {
	r := newRig(t, "root")
	r.Switch(config(t, map[string]any{agentLabel: job("/usr/local/bin/sync")}, nil))
	r.setUID("alice", 502)
	plist := filepath.Join(r.root, agentPath)
	if err := os.Lchown(plist, 502, 20); err != nil {
		t.Fatal(err)
	}
	_, sw := r.Plan(config(t, nil, nil))
	eng := r.engine()
	providertest.KillAt(t, eng, sw, "applied")
	if _, err := os.Lstat(plist); !os.IsNotExist(err) {
		t.Fatalf("the switch did not remove the plist before the kill: %v", err)
	}
	providertest.WantUndone(t, eng)
	if _, uid, _ := testfs.Owner(t, plist); uid != 502 {
		t.Errorf("%s: uid %d after the undo, want alice's 502", agentPath, uid)
	}
}

// setUID gives the fake's user name another uid, as dscl . -change …
// UniqueID would.
func (r *rig) setUID(name string, uid int) {
	r.t.Helper()
	us, err := r.fake.Users()
	if err != nil {
		r.t.Fatal(err)
	}
	u := us[name]
	u.UID = uid
	us[name] = u
	if err := r.fake.SaveUsers(us); err != nil {
		r.t.Fatal(err)
	}
}
