package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/gocfg/gocfg/internal/nspawntest"
)

// TestOptionsCron: in one booted Debian container without cron,
// services.cron.enable with a system_cron_jobs line that runs every
// minute installs the package cron from the local repository, writes
// /etc/cron.d/gocfg (a regular file, root's, mode 0644, as cron wants
// it) and enables and starts cron.service (a unit of a package of the
// same switch); cron really runs the job: the file it touches appears
// (within about two minutes: the next minute, or the one after when cron
// looks at /etc/cron.d just before the file is there), else the test
// fails with what cron's journal says. A second switch changes nothing.
// Another job rewrites the file, and cron picks the changed file up
// without a restart (by its own look at /etc/cron.d each minute) and runs
// the new job. The option removed deletes /etc/cron.d/gocfg, stops and
// disables cron before the package goes, and removes the package (gocfg
// installed it, and cron-daemon-common, which came with it): the unit
// links and /etc/cron.d are as before, but for the conffile
// /etc/cron.d/.placeholder of cron-daemon-common, which apt-get remove
// leaves (until a purge).
func TestOptionsCron(t *testing.T) {
	t.Parallel()
	m := boot(t, "e2e-options-cron")
	m.UseLocalDebs(t)
	// .ci/rootfs.sh puts the package in the local repository (its
	// DEB_PACKAGES); an older repository lacks it, and the network is
	// not there to fetch it.
	if r := m.run(t, "apt-cache", "show", "cron"); r.code != 0 || !strings.Contains(r.out, "Package: cron") {
		nspawntest.Unavailable(t, "e2e", "no cron in the local apt repository %s: add it to DEB_PACKAGES of .ci/rootfs.sh and rebuild it", nspawntest.DebsDir())
	}
	const file = "/etc/cron.d/gocfg"
	const unit = "cron.service"
	const ran = "/run/gocfg-cron-ran"
	const ran2 = "/run/gocfg-cron-ran-again"
	cfg := func(job string) string {
		return `services {
  cron {
    enable           = true
    mail_to          = ""
    system_cron_jobs = ["` + job + `"]
  }
}
`
	}
	want := func(job string) string {
		return "# Written by gocfg (services.cron); replaced by every switch.\nPATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin\nMAILTO=\"\"\n" + job + "\n"
	}
	job := "* * * * * root touch " + ran
	job2 := "* * * * * root touch " + ran2

	if got := m.run(t, "dpkg-query", "-W", "-f", "${db:Status-Status}", "cron").out; got == "installed" {
		t.Fatal("the container has cron before the switch")
	}
	// /etc/cron.d may be there already (e2fsprogs puts e2scrub_all in it).
	cronD := func(t *testing.T) string {
		t.Helper()
		return m.out(t, "sh", "-c", "if [ -d /etc/cron.d ]; then echo /etc/cron.d:; ls -A /etc/cron.d; else echo no /etc/cron.d; fi")
	}
	cronDBefore := cronD(t)
	linksBefore := m.unitLinks(t)
	m.MustExec(t, "rm", "-f", ran, ran2)

	running := func(t *testing.T) {
		t.Helper()
		wantEqual(t, unit+" enabled, active", m.out(t, "systemctl", "is-enabled", unit)+", "+m.out(t, "systemctl", "is-active", unit), "enabled, active")
	}
	// waitRan waits until cron has made path, failing with cron's journal
	// after 130 s (a job of every minute runs within two).
	waitRan := func(t *testing.T, path string) {
		t.Helper()
		start := time.Now()
		deadline := start.Add(130 * time.Second)
		for !m.exists(t, path) {
			if time.Now().After(deadline) {
				t.Fatalf("cron did not run the job that makes %s within %s (%s %s); %s:\n%s\ncron's journal:\n%s", path, time.Since(start).Round(time.Second),
					unit, m.out(t, "systemctl", "is-active", unit), file,
					m.run(t, "sh", "-c", "ls -l /etc/cron.d; cat "+file).out,
					m.run(t, "journalctl", "-u", unit, "--no-pager", "-n", "60").out)
			}
			time.Sleep(2 * time.Second)
		}
		t.Logf("cron made %s %s after the switch", path, time.Since(start).Round(time.Second))
	}

	t.Run("switched on: cron runs the job", func(t *testing.T) {
		out := m.switchTo(t, cfg(job))
		wantContains(t, "the switch", out, "packages:install", "cron", "unitstate:"+unit, "file:"+file)
		if strings.Contains(out, "on_change") || strings.Contains(out, "warning") {
			t.Errorf("a hook failed, or a warning:\n%s", out)
		}
		wantEqual(t, "cron", m.out(t, "dpkg-query", "-W", "-f", "${db:Status-Status}", "cron"), "installed")
		wantEqual(t, file, m.read(t, file), want(job))
		// What cron asks of a file of /etc/cron.d: a regular file (not a
		// link into the generation), root's, not writable by group or
		// others.
		wantEqual(t, file+"'s type, mode and owner", m.out(t, "stat", "-c", "%F %a %U:%G", file), "regular file 644 root:root")
		running(t)
		waitRan(t, ran)
		// cron logs each job it starts.
		if j := m.run(t, "journalctl", "-u", unit, "--no-pager").out; !strings.Contains(j, "(root) CMD (touch "+ran+")") {
			t.Errorf("cron's journal does not show the job:\n%s", j)
		}

		out = m.mustGocfg(t, "switch", "-c", cfgDir)
		wantContains(t, "the second switch", out, noChanges)
	})

	t.Run("another job: the changed file picked up", func(t *testing.T) {
		out := m.switchTo(t, cfg(job2))
		if l := planLine(out, "file:"+file); !strings.HasPrefix(l, "~") {
			t.Errorf("the switch does not change %s:\n%s", file, out)
		}
		if strings.Contains(out, "on_change") || strings.Contains(out, "warning") {
			t.Errorf("a hook failed, or a warning:\n%s", out)
		}
		wantEqual(t, file, m.read(t, file), want(job2))
		wantEqual(t, file+"'s type, mode and owner", m.out(t, "stat", "-c", "%F %a %U:%G", file), "regular file 644 root:root")
		running(t)
		waitRan(t, ran2)
	})

	t.Run("option removed: the machine as before", func(t *testing.T) {
		out := m.switchTo(t, "")
		wantContains(t, "gocfg's output", out, "packages:remove", "cron", "unitstate:"+unit, "file:"+file)
		if strings.Contains(out, "on_change") || strings.Contains(out, "warning") {
			t.Errorf("a hook failed, or a warning:\n%s", out)
		}
		if m.exists(t, file) {
			t.Errorf("%s is still there", file)
		}
		if got := m.run(t, "dpkg-query", "-W", "-f", "${db:Status-Status}", "cron").out; got == "installed" {
			t.Error("cron is still installed")
		}
		if r := m.run(t, "systemctl", "is-active", unit); strings.TrimSpace(r.out) != "inactive" {
			t.Errorf("systemctl is-active %s: %v", unit, r)
		}
		wantEqual(t, "/etc/systemd/system", m.unitLinks(t), linksBefore)
		// The dependency the package brought, cron-daemon-common, goes
		// too; apt-get remove leaves its conffiles (until a purge), among
		// them /etc/cron.d/.placeholder, which is not gocfg's.
		if got := m.run(t, "dpkg-query", "-W", "-f", "${db:Status-Status}", "cron-daemon-common").out; got == "installed" {
			t.Error("cron-daemon-common, which cron brought, is still installed")
		}
		wantEqual(t, "/etc/cron.d but the conffile .placeholder", strings.Replace(cronD(t), "\n.placeholder", "", 1), cronDBefore)
		out = m.mustGocfg(t, "switch", "-c", cfgDir)
		wantContains(t, "the second switch", out, noChanges)
	})
}
