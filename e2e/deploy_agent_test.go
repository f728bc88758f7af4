package e2e

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gocfg/gocfg/deploy"
	"github.com/gocfg/gocfg/deploy/bundle"
)

// deployConfig is a configuration with one file under /etc whose text is
// v.
func deployConfig(v string) string {
	return `environment {
  etc "gocfg-deploy.conf" {
    text = "` + v + `\n"
  }
}
`
}

// receive evaluates text inside m (as the deploying machine would), sends
// the bundle to dir with deploy-agent --receive, and returns nothing:
// dir then holds the bundle.
func (m *machine) receive(t *testing.T, text, dir string) {
	t.Helper()
	m.config(t, text)
	js := m.mustGocfg(t, "eval", "--json", "-c", cfgDir)
	var buf bytes.Buffer
	if err := bundle.Write(&buf, &bundle.Bundle{Meta: bundle.Meta{Host: m.Name(), Commit: "e2e"}, Config: []byte(js)}); err != nil {
		t.Fatal(err)
	}
	m.WriteFile(t, dir+".tar", buf.Bytes(), 0o600)
	if r := m.run(t, "sh", "-c", `gocfg deploy-agent --receive "$1" < "$1.tar"`, "sh", dir); r.code != 0 {
		t.Fatalf("deploy-agent --receive: %v", r)
	}
}

// detach starts the agent on dir with --confirm-timeout s and returns
// the name of the systemd unit it runs in.
func (m *machine) detach(t *testing.T, dir, s string) string {
	t.Helper()
	out := m.mustGocfg(t, "deploy-agent", "--detach", "--confirm-timeout", s, dir)
	unit := regexp.MustCompile(`unit (gocfg-deploy-[0-9a-f]+\.service)`).FindStringSubmatch(out)
	if unit == nil {
		t.Fatalf("deploy-agent --detach did not start a systemd unit:\n%s", out)
	}
	return unit[1]
}

// follow runs deploy-agent --follow on dir and returns its output and
// the status of its last line.
func (m *machine) follow(t *testing.T, dir string) (string, deploy.Status) {
	t.Helper()
	out := m.mustGocfg(t, "deploy-agent", "--follow", dir)
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	st, ok, err := deploy.ParseStatus(lines[len(lines)-1])
	if err != nil || !ok {
		t.Fatalf("deploy-agent --follow does not end with a status line (%v):\n%s", err, out)
	}
	return out, st
}

// TestDeployAgentSystemd: on a host whose init is systemd, deploy-agent
// --detach runs the agent in a transient unit of its own (so the end of
// the SSH session cannot kill it); --follow sees it await confirmation,
// --confirm makes the switch stand, and without --confirm the agent rolls
// back to the generation it switched from by itself.
func TestDeployAgentSystemd(t *testing.T) {
	t.Parallel()
	m := boot(t, "e2e-deploy-agent")
	const conf = "/etc/gocfg-deploy.conf"

	t.Run("confirmed", func(t *testing.T) {
		m.receive(t, deployConfig("v1"), "/root/d1")
		unit := m.detach(t, "/root/d1", "3")
		out, st := m.follow(t, "/root/d1")
		if st.State != deploy.StateAwaiting || st.From != 0 || st.To != 1 {
			t.Fatalf("status %+v, want awaiting-confirm from 0 to 1:\n%s", st, out)
		}
		wantContains(t, "--follow", out, "Generation 1 is current.")
		// The agent is the unit's process, outside the SSH session.
		wantEqual(t, unit+" ActiveState", m.show(t, unit, "ActiveState"), "active")
		wantEqual(t, conf, m.read(t, conf), "v1\n")
		m.mustGocfg(t, "deploy-agent", "--confirm", "/root/d1")
		out, st = m.follow(t, "/root/d1")
		if st.State != deploy.StateSwitched || st.To != 1 {
			t.Fatalf("status %+v, want switched to 1:\n%s", st, out)
		}
		m.wantGenerations(t, []int{1}, 1)
		waitUnitGone(t, m, unit)
	})

	t.Run("not confirmed", func(t *testing.T) {
		m.receive(t, deployConfig("v2"), "/root/d2")
		unit := m.detach(t, "/root/d2", "3")
		start := time.Now()
		_, st := m.follow(t, "/root/d2")
		if st.State != deploy.StateAwaiting || st.From != 1 || st.To != 2 {
			t.Fatalf("status %+v, want awaiting-confirm from 1 to 2", st)
		}
		wantEqual(t, conf, m.read(t, conf), "v2\n")
		time.Sleep(3*time.Second - time.Since(start) + 500*time.Millisecond)
		out, st := m.follow(t, "/root/d2")
		if st.State != deploy.StateRolledBack || st.Error != "not confirmed within 3s" {
			t.Fatalf("status %+v, want rolled-back, not confirmed within 3s:\n%s", st, out)
		}
		wantContains(t, "--follow", out, "rolling back to generation 1", "Generation 1 is current.")
		wantEqual(t, conf, m.read(t, conf), "v1\n")
		m.wantGenerations(t, []int{1, 2}, 1)
		if r := m.gocfg(t, nil, "deploy-agent", "--confirm", "/root/d2"); r.code != 1 || !strings.Contains(r.out, "rolled-back") {
			t.Errorf("--confirm after the rollback: %v", r)
		}
		waitUnitGone(t, m, unit)
	})
}

// waitUnitGone waits until the agent's transient unit has ended and was
// collected.
func waitUnitGone(t *testing.T, m *machine, unit string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		s := m.show(t, unit, "LoadState")
		if s == "not-found" {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("%s is still loaded (%s, %s)", unit, s, m.show(t, unit, "ActiveState"))
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
}
