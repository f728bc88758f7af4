package e2e

import (
	"testing"
)

// TestUnitState: systemd.units enables and starts, or disables and
// stops, units that the machine's packages ship (timers of e2fsprogs
// and util-linux here), without writing their files; a second switch does
// nothing; removing the entries puts back each unit's state from before
// gocfg took it over, and a rollback takes them over again. Units never
// named are left alone, and a unit the machine lacks is an error at its
// entry.
func TestUnitState(t *testing.T) {
	t.Parallel()
	m := boot(t, "e2e-unitstate")
	const (
		backup = "e2scrub_all.timer"    // disabled by hand below, as before gocfg
		scrub  = "fstrim.timer"         // enabled, inactive in a container (ConditionVirtualization=!container)
		other  = "e2scrub_reap.service" // never named
	)
	state := func(t *testing.T, unit string) string {
		t.Helper()
		return m.run(t, "systemctl", "is-enabled", unit).out + m.run(t, "systemctl", "is-active", unit).out
	}
	want := func(t *testing.T, unit, enabled, active string) {
		t.Helper()
		wantEqual(t, unit, state(t, unit), enabled+"\n"+active+"\n")
	}
	m.MustExec(t, "systemctl", "disable", "--now", backup)
	want(t, backup, "disabled", "inactive")
	want(t, scrub, "enabled", "inactive")
	otherBefore := state(t, other)
	cfg := `systemd {
  units "` + backup + `" {}
  units "` + scrub + `" {
    enable = false
  }
}`

	t.Run("enabled and disabled", func(t *testing.T) {
		out := m.switchTo(t, cfg)
		wantContains(t, "the switch", out,
			"~ unitstate:"+backup, "disabled, inactive → enabled, active",
			"~ unitstate:"+scrub, "enabled, inactive → disabled, inactive")
		want(t, backup, "enabled", "active")
		want(t, scrub, "disabled", "inactive")
		if m.exists(t, "/etc/systemd/system/"+backup) {
			t.Errorf("gocfg wrote a unit file for %s", backup)
		}
	})

	t.Run("second switch does nothing", func(t *testing.T) {
		out := m.switchTo(t, cfg)
		wantContains(t, "the second switch", out, "No changes")
		want(t, backup, "enabled", "active")
		want(t, scrub, "disabled", "inactive")
	})

	t.Run("entries removed: the earlier state is back", func(t *testing.T) {
		out := m.switchTo(t, "")
		wantContains(t, "the switch", out,
			"- unitstate:"+backup, "enabled, active → disabled, inactive",
			"- unitstate:"+scrub, "disabled, inactive → enabled, inactive")
		want(t, backup, "disabled", "inactive")
		want(t, scrub, "enabled", "inactive")
	})

	t.Run("rollback and forward again", func(t *testing.T) {
		m.mustGocfg(t, "rollback")
		want(t, backup, "enabled", "active")
		want(t, scrub, "disabled", "inactive")
		m.mustGocfg(t, "switch", "-c", cfgDir)
		want(t, backup, "disabled", "inactive")
		want(t, scrub, "enabled", "inactive")
		wantContains(t, "gocfg status", m.mustGocfg(t, "status"), "No drift")
	})

	t.Run("a unit the machine lacks", func(t *testing.T) {
		r := m.trySwitch(t, `systemd {
  units "gocfg-nope.service" {}
}`)
		if r.code == 0 {
			t.Fatalf("the switch succeeded: %s", r)
		}
		wantContains(t, "the error", r.out, `systemd.units."gocfg-nope.service": there is no unit gocfg-nope.service on this machine`, "--> root/cfg/default.hcl:2:9")
	})

	// Tester AH: a unit skipped at its last start for a condition that
	// may change since (ConditionPathExists= of a file the switch
	// writes) is started again, which looks again: it runs after the
	// switch, and status sees it so.
	t.Run("a unit skipped for a path the switch writes", func(t *testing.T) {
		m.WriteFile(t, "/etc/systemd/system/gocfg-e2e-cond.service", []byte("[Unit]\nConditionPathExists=/etc/gocfg-e2e-cond-flag\n[Service]\nExecStart=/bin/sleep 1000\n[Install]\nWantedBy=multi-user.target\n"), 0o644)
		m.MustExec(t, "systemctl", "daemon-reload")
		m.MustExec(t, "systemctl", "enable", "--now", "gocfg-e2e-cond.service")
		wantEqual(t, "the condition's result before", m.show(t, "gocfg-e2e-cond.service", "ConditionResult"), "no")
		m.switchTo(t, `environment {
  etc "gocfg-e2e-cond-flag" {
    text = "on\n"
  }
}
systemd {
  units "gocfg-e2e-cond.service" {}
}`)
		want(t, "gocfg-e2e-cond.service", "enabled", "active")
	})

	wantEqual(t, other+", never named", state(t, other), otherBefore)
}
