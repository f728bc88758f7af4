package e2e

import (
	"fmt"
	"strings"
	"testing"
)

// triggersConfig is a service, demo, that reads /etc/demo/reload.conf and
// /etc/demo/restart.conf when it starts and again on SIGHUP (its reload),
// and writes what it read to /run/demo.read after a line "load N", N
// counting its reads; its reload_triggers and restart_triggers are those
// files' text. method is the files' method.
func triggersConfig(method, reload, restart string) string {
	return fmt.Sprintf(`environment {
  etc "demo/reload.conf" {
    method = %[1]q
    text   = %[2]q
  }
  etc "demo/restart.conf" {
    method = %[1]q
    text   = %[3]q
  }
  etc "demo/daemon.sh" {
    method = "copy"
    text   = <<-EOT
      n=0
      load() {
        n=$((n + 1))
        { echo "load $n"; cat /etc/demo/reload.conf /etc/demo/restart.conf; } >/run/demo.read.new &&
          mv /run/demo.read.new /run/demo.read
      }
      trap load HUP
      load
      while :; do sleep 1 & wait $!; done
    EOT
  }
}

systemd {
  services "demo" {
    exec_start       = "/bin/sh /etc/demo/daemon.sh"
    exec_reload      = "/bin/kill -HUP $MAINPID"
    wanted_by        = ["multi-user.target"]
    reload_triggers  = [config.environment.etc["demo/reload.conf"].text]
    restart_triggers = [config.environment.etc["demo/restart.conf"].text]
  }
}
`, method, reload+"\n", restart+"\n")
}

// TestTriggers: a system service whose reload_triggers and
// restart_triggers are the text of the /etc files it reads is reloaded
// (same main process, the new file read) when only the file its reload
// reads again changes, and restarted when the other one changes.
func TestTriggers(t *testing.T) {
	t.Parallel()
	m := boot(t, "e2e-triggers")
	var pid string

	t.Run("start", func(t *testing.T) {
		out := m.switchTo(t, triggersConfig("copy", "reload v1", "restart v1"))
		wantContains(t, "the switch", out, "+ unit:system:demo.service", "Generation 1 is current.")
		wantEqual(t, "is-active", m.out(t, "systemctl", "is-active", "demo"), "active")
		m.waitFileContains(t, "/run/demo.read", "load 1\nreload v1\nrestart v1\n")
		pid = m.show(t, "demo", "MainPID")
	})

	t.Run("reload trigger reloads", func(t *testing.T) {
		out := m.switchTo(t, triggersConfig("copy", "reload v2", "restart v1"))
		if l := planLine(out, "unit:system:demo.service"); !strings.HasPrefix(l, "~ ") || !strings.HasSuffix(l, "unit file changed; reload") {
			t.Errorf("the plan's line for demo.service is %q, want it reloaded:\n%s", l, out)
		}
		wantContains(t, "the switch", out, "~ file:/etc/demo/reload.conf", "Generation 2 is current.")
		wantEqual(t, "MainPID", m.show(t, "demo", "MainPID"), pid)
		m.waitFileContains(t, "/run/demo.read", "load 2\nreload v2\nrestart v1\n")
		wantContains(t, "X-Reload-Triggers", m.read(t, "/etc/systemd/system/demo.service"), "X-Reload-Triggers=", "X-Restart-Triggers=")
	})

	t.Run("restart trigger restarts", func(t *testing.T) {
		out := m.switchTo(t, triggersConfig("copy", "reload v2", "restart v2"))
		if l := planLine(out, "unit:system:demo.service"); !strings.HasPrefix(l, "~ ") || !strings.HasSuffix(l, "unit file changed; restart") {
			t.Errorf("the plan's line for demo.service is %q, want it restarted:\n%s", l, out)
		}
		now := m.show(t, "demo", "MainPID")
		if now == pid || now == "0" {
			t.Errorf("MainPID %s after the switch, was %s: not restarted", now, pid)
		}
		pid = now
		m.waitFileContains(t, "/run/demo.read", "load 1\nreload v2\nrestart v2\n")
	})

	// With the files linked (environment.etc's default method), the
	// service must read the new content too.
	t.Run("linked file", func(t *testing.T) {
		out := m.switchTo(t, triggersConfig("link", "reload v2", "restart v2"))
		if l := planLine(out, "unit:system:demo.service"); l != "" {
			t.Errorf("the plan has a line for demo.service, whose triggers did not change: %q", l)
		}
		out = m.switchTo(t, triggersConfig("link", "reload v3", "restart v2"))
		if l := planLine(out, "unit:system:demo.service"); !strings.HasSuffix(l, "unit file changed; reload") {
			t.Errorf("the plan's line for demo.service is %q, want it reloaded:\n%s", l, out)
		}
		wantEqual(t, "MainPID", m.show(t, "demo", "MainPID"), pid)
		m.waitFileContains(t, "/run/demo.read", "load 2\n")
		// Unit jobs run once the new generation is current (the engine's
		// FlipOp), so the reload reads the new content.
		if read := m.read(t, "/run/demo.read"); read != "load 2\nreload v3\nrestart v2\n" {
			t.Errorf("the reloaded service read %q, want the new linked content", read)
		}
	})
}
