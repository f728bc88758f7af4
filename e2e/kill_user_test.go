package e2e

import (
	"strings"
	"testing"
)

// TestKilledUserDeletion (tester T): a switch killed after it deleted a
// user is undone by the next switch, which gives the account back its
// password (the undo made it again locked, its hash lost) and then plans
// against the accounts as the undo left them (it planned against the
// database read before its recovery, and failed once with "user bob
// does not exist on this machine").
func TestKilledUserDeletion(t *testing.T) {
	t.Parallel()
	m := boot(t, "e2e-kill-user")
	withBob := `users "bob" { shell = "/bin/bash" }
home "bob" {
  files ".hello" { text = "hi\n" }
}
`
	m.switchTo(t, withBob)
	m.MustExec(t, "sh", "-c", "echo bob:Secret123 | chpasswd")
	hash := m.out(t, "sh", "-c", "getent shadow bob | cut -d: -f2")
	if !strings.HasPrefix(hash, "$") {
		t.Fatalf("bob's password field %q", hash)
	}

	m.config(t, "")
	m.killedSwitch(t, "applied", cfgDir)
	if r := m.run(t, "getent", "passwd", "bob"); r.code == 0 {
		t.Fatalf("the killed switch had not deleted bob: %s", r.out)
	}

	m.config(t, withBob)
	r := m.gocfg(t, nil, "switch", "-c", cfgDir)
	if r.code != 0 {
		t.Fatalf("the switch after the killed one: %v", r)
	}
	wantContains(t, "the switch", r.out, "was undone", noChanges)
	wantEqual(t, "bob's password field", m.out(t, "sh", "-c", "getent shadow bob | cut -d: -f2"), hash)
}
