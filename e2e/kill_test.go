package e2e

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	json "github.com/goccy/go-json"
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

	// After a restart, the progress log's last lines may be lost, so
	// recovery cannot take it whole; but it was made durable before each
	// step whose undo cannot tell whether it ran. Such a step that never
	// ran is not undone (tester BD: the undo of a removal from a group
	// that never ran put back the member an admin had removed by hand
	// since). The restart is told by GOCFG_TEST_BOOT_ID: a container has
	// its host's boot_id, and a bind mount cannot cover it.
	t.Run("killed, then a restart: a step that never ran is not undone", func(t *testing.T) {
		const withOps, withoutOps = cfgDir + "/ops.hcl", cfgDir + "/noops.hcl"
		accounts := `groups "ops" { gid = 2100 }
users "dave" {
  shell  = "/bin/bash"
  groups = [%s]
}
`
		m.WriteFile(t, withOps, []byte(killCfg("erin")+fmt.Sprintf(accounts, `"ops"`)), 0o644)
		m.WriteFile(t, withoutOps, []byte(killCfg("erin")+fmt.Sprintf(accounts, "")+"groups \"audit\" { gid = 2099 }\nusers \"frank\" { shell = \"/bin/bash\" }\n"), 0o644)
		m.mustGocfg(t, "switch", "-c", withOps)
		wantContains(t, "dave's groups", m.out(t, "id", "-nG", "dave"), "ops")
		m.killedSwitch(t, "op-1", withoutOps)
		var j struct {
			Synced bool `json:"log_synced"`
			Ops    []struct {
				Type string `json:"type"`
			} `json:"ops"`
		}
		if err := json.Unmarshal([]byte(m.read(t, "/var/lib/gocfg/journal.json")), &j); err != nil {
			t.Fatal(err)
		}
		var types []string
		for _, op := range j.Ops {
			types = append(types, op.Type)
		}
		// Killed before the first step: only that one may have started.
		if i := slices.Index(types, "group.member.remove"); !j.Synced || i < 1 {
			t.Fatalf("the journal (synced %v) has steps %q; want dave's removal from ops after the first", j.Synced, types)
		}
		// The admin removes dave from ops by hand, then the machine
		// restarts.
		m.MustExec(t, "gpasswd", "-d", "dave", "ops")
		r := m.gocfg(t, []string{"GOCFG_TEST_BOOT_ID=5d6e0f4e-0000-4000-8000-000000000001"}, "store", "verify", "--repair")
		if r.code != 0 {
			t.Fatalf("gocfg store verify --repair after the restart: %v", r)
		}
		wantContains(t, "the recovery", r.out, "was undone (the machine may have restarted since", "so every step that may have run was undone")
		noJournal(t)
		if groups := m.out(t, "id", "-nG", "dave"); strings.Contains(" "+groups+" ", " ops ") {
			t.Errorf("dave is in ops again (%s): the undo of a step that never ran put back what the admin removed", groups)
		}
		if m.run(t, "id", "frank").code == 0 || m.run(t, "getent", "group", "audit").code == 0 {
			t.Error("frank or audit, whose steps never ran, exist")
		}
	})
}

