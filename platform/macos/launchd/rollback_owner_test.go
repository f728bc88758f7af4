package launchd_test

import (
	"path/filepath"
	"testing"

	"github.com/gocfg/gocfg/internal/testfs"
)

// TestRollbackAgentOwnerNow: a rollback gives a user's agent plist to
// the uid the user has now, not to the recorded one, which may be
// another account's since; the agent goes to that uid's domain.
func TestRollbackAgentOwnerNow(t *testing.T) {
	r := newRig(t, "root")
	r.Switch(config(t, map[string]any{agentLabel: job("/usr/local/bin/sync")}, nil))
	r.Switch(config(t, map[string]any{agentLabel: job("/usr/local/bin/sync", "--v2")}, nil))
	// alice's uid changes (dscl . -change … UniqueID 501 502).
	us, err := r.fake.Users()
	if err != nil {
		t.Fatal(err)
	}
	alice := us["alice"]
	alice.UID = 502
	us["alice"] = alice
	if err := r.fake.SaveUsers(us); err != nil {
		t.Fatal(err)
	}
	r.Rollback(1)
	if _, uid, _ := testfs.Owner(t, filepath.Join(r.root, agentPath)); uid != 502 {
		t.Errorf("%s: uid %d after the rollback, want alice's 502", agentPath, uid)
	}
	if r.jobs("gui/502")[agentLabel] != agentPath {
		t.Errorf("loaded in gui/502: %v", r.jobs("gui/502"))
	}
}
