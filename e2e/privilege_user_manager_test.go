package e2e

import (
	"fmt"
	"testing"
	"time"
)

// TestPrivilegeSilentUserManager: tester Y. mallory moves her user
// manager's private socket aside and listens there herself, accepting
// and never answering (SO_PEERCRED passes: the listener is hers). The
// undo of her units' checkpoint spoke to it with no deadline, and its
// callers (a failed switch's undo, the recovery of a killed one) never
// cancel: root's gocfg waited for ever, holding the state lock, and
// every other root command failed on the lock; killed, the next
// recovery waited again. Now the handshake and the connection with
// another user's manager are bounded, and so is the checkpoint's undo
// as a whole: her units are left as they are, and everyone else's
// files switch. Root's gocfg runs with GOCFG_TEST_PEER_TIMEOUT=4s (its
// test build's bound on another user's manager, 20 s by default), so
// that the test waits seconds, not minutes.
func TestPrivilegeSilentUserManager(t *testing.T) {
	t.Parallel()
	m := bootAttacked(t, "e2e-priv-manager")
	m.addUser(t, "alice")
	m.MustExec(t, "loginctl", "enable-linger", mallory)
	m.waitUserManager(t, mallory)
	gen := func(n, sleep string) string {
		return homeConfig(map[string][]homeFile{"alice": {{rel: ".gocfg-alice", text: "alice " + n + "\n"}}}) + fmt.Sprintf(`home %q {
  systemd {
    services "tick" {
      exec_start = "/bin/sleep %s"
      wanted_by  = ["default.target"]
    }
  }
}
`, mallory, sleep)
	}
	m.switchTo(t, gen("one", "1000"))
	bound := []string{"GOCFG_TEST_PEER_TIMEOUT=4s"}
	private := "/run/user/" + m.out(t, "id", "-u", mallory) + "/systemd/private"
	const ready, stop = malloryHome + "/.hang-ready", malloryHome + "/.hang-stop"
	hangOn := func(t *testing.T) *background {
		m.MustExec(t, "rm", "-f", ready, stop)
		m.attack(t, "moves "+private+" away", "mv", private, private+".away")
		h := m.spawn(t, stop, attackerBin, "hang", "-for", "6m", "-stop", stop, "-ready", ready, private)
		m.waitFile(t, ready)
		return h
	}
	hangOff := func(t *testing.T, h *background) {
		m.MustExecAs(t, mallory, "touch", stop)
		t.Logf("mallory's listener: %v", h.wait(t))
		m.attack(t, "puts "+private+" back", "mv", private+".away", private)
	}
	// bounded runs root's switch, which must end in a few minutes at most
	// (the harness cuts it at 5), leaving her units and switching alice's
	// file.
	bounded := func(t *testing.T, r result, took time.Duration, alice string) {
		t.Helper()
		t.Logf("root's switch took %s: %v", took.Round(time.Second), r.brief())
		if took > 3*time.Minute {
			t.Errorf("root's switch took %s with mallory's silent manager", took.Round(time.Second))
		}
		wantContains(t, "root's switch", r.out, "left as they are")
		wantEqual(t, "alice's file", m.read(t, "/home/alice/.gocfg-alice"), alice)
		if m.exists(t, "/var/lib/gocfg/journal.json") {
			t.Errorf("the journal is still there after root's switch")
		}
	}

	t.Run("recovery of a killed switch", func(t *testing.T) {
		m.config(t, gen("two", "2000"))
		m.killedSwitch(t, "applied", cfgDir)
		h := hangOn(t)
		start := time.Now()
		r := m.gocfg(t, bound, "switch", "-c", cfgDir)
		bounded(t, r, time.Since(start), "alice two\n")
		// Said as it is: no answer, and who may be listening.
		wantContains(t, "root's switch", r.out, "no answer from the manager's socket within 4s", "not systemd, may listen on the socket")
		// So does gocfg doctor, within its own bound, where it said
		// "context deadline exceeded" and advised enable-linger.
		r = m.gocfg(t, bound, "doctor")
		wantContains(t, "gocfg doctor", r.out, "no answer from the manager's socket within 4s", "see which with ss -xlp")
		hangOff(t, h)
		r = m.gocfg(t, nil, "switch", "-c", cfgDir)
		if r.code != 0 {
			t.Errorf("root's switch once her socket is back: %v", r)
		}
	})

	t.Run("undo of a failed switch", func(t *testing.T) {
		m.config(t, gen("three", "3000"))
		unit := malloryHome + "/.config/systemd/user/tick.service"
		hs := m.startHeldEnv(t, bound, "op-2", "switch", "-c", cfgDir)
		if !hs.waitHeld(t) {
			t.Fatal("the switch did not pause")
		}
		h := hangOn(t)
		m.attack(t, "replaces "+unit+" with a folder", "sh", "-c", `rm -f "$1" && mkdir "$1"`, "sh", unit)
		start := time.Now()
		r := hs.release(t)
		bounded(t, r, time.Since(start), "alice three\n")
		hangOff(t, h)
		m.MustExecAs(t, mallory, "rmdir", unit)
		r = m.gocfg(t, nil, "switch", "-c", cfgDir)
		if r.code != 0 {
			t.Errorf("root's switch once her socket is back: %v", r)
		}
	})
}
