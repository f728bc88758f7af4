package e2e

import "testing"

// TestUnitConfigValues: in a booted Debian container, a service whose
// service_config has NixOS's kinds of values (a number, a bool, a list,
// null) starts, and systemd reads them as meant: RestartSec = 5 is 5s,
// Environment = ["A=1", "B=2"] is two variables, NoNewPrivileges = true
// is on, and the Nice left out by null stays systemd's default.
func TestUnitConfigValues(t *testing.T) {
	t.Parallel()
	m := boot(t, "e2e-unit-config-values")
	out := m.switchTo(t, `systemd {
  services "values" {
    exec_start = "/bin/sleep 1000"
    wanted_by  = ["multi-user.target"]
    service_config = {
      Restart         = "always"
      RestartSec      = 5
      NoNewPrivileges = true
      Environment     = ["A=1", "B=2"]
      ExecStartPre    = ["/bin/true", "/bin/true"]
      Nice            = null
    }
  }
}
`)
	wantContains(t, "the switch", out, "+ unit:system:values.service")
	wantEqual(t, "is-active", m.out(t, "systemctl", "is-active", "values"), "active")
	wantContains(t, "the unit file", m.read(t, "/etc/systemd/system/values.service"),
		"\nRestartSec=5\n", "\nNoNewPrivileges=true\n", "\nEnvironment=A=1\nEnvironment=B=2\n", "\nExecStartPre=/bin/true\nExecStartPre=/bin/true\n")
	wantEqual(t, "RestartUSec", m.show(t, "values", "RestartUSec"), "5s")
	wantEqual(t, "Environment", m.show(t, "values", "Environment"), "A=1 B=2")
	wantEqual(t, "NoNewPrivileges", m.show(t, "values", "NoNewPrivileges"), "yes")
	wantEqual(t, "Restart", m.show(t, "values", "Restart"), "always")
	wantEqual(t, "Nice", m.show(t, "values", "Nice"), "0")
	m.secondSwitchIdle(t)
}
