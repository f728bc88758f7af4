package e2e

import (
	"fmt"
	"strings"
	"testing"
)

// TestPrivilegeHomeFailsMidway: mallory makes a step of root's switch
// fail in her home after the plan (a folder where her new link goes,
// made while gocfg is held after writing its journal). Before, the whole
// switch was undone and failed, for every user, as often as she liked
// (DESIGN.md §7: one user's hostile home fails only that user's
// resources). Now the switch is undone, planned again with her home
// held, and alice's files switch: exit status 3, mallory's folder and
// files left as they are. With --fail-fast the switch is refused whole.
func TestPrivilegeHomeFailsMidway(t *testing.T) {
	t.Parallel()
	m := bootAttacked(t, "e2e-priv-midway")
	m.addUser(t, "alice")
	gen := func(n string, more bool) string {
		users := map[string][]homeFile{
			"alice": {{rel: ".gocfg-alice", text: "alice " + n + "\n"}},
			mallory: {{rel: ".gocfg-mallory", text: "mallory " + n + "\n"}},
		}
		if more {
			users["alice"] = append(users["alice"], homeFile{rel: ".gocfg-alice-new", text: "alice new\n"})
			users[mallory] = append(users[mallory], homeFile{rel: ".gocfg-mallory-new", text: "mallory new\n"})
		}
		return homeConfig(users)
	}
	m.switchTo(t, gen("one", false))
	const hers = malloryHome + "/.gocfg-mallory-new"
	m.config(t, gen("two", true))

	t.Run("fail-fast", func(t *testing.T) {
		h := m.startHeld(t, "journal-written", "switch", "-c", cfgDir, "--fail-fast")
		h.waitHeld(t)
		m.attack(t, "makes a folder at "+hers, "mkdir", "-p", hers+"/mine")
		r := h.release(t)
		if r.code != 1 || !strings.Contains(r.out, hers) {
			t.Errorf("switch --fail-fast: want exit status 1 naming %s; %v", hers, r)
		}
		wantEqual(t, "~alice/.gocfg-alice", m.read(t, "/home/alice/.gocfg-alice"), "alice one\n")
		m.wantGenerations(t, []int{1}, 1)
		m.attack(t, "removes "+hers, "rm", "-r", hers)
	})

	t.Run("switch", func(t *testing.T) {
		h := m.startHeld(t, "journal-written", "switch", "-c", cfgDir)
		h.waitHeld(t)
		m.attack(t, "makes a folder at "+hers, "mkdir", "-p", hers+"/mine")
		r := h.release(t)
		if r.code != 3 || !strings.Contains(r.out, "the files, secrets and user units of ~"+mallory+" are left as they are") {
			t.Errorf("switch: want exit status 3 and mallory's home held; %v", r)
		}
		wantEqual(t, "~alice/.gocfg-alice", m.read(t, "/home/alice/.gocfg-alice"), "alice two\n")
		wantEqual(t, "~alice/.gocfg-alice-new", m.read(t, "/home/alice/.gocfg-alice-new"), "alice new\n")
		wantEqual(t, "~mallory/.gocfg-mallory", m.read(t, malloryHome+"/.gocfg-mallory"), "mallory one\n")
		wantEqual(t, "~mallory/.gocfg-mallory-new", m.out(t, "stat", "-c", "%F %U", hers), "directory "+mallory)
		m.wantGenerations(t, []int{1, 2}, 2)
	})

	t.Run("next switch", func(t *testing.T) {
		m.attack(t, "removes "+hers, "rm", "-r", hers)
		r := m.gocfg(t, nil, "switch", "-c", cfgDir)
		if r.code != 0 {
			t.Fatalf("switch: %v", r)
		}
		wantEqual(t, "~mallory/.gocfg-mallory", m.read(t, malloryHome+"/.gocfg-mallory"), "mallory two\n")
		wantEqual(t, "~mallory/.gocfg-mallory-new", m.read(t, hers), "mallory new\n")
	})
}

// TestPrivilegeUserManagerMoved: mallory moves her user manager's
// private socket away, where root's gocfg reaches it. Before, every plan
// failed ("cannot reach the user manager of mallory"), for every user.
// Now her units are held (exit status 3) and alice's file switches; once
// the socket is back, the next switch changes her unit too.
func TestPrivilegeUserManagerMoved(t *testing.T) {
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
	wantContains(t, "tick", m.userShow(t, mallory, "tick", "ExecStart"), "/bin/sleep 1000")
	private := "/run/user/" + m.out(t, "id", "-u", mallory) + "/systemd/private"
	m.attack(t, "moves "+private+" away", "mv", private, private+".away")

	r := m.trySwitch(t, gen("two", "2000"))
	if r.code != 3 {
		t.Fatalf("switch: want exit status 3 (mallory's units held); %v", r)
	}
	wantContains(t, "the warning", r.out, "cannot reach the user manager of "+mallory, "the user units of ~"+mallory+" are left as they are")
	wantEqual(t, "~alice/.gocfg-alice", m.read(t, "/home/alice/.gocfg-alice"), "alice two\n")
	wantContains(t, "tick", m.userShow(t, mallory, "tick", "ExecStart"), "/bin/sleep 1000")
	wantContains(t, "tick's unit file", m.read(t, malloryHome+"/.config/systemd/user/tick.service"), "/bin/sleep 1000")
	m.wantGenerations(t, []int{1, 2}, 2)
	// status reports her manager, and goes on with the others.
	r = m.gocfg(t, nil, "status")
	if r.code != 0 || !strings.Contains(r.out, "cannot reach the user manager of "+mallory) {
		t.Errorf("status: want exit status 0 and mallory's manager named; %v", r)
	}

	m.attack(t, "puts "+private+" back", "mv", private+".away", private)
	out := m.switchTo(t, gen("two", "2000"))
	wantContains(t, "the switch", out, "~ unit:user:"+mallory+":tick.service", "restart")
	wantContains(t, "tick", m.userShow(t, mallory, "tick", "ExecStart"), "/bin/sleep 2000")
}
