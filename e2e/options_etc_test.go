package e2e

import (
	"strings"
	"testing"
)

// optionsEtcConfig sets the option-library modules built on
// environment.etc (issue 14): time.time_zone, boot.kernel.sysctl,
// systemd.tmpfiles.rules and security.sudo (which installs sudo). ttl adds
// a second sysctl key.
func optionsEtcConfig(ttl bool) string {
	sysctl := `"net.ipv4.ip_forward" = 1`
	if ttl {
		sysctl += `, "net.ipv4.ip_default_ttl" = 77`
	}
	return `time {
  time_zone = "Europe/Paris"
}
boot {
  kernel {
    sysctl = { ` + sysctl + ` }
  }
}
systemd {
  tmpfiles {
    rules = ["d /run/e2e-tmpfiles 0750 root root -"]
  }
}
security {
  sudo {
    wheel_needs_password = false
    extra_rules          = [{ users = ["alice"], commands = ["/usr/bin/id"], options = ["NOPASSWD"] }]
  }
}
`
}

// TestOptionsEtc: in one booted Debian container without sudo, the
// modules on the /etc primitives: an unknown time zone fails the plan
// and changes nothing; a broken sudo rule in the switch that installs
// sudo passes the plan (visudo is not there yet: the check runs at the
// switch) and fails the switch, which is undone; switched on with sudo
// installed by the same switch, timedated reports the zone, sysctl the
// values, the tmpfiles path exists and sudo -l lists the rule; a second
// switch changes nothing; a broken rule now fails the plan (visudo is
// there); a sysctl key removed gets its earlier value back; the options
// removed put back the machine's zone, sysctl values and files, and
// remove sudo.
func TestOptionsEtc(t *testing.T) {
	t.Parallel()
	m := boot(t, "e2e-options-etc")
	m.UseLocalDebs(t)
	if m.run(t, "sh", "-c", "command -v visudo").code == 0 {
		t.Fatal("sudo is installed before the switch")
	}
	// Debian's sudo refuses its removal (prerm) while root's password
	// is locked ("*" or "!"), as in a container: the undone switch below
	// and the removal of the options remove it.
	m.MustExec(t, "passwd", "-d", "root")
	m.MustExec(t, "useradd", "-m", "alice")
	m.MustExec(t, "useradd", "-m", "-G", "sudo", "bob")

	zone := func(t *testing.T) string {
		t.Helper()
		return m.out(t, "timedatectl", "show", "-p", "Timezone", "--value")
	}
	sysctl := func(t *testing.T, key string) string {
		t.Helper()
		return m.out(t, "sysctl", "-n", key)
	}
	before := map[string]string{
		"localtime": m.out(t, "readlink", "/etc/localtime"),
		"timezone":  m.read(t, "/etc/timezone"),
		"zone":      zone(t),
		"forward":   sysctl(t, "net.ipv4.ip_forward"),
		"ttl":       sysctl(t, "net.ipv4.ip_default_ttl"),
	}
	if before["forward"] != "0" || before["ttl"] != "64" {
		t.Fatalf("the container starts with ip_forward %s and ip_default_ttl %s; the test needs 0 and 64", before["forward"], before["ttl"])
	}

	const brokenRule = `environment {
  system_packages = ["sudo"]
}
security {
  sudo {
    extra_config = "alice ALL=(ALL NOPASSWD: ALL"
  }
}
`
	t.Run("a broken sudo rule in the switch that installs sudo fails the switch", func(t *testing.T) {
		r := m.trySwitch(t, brokenRule)
		if r.code == 0 {
			t.Fatalf("switch with a broken rule succeeded: %v", r)
		}
		wantContains(t, "the output", r.out, "its check `visudo -c -f %s` runs at the switch", "fails its check `visudo -c -f %s`", "syntax error")
		if _, current := m.generations(t); current != 0 {
			t.Errorf("generation %d is current after a failed switch", current)
		}
		// The switch's sudo is removed by its undo.
		if m.run(t, "sh", "-c", "command -v visudo").code == 0 {
			t.Error("sudo is still installed after the undone switch")
		}
		if m.exists(t, "/etc/sudoers.d/gocfg") {
			t.Error("/etc/sudoers.d/gocfg was written")
		}
	})

	t.Run("an unknown time zone fails the plan", func(t *testing.T) {
		r := m.trySwitch(t, "time {\n  time_zone = \"Europe/Pariss\"\n}\n")
		if r.code != 1 {
			t.Fatalf("switch with an unknown zone: %v", r)
		}
		wantContains(t, "the error", r.out, "/usr/share/zoneinfo/Europe/Pariss does not exist", "did you mean /usr/share/zoneinfo/Europe/Paris?")
		wantEqual(t, "/etc/localtime", m.out(t, "readlink", "/etc/localtime"), before["localtime"])
	})

	t.Run("switched on", func(t *testing.T) {
		out := m.switchTo(t, optionsEtcConfig(true))
		wantContains(t, "the switch", out, "file:/etc/localtime", "file:/etc/sysctl.d/60-gocfg.conf", "file:/etc/tmpfiles.d/gocfg.conf", "file:/etc/sudoers.d/gocfg")
		if strings.Contains(out, "on_change") {
			t.Errorf("an on_change hook failed:\n%s", out)
		}
		wantEqual(t, "timedatectl's zone", zone(t), "Europe/Paris")
		wantEqual(t, "/etc/localtime", m.out(t, "readlink", "/etc/localtime"), "/usr/share/zoneinfo/Europe/Paris")
		wantEqual(t, "/etc/timezone", m.read(t, "/etc/timezone"), "Europe/Paris\n")
		wantEqual(t, "ip_forward", sysctl(t, "net.ipv4.ip_forward"), "1")
		wantEqual(t, "ip_default_ttl", sysctl(t, "net.ipv4.ip_default_ttl"), "77")
		wantEqual(t, "the tmpfiles folder", m.out(t, "stat", "-c", "%F %a", "/run/e2e-tmpfiles"), "directory 750")
		wantEqual(t, "the sudoers file", m.out(t, "stat", "-c", "%F %a %U:%G", "/etc/sudoers.d/gocfg"), "regular file 440 root:root")
		wantContains(t, "sudo -l", m.out(t, "sudo", "-l", "-U", "alice"), "(ALL : ALL) NOPASSWD: /usr/bin/id")
		wantContains(t, "sudo -l for bob, in group sudo", m.out(t, "sudo", "-l", "-U", "bob"), "(ALL : ALL) NOPASSWD: ALL")
		// (sudo may first warn that the container's host name does not resolve.)
		if got := m.out(t, "runuser", "-u", "alice", "--", "sudo", "-n", "/usr/bin/id", "-un"); !strings.HasSuffix(got, "\nroot") && got != "root" {
			t.Errorf("sudo -n /usr/bin/id -un as alice = %q, want root", got)
		}

		out = m.mustGocfg(t, "switch", "-c", cfgDir)
		wantContains(t, "the second switch", out, noChanges)
	})

	t.Run("a broken sudo rule fails the plan once sudo is there", func(t *testing.T) {
		r := m.trySwitch(t, brokenRule)
		if r.code != 1 {
			t.Fatalf("switch with a broken rule: %v", r)
		}
		wantContains(t, "the error", r.out, `environment.etc."sudoers.d/gocfg"`, "fails its check `visudo -c -f %s`", "/dev/stdin:2:16: syntax error")
		if strings.Contains(r.out, "gocfg will make these changes") {
			t.Errorf("a plan was shown:\n%s", r.out)
		}
		wantContains(t, "sudo -l", m.out(t, "sudo", "-l", "-U", "alice"), "(ALL : ALL) NOPASSWD: /usr/bin/id")
	})

	t.Run("a sysctl key removed gets its earlier value back", func(t *testing.T) {
		m.switchTo(t, optionsEtcConfig(false))
		wantEqual(t, "ip_default_ttl", sysctl(t, "net.ipv4.ip_default_ttl"), before["ttl"])
		wantEqual(t, "ip_forward", sysctl(t, "net.ipv4.ip_forward"), "1")
	})

	t.Run("options removed: the machine as before", func(t *testing.T) {
		out := m.switchTo(t, "")
		wantContains(t, "the switch", out, "puts back what was there before gocfg")
		wantEqual(t, "/etc/localtime", m.out(t, "readlink", "/etc/localtime"), before["localtime"])
		wantEqual(t, "/etc/timezone", m.read(t, "/etc/timezone"), before["timezone"])
		wantEqual(t, "timedatectl's zone", zone(t), before["zone"])
		wantEqual(t, "ip_forward", sysctl(t, "net.ipv4.ip_forward"), before["forward"])
		wantEqual(t, "ip_default_ttl", sysctl(t, "net.ipv4.ip_default_ttl"), before["ttl"])
		for _, gone := range []string{"/etc/sudoers.d/gocfg", "/etc/sysctl.d/60-gocfg.conf", "/etc/tmpfiles.d/gocfg.conf"} {
			if m.exists(t, gone) {
				t.Errorf("%s is still there", gone)
			}
		}
		if r := m.run(t, "sudo", "-l", "-U", "alice"); strings.Contains(r.out, "/usr/bin/id") {
			t.Errorf("sudo -l still lists the rule:\n%s", r.out)
		}
		if r := m.run(t, "sudo", "-l", "-U", "bob"); strings.Contains(r.out, "NOPASSWD") {
			t.Errorf("bob still needs no password:\n%s", r.out)
		}
		out = m.mustGocfg(t, "switch", "-c", cfgDir)
		wantContains(t, "the second switch", out, noChanges)
	})

	// users.<name>.hashed_password (tester W: without it, an
	// administrator whose sudo asks a password could not use it): the
	// password works through PAM, the wrong one does not.
	t.Run("an administrator's password for sudo", func(t *testing.T) {
		m.switchTo(t, `security {
  sudo {
    wheel_needs_password = true
  }
}
users "carol" {
  admin           = true
  hashed_password = "$6$e2esalt$zOZct7UrQ6sIsfNBvQ662sivB4IXS47jqkC00bpToWkcNcVJZlzm.A.58f.uTQl8Hqx11f6uRjh6fuVVeriPR0"
}
`)
		sudo := func(password string) result {
			return m.run(t, "runuser", "-u", "carol", "--", "sh", "-c", `printf '%s\n' "$1" | sudo -S -k /usr/bin/id -un`, "sh", password)
		}
		if r := sudo("e2e-secret"); r.code != 0 || !strings.HasSuffix(strings.TrimSpace(r.out), "root") {
			t.Errorf("sudo with carol's password: %v", r)
		}
		if r := sudo("wrong"); r.code == 0 {
			t.Errorf("sudo with a wrong password passed: %v", r)
		}
		m.switchTo(t, "")
		if r := m.run(t, "id", "carol"); r.code == 0 {
			t.Errorf("carol, whom gocfg created, is still there: %v", r)
		}
	})

	// environment.variables: a login shell of any user has them, and so
	// does what systemd's environment.d generator gives a user's manager,
	// literally, beside her own session_variables.
	t.Run("environment.variables", func(t *testing.T) {
		const value = "it's $HOME \"q\" `id` \\ 100%"
		m.switchTo(t, `users "erin" {
}
home "erin" {
  session_variables = { GOCFG_E2E_OWN = "erin's" }
}
environment {
  variables = {
    GOCFG_E2E = "it's $HOME \"q\" `+"`id`"+` \\ 100%"
  }
}
`)
		wantEqual(t, "a login shell's GOCFG_E2E", m.MustExecAs(t, "erin", "bash", "-lc", `printf '%s' "$GOCFG_E2E"`), value)
		const generator = `eval "$(/usr/lib/systemd/user-environment-generators/30-systemd-environment-d-generator)" && printf '%s' "$GOCFG_E2E"`
		wantEqual(t, "environment.d's GOCFG_E2E", m.MustExecAs(t, "erin", "sh", "-c", generator), value)
		// Her own session variables do not hide the system's (reviewer:
		// a file of hers with the system file's name replaced it).
		wantEqual(t, "environment.d's GOCFG_E2E_OWN", m.MustExecAs(t, "erin", "sh", "-c", strings.ReplaceAll(generator, "GOCFG_E2E\"", "GOCFG_E2E_OWN\"")), "erin's")
		m.switchTo(t, "")
		if got := m.MustExec(t, "sh", "-c", "ls /etc/profile.d /etc/environment.d 2>/dev/null | grep gocfg || true"); strings.TrimSpace(got) != "" {
			t.Errorf("left after the option went: %s", got)
		}
	})
}
