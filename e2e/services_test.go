package e2e

import (
	"fmt"
	"strings"
	"testing"
)

// helloWeb is a configuration with the one system service hello-web;
// extra goes into its block.
func helloWeb(extra string) string {
	return fmt.Sprintf(`systemd {
  services "hello-web" {
    wanted_by = ["multi-user.target"]
%s
  }
}
`, extra)
}

// TestSystemServices: a system service declared under systemd.services is
// written to /etc/systemd/system, enabled and started by the machine's
// systemd; changing it restarts it (or reloads it with reload_if_changed),
// a change that cannot start is undone, and removing it (or turning its
// enable off) stops it and removes its file; a unit that becomes an
// environment.etc file, and back, changes hands in one switch.
func TestSystemServices(t *testing.T) {
	t.Parallel()
	m := boot(t, "e2e-services")
	const unitFile = "/etc/systemd/system/hello-web.service"
	var pid string // hello-web's MainPID

	t.Run("start", func(t *testing.T) {
		out := m.switchTo(t, helloWeb(`exec_start = "/bin/sleep 1000"`))
		wantContains(t, "the switch", out, "+ unit:system:hello-web.service", "Generation 1 is current.")
		wantEqual(t, "is-active", m.out(t, "systemctl", "is-active", "hello-web"), "active")
		wantEqual(t, "is-enabled", m.out(t, "systemctl", "is-enabled", "hello-web"), "enabled")
		wantContains(t, unitFile, m.read(t, unitFile), "ExecStart=/bin/sleep 1000", "WantedBy=multi-user.target")
		if !m.exists(t, "/etc/systemd/system/multi-user.target.wants/hello-web.service") {
			t.Error("no multi-user.target.wants link")
		}
		pid = m.show(t, "hello-web", "MainPID")
		if pid == "0" || pid == "" {
			t.Fatalf("MainPID %q", pid)
		}
	})

	t.Run("no-op", func(t *testing.T) {
		out := m.mustGocfg(t, "switch", "-c", cfgDir)
		wantContains(t, "the switch", out, noChanges)
		m.wantGenerations(t, []int{1}, 1)
		wantEqual(t, "MainPID", m.show(t, "hello-web", "MainPID"), pid)
	})

	t.Run("restart when changed", func(t *testing.T) {
		out := m.switchTo(t, helloWeb(`exec_start = "/bin/sleep 2000"`))
		wantContains(t, "the switch", out, "~ unit:system:hello-web.service", "restart", "Generation 2 is current.")
		wantEqual(t, "is-active", m.out(t, "systemctl", "is-active", "hello-web"), "active")
		now := m.show(t, "hello-web", "MainPID")
		if now == pid || now == "0" {
			t.Errorf("MainPID %s after the switch, was %s: not restarted", now, pid)
		}
		wantContains(t, "ExecStart", m.show(t, "hello-web", "ExecStart"), "/bin/sleep 2000")
		pid = now
	})

	t.Run("reload_if_changed", func(t *testing.T) {
		out := m.switchTo(t, helloWeb(`exec_start = "/bin/sleep 2000"
    exec_reload = "/bin/touch /run/hello-web.reloaded"
    reload_if_changed = true
    environment = { GENERATION = "3" }`))
		wantContains(t, "the switch", out, "reload", "Generation 3 is current.")
		wantEqual(t, "MainPID", m.show(t, "hello-web", "MainPID"), pid)
		if !m.exists(t, "/run/hello-web.reloaded") {
			t.Error("ExecReload did not run")
		}
		m.MustExec(t, "rm", "/run/hello-web.reloaded")
		// Another change to the service: reloaded again, not restarted.
		out = m.switchTo(t, helloWeb(`exec_start = "/bin/sleep 2000"
    exec_reload = "/bin/touch /run/hello-web.reloaded"
    reload_if_changed = true
    environment = { GENERATION = "4" }`))
		wantContains(t, "the switch", out, "reload", "Generation 4 is current.")
		wantEqual(t, "MainPID", m.show(t, "hello-web", "MainPID"), pid)
		wantContains(t, "Environment", m.show(t, "hello-web", "Environment"), "GENERATION=4")
		if !m.exists(t, "/run/hello-web.reloaded") {
			t.Error("ExecReload did not run")
		}
	})

	// A unit that fails while systemd starts it (Type=exec: the job
	// fails): the switch fails, is undone, and the previous version runs.
	t.Run("failing unit undone", func(t *testing.T) {
		before := m.read(t, unitFile)
		r := m.trySwitch(t, helloWeb(`type = "exec"
    exec_start = "/nonexistent"`))
		if r.code != 1 {
			t.Fatalf("switch to a unit that cannot start: %v", r)
		}
		wantContains(t, "the error", r.out, "gocfg: error:", "hello-web.service", "generation 4 stays current")
		m.wantGenerations(t, []int{1, 2, 3, 4}, 4)
		wantEqual(t, "the unit file after the undo", m.read(t, unitFile), before)
		wantEqual(t, "is-active", m.out(t, "systemctl", "is-active", "hello-web"), "active")
		wantContains(t, "ExecStart", m.show(t, "hello-web", "ExecStart"), "/bin/sleep 2000")
		pid = m.show(t, "hello-web", "MainPID")
		m.wantNoFailedUnits(t)
	})

	// The same with the default Type=simple, where systemd's start job
	// succeeds as soon as it has forked and the unit fails right after.
	t.Run("failing simple unit undone", func(t *testing.T) {
		r := m.trySwitch(t, helloWeb(`exec_start = "/nonexistent"`))
		if r.code != 1 {
			t.Fatalf("switch to a unit that cannot start: %v", r)
		}
		wantContains(t, "the error", r.out, "gocfg: error:", "hello-web.service", "generation 4 stays current")
		m.wantGenerations(t, []int{1, 2, 3, 4}, 4)
		wantEqual(t, "is-active", m.out(t, "systemctl", "is-active", "hello-web"), "active")
		wantContains(t, "ExecStart", m.show(t, "hello-web", "ExecStart"), "/bin/sleep 2000")
		m.wantNoFailedUnits(t)
	})

	// A new unit that cannot start: the undo stops it and removes its
	// file, and clears its failure (systemctl reset-failed), so that the
	// machine is not left "degraded" by a unit it no longer has.
	t.Run("failing new unit undone", func(t *testing.T) {
		pid := m.show(t, "hello-web", "MainPID")
		r := m.trySwitch(t, helloWeb(`exec_start = "/bin/sleep 2000"
    exec_reload = "/bin/touch /run/hello-web.reloaded"
    reload_if_changed = true
    environment = { GENERATION = "4" }
  }
  services "broken" {
    type       = "oneshot"
    exec_start = "/bin/false"
    wanted_by  = ["multi-user.target"]`))
		if r.code != 1 {
			t.Fatalf("switch to a new unit that cannot start: %v", r)
		}
		wantContains(t, "the error", r.out, "gocfg: error:", "broken.service", "generation 4 stays current")
		m.wantGenerations(t, []int{1, 2, 3, 4}, 4)
		if m.exists(t, "/etc/systemd/system/broken.service") {
			t.Error("broken.service's unit file is still there")
		}
		wantEqual(t, "hello-web MainPID", m.show(t, "hello-web", "MainPID"), pid)
		wantEqual(t, "broken.service ActiveState", m.show(t, "broken.service", "ActiveState"), "inactive")
		m.wantNoFailedUnits(t)
	})

	// removed checks that hello-web is gone: stopped, its file and its
	// link removed, unknown to systemd, and gocfg sees no drift.
	removed := func(t *testing.T) {
		t.Helper()
		wantEqual(t, "is-active", m.out(t, "systemctl", "is-active", "hello-web"), "inactive")
		if m.exists(t, unitFile) {
			t.Errorf("%s is still there", unitFile)
		}
		if m.exists(t, "/etc/systemd/system/multi-user.target.wants/hello-web.service") {
			t.Error("the multi-user.target.wants link is still there")
		}
		wantEqual(t, "LoadState", m.show(t, "hello-web", "LoadState"), "not-found")
		wantContains(t, "gocfg status", m.mustGocfg(t, "status"), "No drift")
	}

	t.Run("remove", func(t *testing.T) {
		out := m.switchTo(t, "")
		wantContains(t, "the switch", out, "- unit:system:hello-web.service", "stop, disable")
		removed(t)
	})

	t.Run("rollback brings it back", func(t *testing.T) {
		_, cur := m.generations(t)
		m.mustGocfg(t, "rollback")
		m.wantGenerations(t, []int{1, 2, 3, 4, cur}, 4)
		wantEqual(t, "is-active", m.out(t, "systemctl", "is-active", "hello-web"), "active")
		wantEqual(t, "is-enabled", m.out(t, "systemctl", "is-enabled", "hello-web"), "enabled")
		wantContains(t, "Environment", m.show(t, "hello-web", "Environment"), "GENERATION=4")
	})

	// enable = false leaves the service out as if it were not declared
	// (the option's documentation, NixOS's enable): stopped, disabled and
	// its file removed, not merely disabled with its file left startable.
	t.Run("enable = false removes it", func(t *testing.T) {
		out := m.switchTo(t, helloWeb(`enable = false
    exec_start = "/bin/sleep 2000"`))
		wantContains(t, "the plan's line for hello-web", planLine(out, "unit:system:hello-web.service"),
			"- unit:system:hello-web.service", "stop, disable", "(enable = false)")
		removed(t)
		wantContains(t, "a second switch", m.mustGocfg(t, "switch", "-c", cfgDir), noChanges)
	})

	// A service that nothing wants (here: started by its timer only) is
	// installed but not started by the switch, as NixOS does: a oneshot
	// backup job must not run at every switch that adds it. It has no
	// [Install] section, so nothing is enabled either.
	t.Run("service without wanted_by not started", func(t *testing.T) {
		out := m.switchTo(t, `systemd {
  services "job" {
    type       = "oneshot"
    exec_start = "/bin/touch /run/job.ran"
  }
  timers "job" {
    on_calendar = "*-01-01 00:00:00"
  }
}
`)
		if l := planLine(out, "unit:system:job.service"); !strings.HasPrefix(l, "+") || strings.Contains(l, "start") || strings.Contains(l, "enable") {
			t.Errorf("the plan's line for job.service is %q, want it created, not enabled and not started:\n%s", l, out)
		}
		wantContains(t, "the plan's line for job.timer", planLine(out, "unit:system:job.timer"), "+ unit:system:job.timer", "enable, start")
		wantEqual(t, "job.timer is-active", m.out(t, "systemctl", "is-active", "job.timer"), "active")
		if m.exists(t, "/run/job.ran") {
			t.Error("the switch ran job.service, which only its timer should start")
		}
	})

	// A unit that becomes an environment.etc file changes hands in one
	// switch (platform/handover.go), and back: before, the files
	// provider found gocfg's own unit file in the way at every switch.
	t.Run("a unit becomes an /etc file, and back", func(t *testing.T) {
		const handed = "/etc/systemd/system/handed.service"
		asUnit := `systemd {
  services "handed" {
    exec_start = "/bin/sleep 3000"
    wanted_by  = ["multi-user.target"]
  }
}
`
		m.switchTo(t, asUnit)
		wantEqual(t, "handed is-active", m.out(t, "systemctl", "is-active", "handed"), "active")
		out := m.switchTo(t, `environment {
  etc = {
    "systemd/system/handed.service" = { text = "[Service]\nExecStart=/bin/sleep 4000\n" }
  }
}
`)
		wantContains(t, "the switch", out, "- unit:system:handed.service", "+ file:/etc/systemd/system/handed.service")
		wantContains(t, handed, m.read(t, handed), "ExecStart=/bin/sleep 4000")
		wantEqual(t, "handed is-active", m.out(t, "sh", "-c", "systemctl is-active handed || true"), "inactive")
		wantContains(t, "gocfg status", m.mustGocfg(t, "status"), "No drift")
		out = m.switchTo(t, asUnit)
		wantContains(t, "the switch back", out, "- file:/etc/systemd/system/handed.service", "+ unit:system:handed.service")
		wantContains(t, handed, m.read(t, handed), "ExecStart=/bin/sleep 3000")
		wantEqual(t, "handed is-active", m.out(t, "systemctl", "is-active", "handed"), "active")
		wantContains(t, "gocfg status", m.mustGocfg(t, "status"), "No drift")
	})
}

