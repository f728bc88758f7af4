package e2e

import (
	"strings"
	"testing"
)

// TestDoctor: gocfg doctor on a live machine asks the real system
// manager and the user manager of a user with user units, and sees her
// linger (issue 13).
func TestDoctor(t *testing.T) {
	t.Parallel()
	m := boot(t, "e2e-doctor")
	doctor := func(t *testing.T) result {
		t.Helper()
		return m.gocfg(t, nil, "doctor", "-c", cfgDir)
	}
	line := func(t *testing.T, out, check string) string {
		t.Helper()
		for l := range strings.Lines(out) {
			if f := strings.Fields(l); len(f) > 1 && f[1] == check {
				return strings.TrimSpace(l)
			}
		}
		t.Fatalf("no %s line in:\n%s", check, out)
		return ""
	}

	t.Run("fresh", func(t *testing.T) {
		m.config(t, alicesTick(""))
		r := doctor(t)
		if r.code != 0 {
			t.Fatalf("doctor: %v", r)
		}
		wantEqual(t, "systemd", line(t, r.out, "systemd"), "ok       systemd       the system manager answers")
		wantEqual(t, "systemd-user", line(t, r.out, "systemd-user"), "ok       systemd-user  no user units are managed")
		wantContains(t, "packages", line(t, r.out, "packages"), "ok", "apt (/usr/bin/apt-get)")
		wantContains(t, "state-folder", line(t, r.out, "state-folder"), "/var/lib/gocfg: not created yet")
	})

	t.Run("user units", func(t *testing.T) {
		m.switchTo(t, alicesTick(""))
		m.MustExec(t, "loginctl", "enable-linger", "alice")
		m.waitUserManager(t, "alice")
		m.switchTo(t, alicesTick("/bin/sleep 1000"))
		r := doctor(t)
		if r.code != 0 {
			t.Fatalf("doctor: %v", r)
		}
		wantContains(t, "systemd-user", line(t, r.out, "systemd-user"), "ok", "the user manager of alice answers")
		wantContains(t, "linger", line(t, r.out, "linger"), "ok", "alice: linger")
		wantContains(t, "state-folder", line(t, r.out, "state-folder"), "ok", "/var/lib/gocfg: root's, mode 0755")
		wantContains(t, "store-areas", line(t, r.out, "store-areas"), "ok", "alice (ACL)")
		wantContains(t, "store", line(t, r.out, "store"), "ok", "generation 2 is current", "nothing is damaged")
	})

	t.Run("no linger", func(t *testing.T) {
		m.MustExec(t, "loginctl", "disable-linger", "alice")
		r := doctor(t)
		wantContains(t, "linger", line(t, r.out, "linger"), "warning", "alice: no linger", "hint: loginctl enable-linger alice")
	})
}
