package e2e

import (
	"strings"
	"testing"

	"github.com/gocfg/gocfg/internal/nspawntest"
)

// TestOptionsTimesyncd: in one booted Debian container without
// systemd-timesyncd, services.timesyncd.enable with networking.time_servers,
// fallback_servers and an extra_config line installs the package
// systemd-timesyncd from the local repository, writes
// /etc/systemd/timesyncd.conf.d/60-gocfg.conf (which systemd-analyze
// cat-config shows after timesyncd.conf) and enables and starts
// systemd-timesyncd.service (a unit of a package of the same switch),
// whose daemon reports the servers of the file (timedatectl
// show-timesync, over D-Bus); a second switch changes nothing; other
// servers rewrite the file and the hook restarts timesyncd, which
// reports them; the option removed deletes the file (and the folder gocfg
// made), stops and disables the unit before the package goes, and
// removes the package (gocfg installed it): the unit links are as
// before. A rollback from the option switched on again does the same.
//
// Debian 12's systemd-timesyncd.service has
// ConditionVirtualization=!container and ConditionCapability=CAP_SYS_TIME
// (nspawn gives no CAP_SYS_TIME): in a container systemd skips it, so the
// test first adds a drop-in of its own that clears both conditions and
// the ambient CAP_SYS_TIME it could not have, and timesyncd runs as its
// user systemd-timesync, as on a virtual machine, without the right to
// set the clock (it never gets to: the container has no network, so no
// server answers, and the test checks the servers timesyncd would ask,
// not a synchronisation). Without that drop-in the unit stays inactive
// (ConditionResult=no) after the start systemd.units asks for, which is
// as wanted: the last subtest checks that gocfg does not take it for a
// unit stopped by hand.
func TestOptionsTimesyncd(t *testing.T) {
	t.Parallel()
	m := boot(t, "e2e-options-timesyncd")
	m.UseLocalDebs(t)
	// .ci/rootfs.sh puts the package in the local repository (its
	// DEB_PACKAGES); an older repository lacks it, and the network is
	// not there to fetch it.
	if r := m.run(t, "apt-cache", "show", "systemd-timesyncd"); r.code != 0 || !strings.Contains(r.out, "Package: systemd-timesyncd") {
		nspawntest.Unavailable(t, "e2e", "no systemd-timesyncd in the local apt repository %s: add it to DEB_PACKAGES of .ci/rootfs.sh and rebuild it", nspawntest.DebsDir())
	}
	const dir = "/etc/systemd/timesyncd.conf.d"
	const dropIn = dir + "/60-gocfg.conf"
	const unit = "systemd-timesyncd.service"
	const testDropIn = "/etc/systemd/system/" + unit + ".d/e2e-container.conf"
	const cfg = `networking {
  time_servers = ["ntp1.example.org", "192.0.2.1"]
}
services {
  timesyncd {
    enable           = true
    fallback_servers = ["ntp.example.net"]
    extra_config     = "PollIntervalMaxSec=1024"
  }
}
`
	const want = "# Written by gocfg (services.timesyncd); replaced by every switch.\n[Time]\nNTP=ntp1.example.org 192.0.2.1\nFallbackNTP=ntp.example.net\nPollIntervalMaxSec=1024\n"
	const wantSync = "SystemNTPServers=ntp1.example.org 192.0.2.1\nFallbackNTPServers=ntp.example.net\nPollIntervalMaxUSec=17min 4s"
	if m.exists(t, "/lib/systemd/systemd-timesyncd") {
		t.Fatal("the container has systemd-timesyncd before the switch")
	}
	if m.exists(t, dir) {
		t.Fatalf("the container has %s before the switch", dir)
	}
	m.WriteFile(t, testDropIn, []byte("[Unit]\nConditionVirtualization=\nConditionCapability=\n[Service]\nAmbientCapabilities=\n"), 0o644)
	linksBefore := m.unitLinks(t)
	catConfig := func(t *testing.T) string {
		t.Helper()
		return m.out(t, "systemd-analyze", "cat-config", "systemd/timesyncd.conf")
	}
	// timesync is what the running timesyncd says of its servers, once
	// it answers on the bus (it is Type=notify: ready when started).
	timesync := func(t *testing.T) string {
		t.Helper()
		return m.out(t, "timedatectl", "show-timesync", "-p", "SystemNTPServers", "-p", "FallbackNTPServers", "-p", "PollIntervalMaxUSec")
	}
	// running is timesyncd's invocation ID, the unit being active.
	running := func(t *testing.T) string {
		t.Helper()
		wantEqual(t, unit+" enabled, active", m.out(t, "systemctl", "is-enabled", unit)+", "+m.out(t, "systemctl", "is-active", unit), "enabled, active")
		return m.show(t, unit, "InvocationID")
	}
	// wantGone fails unless the package, the drop-in and its folder are
	// gone, the unit stopped and the unit links as before the first
	// switch.
	wantGone := func(t *testing.T, out string) {
		t.Helper()
		wantContains(t, "gocfg's output", out, "packages:remove", "systemd-timesyncd", "unitstate:"+unit, "file:"+dropIn)
		if strings.Contains(out, "on_change") || strings.Contains(out, "warning") {
			t.Errorf("a hook failed, or a warning:\n%s", out)
		}
		if got := m.run(t, "dpkg-query", "-W", "-f", "${db:Status-Status}", "systemd-timesyncd").out; got == "installed" {
			t.Error("systemd-timesyncd is still installed")
		}
		if m.exists(t, dir) {
			t.Errorf("%s is still there", dir)
		}
		if r := m.run(t, "systemctl", "is-active", unit); strings.TrimSpace(r.out) != "inactive" {
			t.Errorf("systemctl is-active %s: %v", unit, r)
		}
		wantEqual(t, "/etc/systemd/system", m.unitLinks(t), linksBefore)
		// The package's /etc/systemd/timesyncd.conf stays, as apt-get
		// remove leaves conffiles (until a purge); no drop-in.
		if got := catConfig(t); strings.Contains(got, dir) {
			t.Errorf("systemd-analyze cat-config systemd/timesyncd.conf still shows %s:\n%s", dir, got)
		}
	}

	var before string
	t.Run("switched on", func(t *testing.T) {
		out := m.switchTo(t, cfg)
		wantContains(t, "the switch", out, "systemd-timesyncd", "unitstate:"+unit, "file:"+dropIn)
		if strings.Contains(out, "on_change") || strings.Contains(out, "warning") {
			t.Errorf("a hook failed, or a warning:\n%s", out)
		}
		wantEqual(t, "systemd-timesyncd", m.out(t, "dpkg-query", "-W", "-f", "${db:Status-Status}", "systemd-timesyncd"), "installed")
		wantEqual(t, dropIn, m.read(t, dropIn), want)
		if r := m.run(t, "test", "-L", dropIn); r.code == 0 {
			t.Errorf("%s is a link, not a copy", dropIn)
		}
		// After timesyncd.conf, the last file (out trims the final newline).
		if got := catConfig(t); !strings.HasSuffix(got, "\n\n# "+dropIn+"\n"+strings.TrimSuffix(want, "\n")) {
			t.Errorf("systemd-analyze cat-config systemd/timesyncd.conf does not end with %s:\n%s", dropIn, got)
		}
		before = running(t)
		wantEqual(t, "timedatectl show-timesync", timesync(t), wantSync)

		out = m.mustGocfg(t, "switch", "-c", cfgDir)
		wantContains(t, "the second switch", out, noChanges)
		wantEqual(t, "timesyncd after the second switch", running(t), before)
	})

	t.Run("other servers: timesyncd restarted", func(t *testing.T) {
		out := m.switchTo(t, strings.Replace(cfg, `enable           = true`, `enable           = true
    servers          = ["ntp2.example.org"]`, 1))
		if l := planLine(out, "file:"+dropIn); !strings.HasPrefix(l, "~") {
			t.Errorf("the switch does not change %s:\n%s", dropIn, out)
		}
		if strings.Contains(out, "on_change") || strings.Contains(out, "warning") {
			t.Errorf("a hook failed, or a warning:\n%s", out)
		}
		if now := running(t); now == before {
			t.Errorf("timesyncd was not restarted (invocation %s)", now)
		}
		wantEqual(t, "timedatectl show-timesync", timesync(t), strings.Replace(wantSync, "ntp1.example.org 192.0.2.1", "ntp2.example.org", 1))
		out = m.mustGocfg(t, "switch", "-c", cfgDir)
		wantContains(t, "the second switch", out, noChanges)
	})

	t.Run("option removed: the machine as before", func(t *testing.T) {
		out := m.switchTo(t, "")
		wantGone(t, out)
		out = m.mustGocfg(t, "switch", "-c", cfgDir)
		wantContains(t, "the second switch", out, noChanges)
	})

	// A rollback to the generation without the option does the same as
	// removing it (from the generations' records, not the configuration).
	t.Run("on again, then rolled back", func(t *testing.T) {
		m.switchTo(t, cfg)
		wantEqual(t, dropIn, m.read(t, dropIn), want)
		running(t)
		wantEqual(t, "timedatectl show-timesync", timesync(t), wantSync)
		out := m.mustGocfg(t, "rollback")
		wantGone(t, out)
	})

	// As in any container: the unit's conditions skip it, its start
	// succeeds with the unit inactive, and the next switch should still
	// have nothing to do.
	t.Run("the unit skipped by its conditions", func(t *testing.T) {
		m.MustExec(t, "rm", "-r", "/etc/systemd/system/"+unit+".d")
		m.MustExec(t, "systemctl", "daemon-reload")
		linksBefore = m.unitLinks(t)
		m.switchTo(t, cfg)
		wantEqual(t, dropIn, m.read(t, dropIn), want)
		wantEqual(t, unit+" enabled, active, condition", m.out(t, "systemctl", "is-enabled", unit)+", "+m.show(t, unit, "ActiveState")+", "+m.show(t, unit, "ConditionResult"), "enabled, inactive, no")
		// Not a unit stopped by hand: the next switch has nothing to
		// do (it started it again, every time), and removing the
		// option puts the machine back (it left the unit enabled, as
		// changed by hand).
		out := m.mustGocfg(t, "switch", "-c", cfgDir)
		wantContains(t, "the second switch", out, noChanges)
		wantGone(t, m.switchTo(t, ""))
	})
}