// wantNoFailedUnits checks that no unit of the machine's system manager
// is failed, so that the machine is not "degraded".
func (m *machine) wantNoFailedUnits(t testing.TB) {
	t.Helper()
	if failed := m.out(t, "systemctl", "list-units", "--failed", "--plain", "--no-legend"); failed != "" {
		t.Errorf("systemctl --failed lists:\n%s", failed)
	}
	if s := m.out(t, "systemctl", "is-system-running"); s != "running" {
		t.Errorf("systemctl is-system-running = %q, want running", s)
	}
}

// TestUnitDisabledByHand (tester BH): a unit gocfg enabled and someone
// disabled since (by hand, or a switch killed after its disable job,
// whose recovery left it so) is drift: status shows it, and the next
// switch enables it again without restarting it. Both said "No drift"
// and left it disabled for good.
func TestUnitDisabledByHand(t *testing.T) {
	t.Parallel()
	m := boot(t, "e2e-unit-disabled")
	m.switchTo(t, helloWeb(`exec_start = "/bin/sleep 1000"`))
	pid := m.show(t, "hello-web", "MainPID")
	m.MustExec(t, "systemctl", "disable", "hello-web")

	st := m.gocfg(t, nil, "status")
	wantContains(t, "gocfg status", st.out, "unit:system:hello-web.service", "disabled since gocfg enabled it")
	out := m.mustGocfg(t, "switch", "-c", cfgDir)
	wantContains(t, "the switch", out, "~ unit:system:hello-web.service", "enable", "disabled since gocfg enabled it")
	wantEqual(t, "is-enabled", m.out(t, "systemctl", "is-enabled", "hello-web"), "enabled")
	wantEqual(t, "MainPID", m.show(t, "hello-web", "MainPID"), pid)
	wantContains(t, "gocfg status", m.mustGocfg(t, "status"), "No drift")
}