// TestKilledSwitchUnitEnablement (tester BH): a switch that disables an
// enabled unit (dropped, or no longer wanted by a target) killed before
// each of its steps; the recovery by the next switch puts the unit back
// enabled and running, itself: that switch finds no drift to fix. The
// manager answers a loaded unit's UnitFileState from its last reload, so
// a recovery killed between the disable job and the switch's
// daemon-reload read "enabled" and enabled nothing; the unit stayed
// disabled, and status said "No drift".
func TestKilledSwitchUnitEnablement(t *testing.T) {
	t.Parallel()
	m := boot(t, "e2e-kill-enable")
	const other = "/root/cfg-other"
	before := helloWeb(`exec_start = "/bin/sleep 1000"`)
	for name, after := range map[string]string{
		"dropped":            "",
		"no target any more": "systemd {\n  services \"hello-web\" {\n    exec_start = \"/bin/sleep 1000\"\n  }\n}\n",
	} {
		t.Run(name, func(t *testing.T) {
			m.WriteFile(t, other+"/default.hcl", []byte(after), 0o644)
			for k := 1; ; k++ {
				m.switchTo(t, before)
				point := fmt.Sprintf("op-%d", k)
				r := m.run(t, "sh", "-c", `env GOCFG_TEST_KILL_AT="$1" gocfg switch -c "$2"`, "sh", point, other)
				if r.code == 0 {
					if k < 3 {
						t.Fatalf("the switch had %d step(s): %v", k-1, r)
					}
					break
				}
				if r.code != 128+9 {
					t.Fatalf("gocfg with GOCFG_TEST_KILL_AT=%s: %v", point, r)
				}
				out := m.mustGocfg(t, "switch", "-c", cfgDir)
				if strings.Contains(out, "disabled since gocfg enabled it") {
					t.Errorf("killed at %s: the recovery left hello-web disabled; the next switch found it so:\n%s", point, out)
				}
				wantEqual(t, "is-enabled after the kill at "+point, m.out(t, "systemctl", "is-enabled", "hello-web"), "enabled")
				wantEqual(t, "is-active after the kill at "+point, m.out(t, "systemctl", "is-active", "hello-web"), "active")
			}
		})
	}
}

// TestInterruptedAfterFlipRunsHooksLater (tester BI): SIGTERM (a closed
// SSH session's SIGHUP, a Ctrl-C) once the new generation is current:
// the switch stands, but the on_change hooks it kept from starting are
// left for the next command, which runs them; gocfg exits non-zero and
// status says a switch waits. They were dropped for good: journal
// removed, exit 0, status "No drift", and the service never reloaded.
func TestInterruptedAfterFlipRunsHooksLater(t *testing.T) {
	t.Parallel()
	m := boot(t, "e2e-hooks-later")
	const marker = "/run/gocfg-test-hook-ran"
	m.switchTo(t, `environment {
  etc "gocfg-test-hooked.conf" { text = "setting = 1\n" }
}
`)
	m.config(t, `environment {
  etc "gocfg-test-hooked.conf" {
    text      = "setting = 2\n"
    on_change = "echo ran >> `+marker+`"
  }
}
`)
	h := m.startHeld(t, "flipped", "switch", "-c", cfgDir)
	if !h.waitHeld(t) {
		t.Fatal("the switch did not reach the flip")
	}
	pid := m.out(t, "cat", holdFile+".held")
	m.MustExec(t, "kill", "-TERM", pid)
	time.Sleep(time.Second)
	r := h.release(t)
	if r.code != 1 {
		t.Fatalf("gocfg switch interrupted after the flip: %v; want exit status 1", r)
	}
	wantContains(t, "the switch", r.out, "the switch stands, but the on_change of file:/etc/gocfg-test-hooked.conf did not run: the next gocfg command that changes the machine", "Generation 2 is current.")
	if m.exists(t, marker) {
		t.Fatalf("the hook ran after the interrupt")
	}
	wantEqual(t, "the file", m.read(t, "/etc/gocfg-test-hooked.conf"), "setting = 2\n")
	wantContains(t, "gocfg status with a hook left", m.gocfg(t, nil, "status").out, "gocfg: warning: a switch was interrupted; the next gocfg command that changes the machine")
	out := m.mustGocfg(t, "switch", "-c", cfgDir)
	wantContains(t, "the next switch", out, "had already made it current; finished it", noChanges)
	wantEqual(t, "the hook's marker", m.read(t, marker), "ran\n")
	wantContains(t, "gocfg status", m.mustGocfg(t, "status"), "No drift")
	m.wantGenerations(t, []int{1, 2}, 2)
}
