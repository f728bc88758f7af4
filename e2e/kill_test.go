package e2e

import (
	"fmt"
	"strings"
	"testing"
)

// killedSwitch runs `gocfg switch -c config` with GOCFG_TEST_KILL_AT=point,
// which SIGKILLs gocfg at that step boundary, and checks that it died.
func (m *machine) killedSwitch(t *testing.T, point, config string) {
	t.Helper()
	// Through sh: it reports the signal as status 137.
	r := m.run(t, "sh", "-c", `env GOCFG_TEST_KILL_AT="$1" gocfg switch -c "$2"`, "sh", point, config)
	if r.code != 128+9 {
		t.Fatalf("gocfg with GOCFG_TEST_KILL_AT=%s: %v", point, r)
	}
}

// killCfg is a configuration with the service base and, with user set, the
// service added and that user.
func killCfg(user string) string {
	cfg := `systemd {
  services "base" {
    exec_start = "/bin/sleep 1000"
    wanted_by  = ["multi-user.target"]
  }
`
	if user != "" {
		cfg += `  services "added" {
    exec_start = "/bin/sleep 1000"
    wanted_by  = ["multi-user.target"]
  }
`
	}
	cfg += "}\n"
	if user != "" {
		cfg += fmt.Sprintf("users %q { shell = \"/bin/bash\" }\n", user)
	}
	return cfg
}

// TestKilledSwitch: gocfg killed with SIGKILL in the middle of a switch
// that adds a system service and a user; the next gocfg switch undoes
// what had run (or, once the new generation was current, finishes it)
// and then does its own work, leaving a consistent machine.
func TestKilledSwitch(t *testing.T) {
	t.Parallel()
	m := boot(t, "e2e-kill")
	const base, more, other = cfgDir + "/base.hcl", cfgDir + "/more.hcl", cfgDir + "/other.hcl"
	m.WriteFile(t, base, []byte(killCfg("")), 0o644)
	m.WriteFile(t, more, []byte(killCfg("dave")), 0o644)
	m.WriteFile(t, other, []byte(killCfg("erin")), 0o644)
	m.mustGocfg(t, "switch", "-c", base)
	basePID := m.show(t, "base", "MainPID")
	noJournal := func(t *testing.T) {
		t.Helper()
		for _, f := range []string{"/var/lib/gocfg/journal.json", "/var/lib/gocfg/journal.log"} {
			if m.exists(t, f) {
				t.Errorf("%s is left", f)
			}
		}
	}
	// wantAdded checks the service added, the user, and that base was
	// left running all along.
	wantAdded := func(t *testing.T, user string, there bool) {
		t.Helper()
		state := "inactive"
		if there {
			state = "active"
		}
		wantEqual(t, "added is-active", m.out(t, "systemctl", "is-active", "added"), state)
		if enabled := m.run(t, "systemctl", "is-enabled", "added"); (enabled.code == 0) != there {
			t.Errorf("systemctl is-enabled added: %v", enabled)
		}
		if got := m.exists(t, "/etc/systemd/system/added.service"); got != there {
			t.Errorf("added.service's file there: %v, want %v", got, there)
		}
		if got := m.run(t, "id", user).code == 0; got != there {
			t.Errorf("user %s exists: %v, want %v", user, got, there)
		}
		wantEqual(t, "base's MainPID", m.show(t, "base", "MainPID"), basePID)
	}

	t.Run("killed at op-2, undone", func(t *testing.T) {
		m.killedSwitch(t, "op-2", more)
		// The progress log is mapped (system.MapLog): the kill leaves the
		// line of op 1 and the room of the others, which recovery believes.
		log := m.run(t, "cat", "/var/lib/gocfg/journal.log").out
		if rest, ok := strings.CutPrefix(log, "done 0\n"); !ok || strings.Trim(rest, " ") != "" || rest == "" {
			t.Errorf("the log after the kill holds %q, want \"done 0\\n\" and spaces", log)
		}
		wantContains(t, "gocfg status", m.mustGocfg(t, "status"), "a switch was interrupted")
		out := m.mustGocfg(t, "switch", "-c", more)
		wantContains(t, "the next switch", out, "an interrupted switch from generation 1 to 2 was undone (1 step(s) had run)", "Generation 2 is current.")
		m.wantGenerations(t, []int{1, 2}, 2)
		noJournal(t)
		wantAdded(t, "dave", true)
		wantEqual(t, "dave's home", m.out(t, "stat", "-c", "%a %U", "/home/dave"), "700 dave")
		wantContains(t, "gocfg status", m.mustGocfg(t, "status"), "No drift")
	})

	t.Run("killed after every step, undone", func(t *testing.T) {
		m.mustGocfg(t, "switch", "-c", base) // generation 3: without dave and added
		wantAdded(t, "dave", false)
		m.killedSwitch(t, "applied", other)
		// Everything ran: erin and added are there until the undo.
		wantEqual(t, "added is-active before the undo", m.out(t, "systemctl", "is-active", "added"), "active")
		out := m.mustGocfg(t, "switch", "-c", base)
		wantContains(t, "the next switch", out, "an interrupted switch from generation 3 to 4 was undone", noChanges)
		m.wantGenerations(t, []int{1, 2, 3}, 3)
		noJournal(t)
		wantAdded(t, "erin", false)
		if m.exists(t, "/home/erin") {
			t.Error("/home/erin, made by the undone switch, is left")
		}
		wantContains(t, "gocfg status", m.mustGocfg(t, "status"), "No drift")
	})

	t.Run("killed after the flip, finished", func(t *testing.T) {
		m.killedSwitch(t, "flipped", other)
		out := m.mustGocfg(t, "switch", "-c", other)
		wantContains(t, "the next switch", out, "an interrupted switch to generation 4 had already made it current; finished it", noChanges)
		m.wantGenerations(t, []int{1, 2, 3, 4}, 4)
		noJournal(t)
		wantAdded(t, "erin", true)
		wantContains(t, "gocfg status", m.mustGocfg(t, "status"), "No drift")
	})
}
