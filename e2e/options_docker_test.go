package e2e

import (
	"strings"
	"testing"
	"time"
)

// optionsDockerConfig turns on virtualisation.docker with alice in the
// group docker and dockerd's debug setting as given.
func optionsDockerConfig(debug string) string {
	return `virtualisation {
  docker {
    enable   = true
    settings = { debug = ` + debug + `, log-level = "warn" }
    users    = ["alice"]
  }
}
`
}

// TestOptionsDocker: in one booted Debian container without Docker, a
// switch installs docker.io from the local repository, writes
// /etc/docker/daemon.json, puts alice in the group docker and enables and starts docker.service and docker.socket;
// dockerd runs in the container (`docker info` answers, over the socket,
// with daemon.json's settings). A second switch changes nothing; a
// changed setting reaches the running dockerd by a reload (same main
// PID, `docker info` shows it). The option removed takes away daemon.json,
// the group with alice's membership, the units' links and the package,
// which gocfg installed (not the dependencies apt installed with it). dockerd does run in the container (here with
// the overlay2 storage driver and cgroup v1 through cgroupfs, in the
// container's private network); no container is started, as the test has
// no image to start (no network).
func TestOptionsDocker(t *testing.T) {
	t.Parallel()
	m := boot(t, "e2e-options-docker")
	m.UseLocalDebs(t)
	m.MustExec(t, "useradd", "-m", "alice")
	if m.exists(t, "/usr/sbin/dockerd") || m.run(t, "getent", "group", "docker").code == 0 {
		t.Fatal("the container has docker.io or the group docker before the switch")
	}
	groups := func(t *testing.T) string {
		t.Helper()
		return m.out(t, "id", "-nG", "alice")
	}
	units := func(t *testing.T) string {
		t.Helper()
		var s []string
		for _, u := range []string{"docker.service", "docker.socket"} {
			s = append(s, u+" "+strings.TrimSpace(m.run(t, "systemctl", "is-enabled", u).out)+" "+strings.TrimSpace(m.run(t, "systemctl", "is-active", u).out))
		}
		return strings.Join(s, ", ")
	}
	info := func(t *testing.T, format string) string {
		t.Helper()
		r := m.run(t, "docker", "info", "--format", format)
		if r.code != 0 {
			t.Fatalf("docker info: %v\njournal of docker.service:\n%s", r, m.run(t, "journalctl", "-u", "docker.service", "-n", "40", "--no-pager").out)
		}
		return strings.TrimSpace(r.out)
	}
	groupsBefore := groups(t)
	linksBefore := m.unitLinks(t)

	t.Run("switched on", func(t *testing.T) {
		out := m.switchTo(t, optionsDockerConfig("false"))
		wantContains(t, "the switch", out, "docker.io", "file:/etc/docker/daemon.json", "unitstate:docker.service", "unitstate:docker.socket", "group:docker")
		if strings.Contains(out, "on_change") {
			t.Errorf("an on_change hook failed:\n%s", out)
		}
		wantEqual(t, "docker.io", m.out(t, "dpkg-query", "-W", "-f", "${db:Status-Status}", "docker.io"), "installed")
		wantEqual(t, "/etc/docker/daemon.json", m.read(t, "/etc/docker/daemon.json"), `{"debug":false,"log-level":"warn"}`+"\n")
		wantEqual(t, "the units", units(t), "docker.service enabled active, docker.socket enabled active")
		wantEqual(t, "alice's groups", groups(t), "alice docker")
		// gocfg makes the group (groups.docker) before the package, whose
		// postinst then keeps it, so it is gocfg's and goes with the
		// option. (Its GID is from the range of ordinary groups, not the
		// system range addgroup --system would pick.)
		wantContains(t, "getent group docker", m.out(t, "getent", "group", "docker"), ":alice")
		wantEqual(t, "docker info: debug, server version set", info(t, "{{.Debug}} {{.ServerVersion}}"), "false 20.10.24+dfsg1")
		t.Logf("dockerd in the container: %s", info(t, "storage driver {{.Driver}}, cgroup v{{.CgroupVersion}} ({{.CgroupDriver}}), {{.Containers}} containers"))
		// alice reaches the daemon through the group (a new login).
		if r := m.run(t, "su", "-", "alice", "-c", "docker version --format '{{.Server.Version}}'"); r.code != 0 || strings.TrimSpace(r.out) != "20.10.24+dfsg1" {
			t.Errorf("docker version as alice: %v", r)
		}

		out = m.mustGocfg(t, "switch", "-c", cfgDir)
		wantContains(t, "the second switch", out, noChanges)
	})

	t.Run("a changed setting reloads dockerd", func(t *testing.T) {
		pid := m.show(t, "docker.service", "MainPID")
		out := m.switchTo(t, optionsDockerConfig("true"))
		if strings.Contains(out, "on_change") {
			t.Errorf("an on_change hook failed:\n%s", out)
		}
		wantEqual(t, "docker.service's main PID (a reload keeps it)", m.show(t, "docker.service", "MainPID"), pid)
		// The reload is a SIGHUP (docker.service's ExecReload), which
		// dockerd applies a moment after the job that sent it is done.
		debug := info(t, "{{.Debug}}")
		for deadline := time.Now().Add(5 * time.Second); debug != "true" && time.Now().Before(deadline); debug = info(t, "{{.Debug}}") {
			time.Sleep(100 * time.Millisecond)
		}
		wantEqual(t, "docker info: debug after the reload", debug, "true")
	})

	// Tester W: users emptied removed the group gocfg had made, which
	// the socket belongs to; docker.socket then failed to start.
	t.Run("users emptied: the group stays while Docker does", func(t *testing.T) {
		out := m.switchTo(t, strings.Replace(optionsDockerConfig("true"), `users    = ["alice"]`, `users    = []`, 1))
		if strings.Contains(out, "- group:docker") {
			t.Errorf("the switch removes the group docker:\n%s", out)
		}
		if r := m.run(t, "getent", "group", "docker"); r.code != 0 || strings.Contains(r.out, "alice") {
			t.Errorf("getent group docker: %v; want the group, without alice", r)
		}
		m.MustExec(t, "systemctl", "restart", "docker.socket", "docker.service")
		wantEqual(t, "the socket's group", m.out(t, "stat", "-c", "%G", "/run/docker.sock"), "docker")
	})

	t.Run("option removed: the machine as before", func(t *testing.T) {
		out := m.switchTo(t, "")
		if strings.Contains(out, "on_change") {
			t.Errorf("an on_change hook failed:\n%s", out)
		}
		wantContains(t, "the switch", out, "packages:remove", "docker.io", "unitstate:docker.service", "unitstate:docker.socket")
		if got := m.run(t, "dpkg-query", "-W", "-f", "${db:Status-Status}", "docker.io").out; got == "installed" {
			t.Error("docker.io is still installed")
		}
		for _, gone := range []string{"/etc/docker/daemon.json", "/usr/sbin/dockerd"} {
			if m.exists(t, gone) {
				t.Errorf("%s is still there", gone)
			}
		}
		for _, gone := range []string{"/etc/systemd/system/multi-user.target.wants/docker.service", "/etc/systemd/system/sockets.target.wants/docker.socket"} {
			if m.run(t, "test", "-L", gone).code == 0 {
				t.Errorf("%s is still there", gone)
			}
		}
		// The dependencies apt installed with docker.io stay (gocfg
		// removes the packages it named, with apt-get remove and no
		// autoremove): containerd, runc, tini, iptables, and so the link
		// of containerd.service, which containerd's postinst enabled.
		after := strings.Replace(m.unitLinks(t), "/etc/systemd/system/multi-user.target.wants/containerd.service -> /lib/systemd/system/containerd.service\n", "", 1)
		wantEqual(t, "/etc/systemd/system but containerd.service's link", after, linksBefore)
		wantEqual(t, "alice's groups", groups(t), groupsBefore)
		if r := m.run(t, "getent", "group", "docker"); r.code == 0 {
			t.Errorf("the group docker gocfg made is still there: %s", r.out)
		}
		out = m.mustGocfg(t, "switch", "-c", cfgDir)
		wantContains(t, "the second switch", out, noChanges)
	})
}
