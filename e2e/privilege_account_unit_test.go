package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestPrivilegeStoppedAccountUnit: tester AA. A system service that runs
// as mallory (User=) runs processes of hers, which she may stop
// (SIGSTOP); a oneshot's start job has no timeout of its own, so root's
// switch waited for it without end, holding the state lock (847 s until
// an operator killed it). The job is bounded as a job of her own
// manager is (5 minutes; 10 s here through the test build's
// GOCFG_TEST_JOB_TIMEOUT): the switch fails saying why, is undone, and
// the machine is as before. The service stops itself, as she would.
func TestPrivilegeStoppedAccountUnit(t *testing.T) {
	t.Parallel()
	m := bootAttacked(t, "e2e-priv-acctunit")
	m.switchTo(t, `environment {
  etc "gocfg-e2e-motd" {
    text = "one\n"
  }
}
`)
	m.config(t, `environment {
  etc "gocfg-e2e-motd" {
    text = "two\n"
  }
}
systemd {
  services "mallory-job" {
    type           = "oneshot"
    user           = "`+mallory+`"
    exec_start     = "/bin/sh -c 'kill -STOP $$$$'"
    wanted_by      = ["multi-user.target"]
    service_config = { TimeoutStopSec = "5s" }
  }
}
`)
	start := time.Now()
	r := m.gocfg(t, []string{"GOCFG_TEST_JOB_TIMEOUT=10s"}, "switch", "-c", cfgDir)
	took := time.Since(start)
	t.Logf("root's switch took %s: %v", took.Round(time.Second), r.brief())
	if r.code == 0 {
		t.Fatalf("root's switch succeeded with the start job never finishing: %v", r)
	}
	if took > 2*time.Minute {
		t.Errorf("root's switch took %s", took.Round(time.Second))
	}
	wantContains(t, "root's switch", r.out, "systemctl start mallory-job.service did not finish within 10s (its unit runs as an ordinary account, or waits for one")
	wantEqual(t, "the /etc file", m.read(t, "/etc/gocfg-e2e-motd"), "one\n")
	if m.exists(t, "/var/lib/gocfg/journal.json") {
		t.Errorf("the journal is still there: the undo did not finish")
	}
	if m.exists(t, "/etc/systemd/system/mallory-job.service") {
		t.Errorf("the unit file is still there")
	}
	// The lock is free: another root command runs.
	m.mustGocfg(t, "status")

	// boundedFail runs root's switch, which must fail within the bound
	// on unit's start job, the /etc file back to motd; boundedFailSaying,
	// saying want, and returns its result.
	var boundedFailSaying func(t *testing.T, want, motd string) result
	boundedFail := func(t *testing.T, unit, motd string) {
		t.Helper()
		boundedFailSaying(t, "systemctl start "+unit+" did not finish within 10s (its unit runs as an ordinary account, or waits for one", motd)
	}
	boundedFailSaying = func(t *testing.T, want, motd string) result {
		t.Helper()
		start := time.Now()
		r := m.gocfg(t, []string{"GOCFG_TEST_JOB_TIMEOUT=10s"}, "switch", "-c", cfgDir)
		took := time.Since(start)
		t.Logf("root's switch took %s: %v", took.Round(time.Second), r.brief())
		if r.code == 0 || took > 2*time.Minute {
			t.Fatalf("root's switch: %v after %s, want a failure within the bound", r, took.Round(time.Second))
		}
		wantContains(t, "root's switch", r.out, want)
		wantEqual(t, "the /etc file", m.read(t, "/etc/gocfg-e2e-motd"), motd)
		return r
	}

	// Tester AB: a root service that needs hers waits for her start
	// job, which never ends: the root service's job is bounded too.
	t.Run("a root unit that waits for hers", func(t *testing.T) {
		m.config(t, `environment {
  etc "gocfg-e2e-motd" {
    text = "three\n"
  }
}
systemd {
  services "mallory-prep" {
    type           = "oneshot"
    user           = "`+mallory+`"
    exec_start     = "/bin/sh -c 'kill -STOP $$$$'"
    service_config = { TimeoutStopSec = "5s" }
  }
  services "app" {
    exec_start = "/bin/sleep 1000"
    requires   = ["mallory-prep.service"]
    after      = ["mallory-prep.service"]
    wanted_by  = ["multi-user.target"]
  }
}
`)
		boundedFail(t, "app.service", "one\n")
		m.mustGocfg(t, "status")
	})

	// herScript writes her script at /home/mallory/<name>.sh, as she may.
	herScript := func(t *testing.T, name, body string) string {
		p := malloryHome + "/" + name + ".sh"
		m.MustExecAs(t, mallory, "sh", "-c", `printf '#!/bin/sh\n%s\n' "$2" > "$1" && chmod 755 "$1"`, "sh", p, body)
		return p
	}
	motd := func(v string) string {
		return "environment {\n  etc \"gocfg-e2e-motd\" {\n    text = \"" + v + "\\n\"\n  }\n}\n"
	}

	// herUnit is her oneshot mallory-<name> running script, with the
	// further settings extra, and %s where root's services go.
	herUnit := func(name, script, extra string) string {
		return `
systemd {
  services "mallory-` + name + `" {
    type           = "oneshot"
    user           = "` + mallory + `"
    exec_start     = "` + script + `"
    service_config = { TimeoutStopSec = "5s" }
    ` + extra + `
  }
%s}
`
	}
	// rootApp is root's service name, which wants and is after unit.
	rootApp := func(name, unit string) string {
		return `  services "` + name + `" {
    exec_start = "/bin/sleep 1000"
    wants      = ["` + unit + `"]
    after      = ["` + unit + `"]
    wanted_by  = ["multi-user.target"]
  }
`
	}
	// stopped switches to her unit (generation motd before), then stops
	// her script (SIGSTOP, as she may) and writes root's configuration
	// with app (motd after); the cleanup kills her script.
	stopped := func(t *testing.T, name, extra, app, before, after string) {
		her := herUnit(name, herScript(t, name, "exit 0"), extra)
		m.switchTo(t, motd(before)+fmt.Sprintf(her, ""))
		herScript(t, name, "kill -STOP $$")
		// By its name: -f would match the shell that kills it.
		t.Cleanup(func() { m.MustExecAs(t, mallory, "sh", "-c", "pkill -KILL -x "+name+".sh || true") })
		m.config(t, motd(after)+fmt.Sprintf(her, app))
	}

	// cancelled: root's start job of app, failed at the bound, was
	// cancelled: it does not run when she lets her script name finish.
	cancelled := func(t *testing.T, name, app string) {
		t.Helper()
		m.MustExecAs(t, mallory, "sh", "-c", "pkill -KILL -x "+name+".sh || true")
		time.Sleep(time.Second)
		if st := m.show(t, app, "ActiveState"); st == "active" || st == "activating" {
			t.Errorf("%s is %s after her unit finished: root's queued start ran", app, st)
		}
		m.mustGocfg(t, "status")
	}

	// Tester AC: a target is ordered after the units it wants, so a
	// root unit after network-online.target waited for her oneshot
	// that the target wants, without a bound.
	t.Run("a root unit after a target hers is wanted by", func(t *testing.T) {
		stopped(t, "prep", `wanted_by = ["network-online.target"]`, rootApp("app", "network-online.target"), "four", "five")
		boundedFail(t, "app.service", "four\n")
	})

	// Tester AD: a root unit after her unit's Alias= waited without a
	// bound: the alias is her unit.
	t.Run("a root unit after her unit's alias", func(t *testing.T) {
		stopped(t, "aliased", `install_config = { Alias = "worker.service" }`, rootApp("app", "worker.service"), "nine", "ten")
		boundedFail(t, "app.service", "nine\n")
	})

	// Tester AD: a chain through units of the machine's own, which
	// gocfg does not read (her unit wanted by bridge.target, which
	// outer.target wants and is after, which root's unit is after),
	// held root's switch without end. The manager's queue shows it.
	t.Run("a root unit queued behind hers through the machine's own units", func(t *testing.T) {
		m.MustExec(t, "sh", "-c", `printf '[Unit]\nDescription=gocfg e2e bridge\n' > /etc/systemd/system/bridge.target &&
printf '[Unit]\nDescription=gocfg e2e outer\nWants=bridge.target\nAfter=bridge.target\n' > /etc/systemd/system/outer.target &&
systemctl daemon-reload`)
		stopped(t, "bridged", `wanted_by = ["bridge.target"]`, rootApp("app", "outer.target"), "eleven", "twelve")
		boundedFailSaying(t, "unit app.service: start: waits for mallory-bridged.service, which runs as an ordinary account, and did not finish within 10s", "eleven\n")
		cancelled(t, "bridged", "app.service")
	})

	// Tester AF: a unit of the machine's own, not in the configuration,
	// that runs as her (User=, set by the admin) is hers to stop as much
	// as a declared one, and root's unit after it was not watched at
	// all (no declared unit ran as her). The manager is asked who a
	// waited-for unit runs as.
	t.Run("a root unit queued behind a unit of the machine's own that runs as her", func(t *testing.T) {
		own := herScript(t, "own", "kill -STOP $$")
		t.Cleanup(func() { m.MustExecAs(t, mallory, "sh", "-c", "pkill -KILL -x own.sh || true") })
		m.MustExec(t, "sh", "-c", `printf '[Unit]\nDescription=gocfg e2e the machine'"'"'s own, as mallory\n[Service]\nType=oneshot\nUser=`+mallory+`\nExecStart=%s\nTimeoutStopSec=5s\n' "$1" > /etc/systemd/system/mallory-own.service &&
systemctl daemon-reload`, "sh", own)
		m.switchTo(t, motd("twenty"))
		m.config(t, motd("twenty-one")+"systemd {\n"+rootApp("app4", "mallory-own.service")+"}\n")
		boundedFailSaying(t, "unit app4.service: start: waits for mallory-own.service, which runs as an ordinary account, and did not finish within 10s", "twenty\n")
		cancelled(t, "own", "app4.service")
	})

	// machineUnit writes /etc/systemd/system/<name> with text (printf's
	// format, %s the argument arg) and reloads the manager.
	machineUnit := func(t *testing.T, name, text, arg string) {
		t.Helper()
		m.MustExec(t, "sh", "-c", `printf "$1" "$2" > /etc/systemd/system/"$3" && systemctl daemon-reload`, "sh", text, arg, name)
	}

	// The reviewer: every job of the system manager is watched, not
	// only JobOp's: systemd.units' start of a unit of the machine's own
	// that is after hers was not, and waited without end.
	t.Run("systemd.units' start queued behind a unit that runs as her", func(t *testing.T) {
		machineUnit(t, "mallory-own2.service", `[Unit]\nDescription=gocfg e2e as mallory\n[Service]\nType=oneshot\nUser=`+mallory+`\nExecStart=%s\nTimeoutStopSec=5s\n`, herScript(t, "own2", "kill -STOP $$"))
		t.Cleanup(func() { m.MustExecAs(t, mallory, "sh", "-c", "pkill -KILL -x own2.sh || true") })
		machineUnit(t, "app6.service", `[Unit]\nWants=mallory-own2.service\nAfter=mallory-own2.service\n[Service]\nExecStart=/bin/sleep %s\n[Install]\nWantedBy=multi-user.target\n`, "1000")
		m.config(t, motd("twenty-two")+"systemd {\n  units \"app6.service\" { enable = true }\n}\n")
		boundedFailSaying(t, "unit app6.service: start: waits for mallory-own2.service, which runs as an ordinary account, and did not finish within 10s", "twenty\n")
		cancelled(t, "own2", "app6.service")
	})

	// The reviewer: the job's own unit counts, as the manager sees it: a
	// drop-in of the machine's gives root's declared unit User= her.
	t.Run("a root unit a drop-in runs as her", func(t *testing.T) {
		script := herScript(t, "dropped", "kill -STOP $$")
		t.Cleanup(func() { m.MustExecAs(t, mallory, "sh", "-c", "pkill -KILL -x dropped.sh || true") })
		m.MustExec(t, "sh", "-c", `mkdir -p /etc/systemd/system/app7.service.d && printf '[Service]\nUser=`+mallory+`\n' > /etc/systemd/system/app7.service.d/user.conf`)
		t.Cleanup(func() { m.MustExec(t, "rm", "-r", "/etc/systemd/system/app7.service.d") })
		m.config(t, motd("twenty-three")+`systemd {
  services "app7" {
    type           = "oneshot"
    exec_start     = "`+script+`"
    wanted_by      = ["multi-user.target"]
    service_config = { TimeoutStopSec = "5s" }
  }
}
`)
		boundedFailSaying(t, "unit app7.service: start: runs as an ordinary account, and did not finish within 10s", "twenty\n")
	})

	// The reviewer: a unit of root's that runs her script through
	// runuser is hers to stop: its process's uid says so.
	t.Run("a root unit queued behind one running her process", func(t *testing.T) {
		machineUnit(t, "runs-hers.service", `[Unit]\nDescription=gocfg e2e runuser\n[Service]\nType=oneshot\nExecStart=/usr/sbin/runuser -u `+mallory+` -- %s\nTimeoutStopSec=5s\n`, herScript(t, "rr", "kill -STOP $$"))
		t.Cleanup(func() { m.MustExecAs(t, mallory, "sh", "-c", "pkill -KILL -x rr.sh || true") })
		m.config(t, motd("twenty-four")+"systemd {\n"+rootApp("app8", "runs-hers.service")+"}\n")
		boundedFailSaying(t, "unit app8.service: start: waits for runs-hers.service, which runs as an ordinary account", "twenty\n")
		cancelled(t, "rr", "app8.service")
	})

	// Tester AH: su (and runuser -l) move her shell into a session of
	// hers, out of root's unit's cgroup: the processes of root's unit
	// are followed to their children.
	t.Run("a root unit queued behind one running her process through su", func(t *testing.T) {
		machineUnit(t, "via-su.service", `[Unit]\nDescription=gocfg e2e su\n[Service]\nType=oneshot\nExecStart=/bin/su `+mallory+` -s /bin/sh -c %s\nTimeoutStopSec=5s\n`, herScript(t, "xsu", "kill -STOP $$"))
		t.Cleanup(func() { m.MustExecAs(t, mallory, "sh", "-c", "pkill -KILL -x xsu.sh || true") })
		m.config(t, motd("twenty-five")+"systemd {\n"+rootApp("app9", "via-su.service")+"}\n")
		boundedFailSaying(t, "unit app9.service: start: waits for via-su.service, which runs as an ordinary account", "twenty\n")
		cancelled(t, "xsu", "app9.service")
	})

	// Tester AH: through systemd-run --uid --wait her process is in a
	// unit of its own, which no job of root's waits for: no watch sees
	// it. An interrupt ends root's wait (it held the switch through
	// SIGTERM): the start is cancelled and the switch undone.
	t.Run("an interrupt ends root's wait on hers through systemd-run", func(t *testing.T) {
		machineUnit(t, "via-run.service", `[Unit]\nDescription=gocfg e2e systemd-run\n[Service]\nType=oneshot\nExecStart=/usr/bin/systemd-run --uid=`+mallory+` --wait --quiet %s\nTimeoutStopSec=5s\n`, herScript(t, "xr", "kill -STOP $$"))
		t.Cleanup(func() { m.MustExecAs(t, mallory, "sh", "-c", "pkill -KILL -x xr.sh || true") })
		m.config(t, motd("twenty-six")+"systemd {\n"+rootApp("app10", "via-run.service")+"}\n")
		b := startBackground(t, func() result {
			return m.gocfg(t, []string{"GOCFG_TEST_JOB_TIMEOUT=10s"}, "switch", "-c", cfgDir)
		}, func() { m.MustExec(t, "sh", "-c", "pkill -KILL -x gocfg || true") })
		// Past the bound: the watch does not see her.
		time.Sleep(14 * time.Second)
		if r, ended := b.ended(); ended {
			t.Fatalf("root's switch ended before the interrupt: %v", r)
		}
		m.MustExec(t, "pkill", "-TERM", "-x", "gocfg")
		r, ended := b.within(30 * time.Second)
		if !ended {
			t.Fatal("root's switch still waits 30 s after SIGTERM")
		}
		if r.code == 0 {
			t.Fatalf("root's switch succeeded: %v", r)
		}
		wantContains(t, "root's switch", r.out, "interrupted (SIGTERM)", "interrupted while waiting for the job")
		wantEqual(t, "the /etc file", m.read(t, "/etc/gocfg-e2e-motd"), "twenty\n")
		cancelled(t, "xr", "app10.service")
	})

	// The reviewer: an interrupted restart (her process held through
	// systemd-run, which no watch sees) was left queued, and the undo's
	// restart merged with it and waited as long: the undo, and the
	// recovery after a kill, without end. The undo leaves the unit to
	// that job.
	t.Run("an interrupted restart is left to its job", func(t *testing.T) {
		script := herScript(t, "xr2", "exit 0")
		unit := func(v string) string {
			return `systemd {
  services "via-run2" {
    type           = "oneshot"
    exec_start     = "/usr/bin/systemd-run --uid=` + mallory + ` --wait --quiet ` + script + `"
    environment    = { V = "` + v + `" }
    wanted_by      = ["multi-user.target"]
    service_config = { RemainAfterExit = "yes", TimeoutStopSec = "5s" }
  }
}
`
		}
		m.switchTo(t, motd("twenty-nine")+unit("1"))
		herScript(t, "xr2", "kill -STOP $$")
		t.Cleanup(func() { m.MustExecAs(t, mallory, "sh", "-c", "pkill -KILL -x xr2.sh || true") })
		m.config(t, motd("thirty")+unit("2"))
		b := startBackground(t, func() result {
			return m.gocfg(t, []string{"GOCFG_TEST_JOB_TIMEOUT=10s"}, "switch", "-c", cfgDir)
		}, func() { m.MustExec(t, "sh", "-c", "pkill -KILL -x gocfg || true") })
		time.Sleep(5 * time.Second)
		m.MustExec(t, "pkill", "-TERM", "-x", "gocfg")
		r, ended := b.within(30 * time.Second)
		if !ended {
			t.Fatal("root's switch still waits 30 s after SIGTERM: the undo waits on the restart it left")
		}
		wantContains(t, "root's switch", r.out, "interrupted (SIGTERM)", "left to that job")
		wantEqual(t, "the /etc file", m.read(t, "/etc/gocfg-e2e-motd"), "twenty-nine\n")
		if m.exists(t, "/var/lib/gocfg/journal.json") {
			t.Errorf("the journal is still there: the next command would wait on the undo again")
		}
		m.mustGocfg(t, "status")
	})

	// postinstPackage puts a package name in a local apt repository of
	// the container, whose postinst starts its service, which wants and
	// is after target.
	postinstPackage := func(t *testing.T, name, target string) {
		t.Helper()
		m.MustExec(t, "sh", "-c", `set -e
n=`+name+` target=`+target+`
d=/root/pkg-$n; rm -rf $d; mkdir -p $d/DEBIAN $d/lib/systemd/system
printf 'Package: %s\nVersion: 1.0\nArchitecture: all\nMaintainer: e2e <e2e@example.invalid>\nDescription: gocfg e2e\n' $n > $d/DEBIAN/control
printf '#!/bin/sh\nsystemctl daemon-reload\nsystemctl start %s.service\n' $n > $d/DEBIAN/postinst
chmod 755 $d/DEBIAN/postinst
printf '[Unit]\nWants=%s\nAfter=%s\n[Service]\nExecStart=/bin/sleep 1000\n' $target $target > $d/lib/systemd/system/$n.service
mkdir -p /srv/e2e-pkg && dpkg-deb -b $d /srv/e2e-pkg/${n}_1.0_all.deb >/dev/null
cd /srv/e2e-pkg
for f in *.deb; do dpkg-deb -f $f; echo "Filename: ./$f"; echo "Size: $(stat -c %s $f)"; echo "SHA256: $(sha256sum $f | cut -d' ' -f1)"; echo; done > Packages
echo 'deb [trusted=yes] file:/srv/e2e-pkg ./' > /etc/apt/sources.list.d/gocfg-e2e-pkg.list
apt-get update -q >/dev/null`)
	}

	// Tester AH: a package's postinst starts its service (as
	// deb-systemd-invoke does without policy-rc.d), which is after
	// network-online.target, which her oneshot is wanted by: apt, the
	// dpkg lock and root's switch waited without end. The queue is
	// watched while the package manager runs: that job is cancelled at
	// the bound, the install fails, and the switch is undone.
	t.Run("a package's postinst queued behind hers", func(t *testing.T) {
		her := herUnit("net", herScript(t, "net", "exit 0"), `wanted_by = ["network-online.target"]`)
		m.switchTo(t, motd("twenty-seven")+fmt.Sprintf(her, ""))
		postinstPackage(t, "gocfg-e2e-svc", "network-online.target")
		herScript(t, "net", "kill -STOP $$")
		t.Cleanup(func() { m.MustExecAs(t, mallory, "sh", "-c", "pkill -KILL -x net.sh || true") })
		m.MustExec(t, "systemctl", "stop", "network-online.target", "mallory-net.service")
		m.config(t, motd("twenty-eight")+fmt.Sprintf(her, "")+`environment { system_packages = ["gocfg-e2e-svc"] }`+"\n")
		// Which job is cancelled first decides the rest: the package's
		// own (the postinst fails, and so the install and the switch,
		// which is undone) or network-online.target's (the package's
		// start, which only wants it, goes on, and the switch
		// succeeds). Either way root's switch ends.
		start := time.Now()
		r := m.gocfg(t, []string{"GOCFG_TEST_JOB_TIMEOUT=10s"}, "switch", "-c", cfgDir)
		took := time.Since(start)
		t.Logf("root's switch took %s: %v", took.Round(time.Second), r.brief())
		if took > 2*time.Minute {
			t.Fatalf("root's switch took %s", took.Round(time.Second))
		}
		if r.code != 0 {
			wantContains(t, "root's switch", r.out, "queued while it ran, waited for mallory-net.service, which run as ordinary accounts, past 10s, and was cancelled")
			wantEqual(t, "the /etc file", m.read(t, "/etc/gocfg-e2e-motd"), "twenty-seven\n")
			if got := m.run(t, "dpkg-query", "-W", "-f", "${db:Status-Status}", "gocfg-e2e-svc").out; got == "installed" {
				t.Errorf("gocfg-e2e-svc is installed after the undo")
			}
		}
	})

	// The reviewer: SIGTERM ended the waits of gocfg's own jobs, but not
	// those of a package's maintainer script, which held apt until the
	// bound (5 minutes by default). Interrupted, the queue watch cancels
	// such a job at once; apt itself is not cut short.
	t.Run("an interrupt ends a package's postinst queued behind hers", func(t *testing.T) {
		// A target of its own, so that what the case before left of
		// network-online.target (its job cancelled or not) is not in
		// the way (CI).
		machineUnit(t, "gocfg-e2e-online.target", `[Unit]\nDescription=gocfg e2e %s\n`, "online")
		her := herUnit("net2", herScript(t, "net2", "exit 0"), `wanted_by = ["gocfg-e2e-online.target"]`)
		m.switchTo(t, motd("twenty-eight-b")+fmt.Sprintf(her, ""))
		postinstPackage(t, "gocfg-e2e-svc2", "gocfg-e2e-online.target")
		herScript(t, "net2", "kill -STOP $$")
		t.Cleanup(func() { m.MustExecAs(t, mallory, "sh", "-c", "pkill -KILL -x net2.sh || true") })
		m.MustExec(t, "systemctl", "stop", "gocfg-e2e-online.target", "mallory-net2.service")
		m.config(t, motd("twenty-eight-c")+fmt.Sprintf(her, "")+`environment { system_packages = ["gocfg-e2e-svc2"] }`+"\n")
		b := startBackground(t, func() result {
			return m.gocfg(t, []string{"GOCFG_TEST_JOB_TIMEOUT=10m"}, "switch", "-c", cfgDir)
		}, func() { m.MustExec(t, "sh", "-c", "pkill -KILL -x gocfg || true") })
		// Until the postinst waits: its start job is queued.
		deadline := time.Now().Add(90 * time.Second)
		for !strings.Contains(m.run(t, "systemctl", "list-jobs", "--no-legend").out, "gocfg-e2e-svc2.service") {
			if r, ended := b.ended(); ended {
				t.Fatalf("root's switch ended before the postinst waited: %v", r)
			}
			if time.Now().After(deadline) {
				t.Fatalf("the postinst's start job was not queued within 90 s; jobs:\n%s\nprocesses:\n%s\njournal:\n%s",
					m.run(t, "systemctl", "list-jobs", "--no-pager").out,
					m.run(t, "ps", "-eo", "pid,stat,etime,args").out,
					m.run(t, "journalctl", "--no-pager", "-n", "40").out)
			}
			time.Sleep(500 * time.Millisecond)
		}
		time.Sleep(2 * time.Second)
		m.MustExec(t, "pkill", "-TERM", "-x", "gocfg")
		r, ended := b.within(45 * time.Second)
		if !ended {
			t.Fatal("root's switch still waits 45 s after SIGTERM: the postinst's job waits out the bound")
		}
		t.Logf("root's switch: %v", r.brief())
		if r.code == 0 {
			t.Fatalf("root's switch succeeded after SIGTERM: %v", r)
		}
		wantContains(t, "root's switch", r.out, "interrupted (SIGTERM)")
		wantEqual(t, "the /etc file", m.read(t, "/etc/gocfg-e2e-motd"), "twenty-eight-b\n")
	})

	// The reviewer: through the same kind of chain, her job done in 2 s,
	// root's job then waits for slow units of the machine's own (15 s),
	// past the bound: those waits are root's, and the switch succeeds.
	// One of them runs as nobody, whose processes no ordinary user may
	// stop: not hers (reviewer).
	t.Run("a root unit queued behind hers, then behind the machine's own", func(t *testing.T) {
		m.MustExec(t, "sh", "-c", `printf '[Unit]\nDescription=gocfg e2e slow\n[Service]\nType=oneshot\nExecStart=/bin/sleep 15\n' > /etc/systemd/system/slow.service &&
printf '[Unit]\nDescription=gocfg e2e slow as nobody\n[Service]\nType=oneshot\nUser=nobody\nExecStart=/bin/sleep 15\n' > /etc/systemd/system/slow-nobody.service &&
printf '[Unit]\nDescription=gocfg e2e bridge2\nWants=slow.service slow-nobody.service\nAfter=slow.service slow-nobody.service\n' > /etc/systemd/system/bridge2.target &&
printf '[Unit]\nDescription=gocfg e2e outer2\nWants=bridge2.target\nAfter=bridge2.target\n' > /etc/systemd/system/outer2.target &&
systemctl daemon-reload`)
		her := herUnit("quick", herScript(t, "quick", "sleep 2"), `wanted_by = ["bridge2.target"]`)
		m.switchTo(t, motd("thirteen")+fmt.Sprintf(her, ""))
		m.MustExec(t, "systemctl", "stop", "outer2.target", "bridge2.target", "slow.service", "slow-nobody.service", "mallory-quick.service")
		m.config(t, motd("fourteen")+fmt.Sprintf(her, rootApp("app2", "outer2.target")))
		start := time.Now()
		r := m.gocfg(t, []string{"GOCFG_TEST_JOB_TIMEOUT=10s"}, "switch", "-c", cfgDir)
		took := time.Since(start)
		t.Logf("root's switch took %s: %v", took.Round(time.Second), r.brief())
		if r.code != 0 {
			t.Fatalf("root's switch failed: %v", r)
		}
		if took < 12*time.Second {
			t.Errorf("root's switch took %s: it did not wait for slow.service past the bound", took.Round(time.Second))
		}
		wantEqual(t, "app2.service", m.show(t, "app2.service", "ActiveState"), "active")
	})

	// The reviewer: the undo's jobs are watched too. Root's running
	// service, ordered after a target of the machine's own that waits
	// for hers, is changed: its restart is queued behind her stopped
	// job, and so is the undo's restart of its previous version. Both
	// fail at the bound, the undo's as hers (left, the journal gone);
	// a restart is not cancelled, so the service runs again, its
	// previous version, once she lets hers finish.
	t.Run("the undo's restart queued behind hers", func(t *testing.T) {
		m.MustExec(t, "sh", "-c", `printf '[Unit]\nDescription=gocfg e2e bridge3\n' > /etc/systemd/system/bridge3.target &&
printf '[Unit]\nDescription=gocfg e2e outer3\nWants=bridge3.target\nAfter=bridge3.target\n' > /etc/systemd/system/outer3.target &&
systemctl daemon-reload`)
		her := herUnit("gate", herScript(t, "gate", "exit 0"), `wanted_by = ["bridge3.target"]`)
		app := func(sleep string) string {
			return `  services "app3" {
    exec_start = "/bin/sleep ` + sleep + `"
    wants      = ["outer3.target"]
    after      = ["outer3.target"]
    wanted_by  = ["multi-user.target"]
  }
`
		}
		m.switchTo(t, motd("fifteen")+fmt.Sprintf(her, app("1001")))
		wantEqual(t, "app3.service", m.show(t, "app3.service", "ActiveState"), "active")
		herScript(t, "gate", "kill -STOP $$")
		t.Cleanup(func() { m.MustExecAs(t, mallory, "sh", "-c", "pkill -KILL -x gate.sh || true") })
		m.MustExec(t, "systemctl", "stop", "outer3.target", "bridge3.target")
		m.config(t, motd("sixteen")+fmt.Sprintf(her, app("1002")))
		r := boundedFailSaying(t, "unit app3.service: restart: waits for mallory-gate.service, which runs as an ordinary account, and did not finish within 10s", "fifteen\n")
		wantContains(t, "root's switch", r.out, "could not be undone and were left as they are")
		if m.exists(t, "/var/lib/gocfg/journal.json") {
			t.Errorf("the journal is still there: every later switch would retry the undo she holds")
		}
		m.MustExecAs(t, mallory, "sh", "-c", "pkill -KILL -x gate.sh || true")
		deadline := time.Now().Add(20 * time.Second)
		for m.show(t, "app3.service", "ActiveState") != "active" && time.Now().Before(deadline) {
			time.Sleep(200 * time.Millisecond)
		}
		wantEqual(t, "app3.service", m.show(t, "app3.service", "ActiveState"), "active")
		wantContains(t, "app3's command", m.show(t, "app3.service", "ExecStart"), "/bin/sleep 1001")
		m.mustGocfg(t, "status")
	})

	// Tester AC: her reload fails, and so did the undo's reload again;
	// the journal was kept, and every later switch and rollback failed
	// recovering it, even with her unit gone from the configuration.
	// The undo's failure on her unit is left and reported.
	t.Run("her unit's failed reload leaves later switches free", func(t *testing.T) {
		reload := herScript(t, "reload", "exit 0")
		unit := func(v string) string {
			return `
systemd {
  services "mallory-rl" {
    user              = "` + mallory + `"
    exec_start        = "/bin/sleep 1000"
    exec_reload       = "` + reload + `"
    reload_if_changed = true
    environment       = { V = "` + v + `" }
    wanted_by         = ["multi-user.target"]
  }
}
`
		}
		m.switchTo(t, motd("six")+unit("1"))
		herScript(t, "reload", "exit 1")
		m.config(t, motd("seven")+unit("2"))
		r := m.gocfg(t, nil, "switch", "-c", cfgDir)
		t.Logf("root's switch: %v", r.brief())
		if r.code == 0 {
			t.Fatalf("root's switch succeeded with her reload failing: %v", r)
		}
		wantContains(t, "root's switch", r.out, "on units they run could not be undone and were left as they are", "mallory-rl.service")
		if m.exists(t, "/var/lib/gocfg/journal.json") {
			t.Errorf("the journal is kept: the next root command would retry her reload")
		}
		m.config(t, motd("eight"))
		if r := m.gocfg(t, nil, "switch", "-c", cfgDir); r.code != 0 {
			t.Errorf("the next switch, without her unit: %v", r)
		}
		wantEqual(t, "the /etc file", m.read(t, "/etc/gocfg-e2e-motd"), "eight\n")
	})
}
