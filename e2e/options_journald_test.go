package e2e

import (
	"strings"
	"testing"
)

// TestOptionsJournald: in one booted Debian container, whose journald
// keeps the journal on disk (Debian's Storage=auto with /var/log/journal
// there), services.journald with storage = "volatile", a rate limit and
// an extra_config line writes /etc/systemd/journald.conf.d/60-gocfg.conf
// (which systemd-analyze cat-config shows after journald.conf) and its
// hook restarts journald (a new invocation and main PID), which runs and
// now writes to /run/log/journal only; a second switch changes nothing
// (journald not restarted); the options removed delete the file (and
// the folder gocfg made), and journald is restarted again, back to
// /var/log/journal. A rollback from the options switched on again does
// the same.
func TestOptionsJournald(t *testing.T) {
	t.Parallel()
	m := boot(t, "e2e-options-journald")
	const dir = "/etc/systemd/journald.conf.d"
	const dropIn = dir + "/60-gocfg.conf"
	const cfg = `services {
  journald {
    storage             = "volatile"
    rate_limit_interval = "10s"
    rate_limit_burst    = 200
    extra_config        = "RuntimeMaxUse=20M"
  }
}
`
	const want = "# Written by gocfg (services.journald); replaced by every switch.\n[Journal]\nStorage=volatile\nRateLimitIntervalSec=10s\nRateLimitBurst=200\nRuntimeMaxUse=20M\n"
	if m.exists(t, dir) {
		t.Fatalf("the container has %s before the switch", dir)
	}
	catConfig := func(t *testing.T) string {
		t.Helper()
		return m.out(t, "systemd-analyze", "cat-config", "systemd/journald.conf")
	}
	configBefore := catConfig(t)

	// journald is journald's invocation ID and main PID, which must be
	// running.
	journald := func(t *testing.T) string {
		t.Helper()
		wantEqual(t, "systemctl is-active systemd-journald.service", m.out(t, "systemctl", "is-active", "systemd-journald.service"), "active")
		return m.show(t, "systemd-journald.service", "InvocationID") + " " + m.show(t, "systemd-journald.service", "MainPID")
	}
	// wantRestarted fails unless journald runs with another invocation
	// and main PID than before.
	wantRestarted := func(t *testing.T, before string) string {
		t.Helper()
		now := journald(t)
		bf, nf := strings.Fields(before), strings.Fields(now)
		if len(bf) != 2 || len(nf) != 2 || bf[0] == nf[0] || bf[1] == nf[1] {
			t.Errorf("journald (invocation, main PID) was %q and is %q: not restarted", before, now)
		}
		return now
	}
	// storedIn logs a line tagged tag and returns where journald stored
	// it: "runtime" (/run/log/journal), "system" (/var/log/journal), both
	// or neither.
	storedIn := func(t *testing.T, tag string) string {
		t.Helper()
		m.MustExec(t, "sh", "-c", `echo "e2e line" | systemd-cat -t "$1" && journalctl --sync`, "sh", tag)
		var where []string
		for _, d := range []struct{ name, dir string }{{"runtime", "/run/log/journal"}, {"system", "/var/log/journal"}} {
			if strings.Contains(m.run(t, "journalctl", "-q", "-D", d.dir, "-t", tag, "-o", "cat").out, "e2e line") {
				where = append(where, d.name)
			}
		}
		return strings.Join(where, " ")
	}
	wantEqual(t, "where journald stores before gocfg", storedIn(t, "e2e-journald-0"), "system")
	before := journald(t)

	t.Run("switched on", func(t *testing.T) {
		out := m.switchTo(t, cfg)
		wantContains(t, "the switch", out, "file:"+dropIn)
		if strings.Contains(out, "on_change") {
			t.Errorf("an on_change hook failed:\n%s", out)
		}
		wantEqual(t, dropIn, m.read(t, dropIn), want)
		// After journald.conf, the last file (out trims the final newline).
		if got := catConfig(t); !strings.HasSuffix(got, "\n\n# "+dropIn+"\n"+strings.TrimSuffix(want, "\n")) {
			t.Errorf("systemd-analyze cat-config systemd/journald.conf does not end with %s:\n%s", dropIn, got)
		}
		before = wantRestarted(t, before)
		wantEqual(t, "where journald stores with storage = \"volatile\"", storedIn(t, "e2e-journald-1"), "runtime")

		out = m.mustGocfg(t, "switch", "-c", cfgDir)
		wantContains(t, "the second switch", out, noChanges)
		wantEqual(t, "journald after the second switch", journald(t), before)
	})

	t.Run("options removed: the file gone, journald restarted", func(t *testing.T) {
		out := m.switchTo(t, "")
		wantContains(t, "the switch", out, "file:"+dropIn)
		if strings.Contains(out, "on_change") {
			t.Errorf("an on_change hook failed:\n%s", out)
		}
		if m.exists(t, dir) {
			t.Errorf("%s is still there", dir)
		}
		wantEqual(t, "systemd-analyze cat-config systemd/journald.conf", catConfig(t), configBefore)
		before = wantRestarted(t, before)
		wantEqual(t, "where journald stores without the options", storedIn(t, "e2e-journald-2"), "system")

		out = m.mustGocfg(t, "switch", "-c", cfgDir)
		wantContains(t, "the second switch", out, noChanges)
		wantEqual(t, "journald after the second switch", journald(t), before)
	})

	// A rollback to the generation without the options does the same as
	// removing them (the hook recorded in the generation that had the
	// file runs).
	t.Run("on again, then rolled back", func(t *testing.T) {
		m.switchTo(t, cfg)
		wantEqual(t, dropIn, m.read(t, dropIn), want)
		before = wantRestarted(t, before)
		out := m.mustGocfg(t, "rollback")
		wantContains(t, "the rollback", out, "file:"+dropIn)
		if strings.Contains(out, "on_change") {
			t.Errorf("an on_change hook failed:\n%s", out)
		}
		if m.exists(t, dir) {
			t.Errorf("%s is still there", dir)
		}
		wantEqual(t, "systemd-analyze cat-config systemd/journald.conf", catConfig(t), configBefore)
		wantRestarted(t, before)
		wantEqual(t, "where journald stores after the rollback", storedIn(t, "e2e-journald-3"), "system")
	})
}
