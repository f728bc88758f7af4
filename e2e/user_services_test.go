package e2e

import (
	"fmt"
	"strings"
	"testing"
)

// alicesTick is a configuration with the user alice and, unless exec is
// empty, her user service tick.
func alicesTick(exec string) string {
	cfg := `users "alice" { shell = "/bin/bash" }
`
	if exec != "" {
		cfg += fmt.Sprintf(`home "alice" {
  systemd {
    services "tick" {
      exec_start = %q
      wanted_by  = ["default.target"]
    }
  }
}
`, exec)
	}
	return cfg
}

// TestUserServices: home.<user>.systemd.services are written to
// ~/.config/systemd/user, owned by the user, and run by that user's own
// systemd manager, which must be running (loginctl enable-linger). While
// it is not, the user's units are held (as home-manager skips starting
// units without a user session): the rest of the switch goes on, and
// gocfg says how to start the manager and exits with status 3. A user
// unit that becomes a home file, and back, changes hands in one switch.
func TestUserServices(t *testing.T) {
	t.Parallel()
	m := boot(t, "e2e-user-services")
	const unitFile = "/home/alice/.config/systemd/user/tick.service"
	active := func(t *testing.T) string {
		t.Helper()
		out, _ := m.ExecAs(t, "alice", "systemctl", "--user", "is-active", "tick")
		return strings.TrimSpace(out)
	}
	var pid string

	t.Run("new user without a manager", func(t *testing.T) {
		// alice does not exist yet, so nothing can have started her
		// manager: she is created, her units are held, and gocfg says
		// how to start it.
		r := m.trySwitch(t, alicesTick("/bin/sleep 1000"))
		if r.code != 3 {
			t.Fatalf("switch: %v", r)
		}
		wantContains(t, "the warning", r.out, "cannot reach the user manager of alice", "the user units of ~alice are left as they are",
			"gocfg: hint: start it at boot with: loginctl enable-linger alice")
		if r := m.run(t, "id", "alice"); r.code != 0 {
			t.Errorf("alice was not created: %v", r)
		}
		m.wantGenerations(t, []int{1}, 1)
		if m.exists(t, unitFile) {
			t.Errorf("%s was written", unitFile)
		}
	})

	t.Run("existing user without linger", func(t *testing.T) {
		m.switchTo(t, alicesTick(""))
		r := m.trySwitch(t, alicesTick("/bin/sleep 1000"))
		if r.code != 3 {
			t.Fatalf("switch: %v", r)
		}
		wantContains(t, "the warning", r.out, "gocfg: warning:", "loginctl enable-linger alice")
		m.wantGenerations(t, []int{1}, 1)
		if m.exists(t, unitFile) {
			t.Errorf("%s was written", unitFile)
		}
	})

	t.Run("start", func(t *testing.T) {
		m.MustExec(t, "loginctl", "enable-linger", "alice")
		m.waitUserManager(t, "alice")
		out := m.switchTo(t, alicesTick("/bin/sleep 1000"))
		wantContains(t, "the switch", out, "+ unit:user:alice:tick.service", "enable, start")
		wantEqual(t, "tick is-active (as alice)", active(t), "active")
		wantEqual(t, "tick is-active (-M alice@)", m.out(t, "systemctl", "--user", "-M", "alice@", "is-active", "tick"), "active")
		wantEqual(t, "tick is-enabled", m.out(t, "systemctl", "--user", "-M", "alice@", "is-enabled", "tick"), "enabled")
		wantEqual(t, "the unit file", m.out(t, "stat", "-c", "%U:%G %a", unitFile), "alice:alice 644")
		for _, dir := range []string{"/home/alice/.config", "/home/alice/.config/systemd", "/home/alice/.config/systemd/user", "/home/alice/.config/systemd/user/default.target.wants"} {
			wantEqual(t, dir, m.out(t, "stat", "-c", "%U:%G", dir), "alice:alice")
		}
		wantEqual(t, "the wants link", m.out(t, "readlink", "/home/alice/.config/systemd/user/default.target.wants/tick.service"), unitFile)
		wantEqual(t, "ControlGroup", m.userShow(t, "alice", "tick", "ControlGroup"), "/user.slice/user-1000.slice/user@1000.service/app.slice/tick.service")
		pid = m.userShow(t, "alice", "tick", "MainPID")
		if r := m.run(t, "ps", "-o", "user=", "-p", pid); strings.TrimSpace(r.out) != "alice" {
			t.Errorf("tick's process %s runs as %q", pid, r.out)
		}
	})

	t.Run("restart when changed", func(t *testing.T) {
		out := m.switchTo(t, alicesTick("/bin/sleep 2000"))
		wantContains(t, "the switch", out, "~ unit:user:alice:tick.service", "restart")
		now := m.userShow(t, "alice", "tick", "MainPID")
		if now == pid || now == "0" {
			t.Errorf("MainPID %s, was %s: not restarted", now, pid)
		}
		wantEqual(t, "tick is-active", active(t), "active")
	})

	t.Run("rollback", func(t *testing.T) {
		m.mustGocfg(t, "rollback")
		wantEqual(t, "tick is-active", active(t), "active")
		wantContains(t, "ExecStart", m.userShow(t, "alice", "tick", "ExecStart"), "/bin/sleep 1000")
	})

	t.Run("remove", func(t *testing.T) {
		out := m.switchTo(t, alicesTick(""))
		wantContains(t, "the switch", out, "- unit:user:alice:tick.service", "stop, disable")
		wantEqual(t, "tick is-active", active(t), "inactive")
		if m.exists(t, unitFile) {
			t.Errorf("%s is still there", unitFile)
		}
		if m.exists(t, "/home/alice/.config/systemd/user/default.target.wants/tick.service") {
			t.Error("the wants link is still there")
		}
	})

	// A user unit that becomes a home file changes hands in one switch
	// (platform/handover.go): her manager stops and disables it before
	// the file is made, since disabling removes a linked unit file.
	t.Run("a user unit becomes a home file, and back", func(t *testing.T) {
		m.switchTo(t, alicesTick("/bin/sleep 3000"))
		wantEqual(t, "tick is-active", active(t), "active")
		out := m.switchTo(t, alicesTick("")+`home "alice" {
  files ".config/systemd/user/tick.service" {
    text = "[Service]\nExecStart=/bin/sleep 4000\n"
  }
}
`)
		wantContains(t, "the switch", out, "- unit:user:alice:tick.service", "+ file:~alice/.config/systemd/user/tick.service")
		wantContains(t, unitFile, m.read(t, unitFile), "ExecStart=/bin/sleep 4000")
		if r := m.run(t, "test", "-L", unitFile); r.code != 0 {
			t.Errorf("%s is not gocfg's link to the store", unitFile)
		}
		wantEqual(t, "tick is-active", active(t), "inactive")
		if m.exists(t, "/home/alice/.config/systemd/user/default.target.wants/tick.service") {
			t.Error("the wants link is still there")
		}
		wantContains(t, "gocfg status", m.mustGocfg(t, "status"), "No drift")
		out = m.switchTo(t, alicesTick("/bin/sleep 3000"))
		wantContains(t, "the switch back", out, "- file:~alice/.config/systemd/user/tick.service", "+ unit:user:alice:tick.service")
		wantContains(t, unitFile, m.read(t, unitFile), "ExecStart=/bin/sleep 3000")
		wantEqual(t, "tick is-active", active(t), "active")
		wantContains(t, "gocfg status", m.mustGocfg(t, "status"), "No drift")
	})

	// Her own unit file, a link out of her home (as stow makes), at the
	// path of a unit gocfg is to manage: a file in the way, as any file
	// of hers is, never read through the link. It held her home with "a
	// folder on the way leads outside the confined folder" before.
	t.Run("her own unit file that links out of her home is in the way", func(t *testing.T) {
		const tock = "/home/alice/.config/systemd/user/tock.service"
		if r := m.as(t, "alice", "sh", "-c", "mkdir -p /tmp/alice-dots && printf '[Service]\\nExecStart=/bin/sleep 5000\\n' > /tmp/alice-dots/tock.service && ln -s /tmp/alice-dots/tock.service "+tock); r.code != 0 {
			t.Fatalf("alice's link: %v", r)
		}
		r := m.trySwitch(t, alicesTick("/bin/sleep 3000")+`home "alice" {
  systemd {
    services "tock" {
      exec_start = "/bin/sleep 6000"
    }
  }
}
`)
		if r.code != 3 {
			t.Fatalf("switch: %v", r)
		}
		wantContains(t, "the warning", r.out, tock+": an unmanaged unit file is in the way; the user units of ~alice are left as they are")
		if strings.Contains(r.out, "outside the confined folder") {
			t.Errorf("the switch read through her link: %v", r)
		}
		wantEqual(t, "her link", strings.TrimSpace(m.out(t, "readlink", tock)), "/tmp/alice-dots/tock.service")
		wantContains(t, "her file", m.read(t, "/tmp/alice-dots/tock.service"), "/bin/sleep 5000")
		wantEqual(t, "tick is-active", active(t), "active")
	})
}
