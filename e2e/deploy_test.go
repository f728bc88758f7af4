package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	json "github.com/goccy/go-json"
	"github.com/gocfg/gocfg/internal/fleettest"
	"github.com/gocfg/gocfg/internal/nspawntest"
)

// deployFleet is a fleet of three hosts (host1 and host2 tagged web,
// host3 tagged db) and a configuration folder on the test machine that
// describes them, for gocfg deploy run in the fleet's control namespace.
type deployFleet struct {
	*fleettest.Fleet
	gocfg string
	dir   string
}

// deployResult is one host of gocfg deploy --json.
type deployResult struct {
	Host    string  `json:"host"`
	From    int     `json:"from"`
	To      int     `json:"to"`
	Changes int     `json:"changes"`
	Result  string  `json:"result"`
	Error   string  `json:"error"`
	OK      bool    `json:"ok"`
	Seconds float64 `json:"seconds"`
	// The source files sent (those the host's last bundle lacked), their
	// bytes, and the bytes of the whole stream deploy-agent --receive
	// read.
	SentFiles   int   `json:"sent_files"`
	SentBytes   int64 `json:"sent_bytes"`
	StreamBytes int64 `json:"stream_bytes"`
}

// The fleet's configuration: every host gets a user, a file from the
// configuration folder, a service, and a drop-in of sshd's configuration
// (empty unless a test moves sshd to another port) with a service that
// restarts sshd when it changes (reload_triggers, so not at its first
// start). extra goes into each host's file, by host; deployment into
// its deployment block.
func (d *deployFleet) config(t *testing.T, motd string, extra, deployment map[string]string) {
	t.Helper()
	files := map[string]string{
		"files/motd": motd,
		"common.hcl": `users "alice" {
  uid         = 1500
  create_home = true
}

environment {
  etc "gocfg-e2e/motd" {
    source = "./files/motd"
  }
  etc "ssh/sshd_config.d/00-gocfg-port.conf" {
    text = default("# the default port\n")
  }
}

systemd {
  services "hello" {
    exec_start = "/bin/sleep infinity"
    wanted_by  = ["multi-user.target"]
  }
  services "sshd-restarter" {
    exec_start      = "/bin/sleep infinity"
    exec_reload     = "/bin/systemctl --no-block restart ssh.service"
    wanted_by       = ["multi-user.target"]
    reload_triggers = [config.environment.etc["ssh/sshd_config.d/00-gocfg-port.conf"].text]
  }
}
`,
	}
	tags := map[string]string{"host1": "web", "host2": "web", "host3": "db"}
	for _, h := range d.Hosts() {
		files["hosts/"+h.Name()+".hcl"] = fmt.Sprintf(`imports = ["../common.hcl"]

deployment {
  target_user     = %q
  tags            = [%q]
  confirm_timeout = 8
  %s
}

%s
`, fleettest.DeployUser, tags[h.Name()], deployment[h.Name()], extra[h.Name()])
	}
	for name, text := range files {
		p := filepath.Join(d.dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// deploy runs gocfg deploy --json with args in the control namespace and
// returns its results by host, its output (stderr: the hosts' lines) and
// its exit status.
func (d *deployFleet) deploy(t *testing.T, args ...string) (map[string]deployResult, string, int) {
	t.Helper()
	return d.deployWith(t, nil, args...)
}

// deployWith is deploy with env (NAME=value) added to the environment.
func (d *deployFleet) deployWith(t *testing.T, env []string, args ...string) (map[string]deployResult, string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	all := append([]string{"deploy", "--config", d.dir, "--ssh-config", d.SSHConfig(), "--json"}, args...)
	cmd := d.Control(ctx, d.gocfg, all...)
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("gocfg %s: %v\n%s", strings.Join(all, " "), err, stderr.String())
	}
	t.Logf("gocfg deploy %s: exit %d in %s\n%s%s", strings.Join(args, " "), code, time.Since(start).Round(time.Millisecond), stderr.String(), stdout.String())
	var rs []deployResult
	if err := json.Unmarshal(stdout.Bytes(), &rs); err != nil {
		t.Fatalf("gocfg deploy --json printed %q: %v\n%s", stdout.String(), err, stderr.String())
	}
	byHost := map[string]deployResult{}
	for _, r := range rs {
		byHost[r.Host] = r
	}
	return byHost, stderr.String(), code
}

// wantResults checks each host's result (its text up to the reason).
func wantResults(t *testing.T, got map[string]deployResult, want map[string]string) {
	t.Helper()
	for host, w := range want {
		r, ok := got[host]
		text := r.Result
		if r.Error != "" {
			text += ": " + r.Error
		}
		if !ok || !strings.HasPrefix(text, w) {
			t.Errorf("%s: %q, want %q", host, text, w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("results for %d hosts, want %d: %v", len(got), len(want), got)
	}
}

func (d *deployFleet) exec(t *testing.T, host string, args ...string) (string, error) {
	t.Helper()
	out, err := d.Host(host).Machine().Exec(t, args...)
	return strings.TrimSpace(out), err
}

func (d *deployFleet) mustExec(t *testing.T, host string, args ...string) string {
	t.Helper()
	out, err := d.exec(t, host, args...)
	if err != nil {
		t.Fatalf("%s: %s: %v\n%s", host, strings.Join(args, " "), err, out)
	}
	return out
}

// TestDeploy deploys to three real sshd hosts (internal/fleettest) from
// their control namespace, as the deploy user with sudo: a first deploy
// switches all, a second has nothing to do, --on @tag touches only those
// hosts, a failing unit is undone on its host while the others switch,
// --max-fail skips the rest, a failing health check and a change that
// moves sshd to another port roll back by themselves.
func TestDeploy(t *testing.T) {
	t.Parallel()
	nspawntest.Require(t)
	d := &deployFleet{Fleet: fleettest.New(t, 3), gocfg: privateGocfg(t), dir: t.TempDir()}
	all := func(result string) map[string]string {
		return map[string]string{"host1": result, "host2": result, "host3": result}
	}

	ok := t.Run("first deploy switches every host", func(t *testing.T) {
		d.config(t, "v1\n", nil, nil)
		rs, out, code := d.deploy(t)
		wantResults(t, rs, all("switched"))
		if code != 0 {
			t.Errorf("exit status %d", code)
		}
		wantContains(t, "the output", out, "host1: sending gocfg", "host3: connected: linux/")
		for _, h := range []string{"host1", "host2", "host3"} {
			if r := rs[h]; r.To != r.From+1 || r.Changes == 0 {
				t.Errorf("%s: generation %d → %d, %d changes", h, r.From, r.To, r.Changes)
			}
			wantEqual(t, h+": id -u alice", d.mustExec(t, h, "id", "-u", "alice"), "1500")
			wantEqual(t, h+": motd", d.mustExec(t, h, "cat", "/etc/gocfg-e2e/motd"), "v1")
			wantEqual(t, h+": hello", d.mustExec(t, h, "systemctl", "is-active", "hello"), "active")
			if r := rs[h]; r.SentFiles != 1 || r.SentBytes != int64(len("v1\n")) {
				t.Errorf("%s: sent %d source files, %d bytes; want motd", h, r.SentFiles, r.SentBytes)
			}
		}
	})
	if !ok {
		t.FailNow()
	}

	t.Run("second deploy has nothing to do", func(t *testing.T) {
		rs, out, code := d.deploy(t)
		wantResults(t, rs, all("no changes"))
		if code != 0 {
			t.Errorf("exit status %d", code)
		}
		if strings.Contains(out, "sending gocfg") {
			t.Errorf("gocfg was sent again:\n%s", out)
		}
		// No content: the hosts have the source files of their last
		// bundle.
		for h, r := range rs {
			if r.SentFiles != 0 || r.SentBytes != 0 {
				t.Errorf("%s: sent %d source files, %d bytes; want none", h, r.SentFiles, r.SentBytes)
			}
			t.Logf("figure: a no-op deploy: %d bytes streamed to %s's deploy-agent --receive", r.StreamBytes, h)
		}
		wantContains(t, "the output", out, "host1: sending the configuration and 0 of its 1 source files (0 bytes)")
	})

	t.Run("on a tag touches only its hosts", func(t *testing.T) {
		d.config(t, "v2\n", nil, nil)
		rs, _, code := d.deploy(t, "--on", "@web")
		wantResults(t, rs, map[string]string{"host1": "switched", "host2": "switched"})
		if code != 0 {
			t.Errorf("exit status %d", code)
		}
		for h, r := range rs {
			if r.SentFiles != 1 || r.SentBytes != int64(len("v2\n")) {
				t.Errorf("%s: sent %d source files, %d bytes; want the changed motd only", h, r.SentFiles, r.SentBytes)
			}
		}
		wantEqual(t, "host1's motd", d.mustExec(t, "host1", "cat", "/etc/gocfg-e2e/motd"), "v2")
		wantEqual(t, "host3's motd", d.mustExec(t, "host3", "cat", "/etc/gocfg-e2e/motd"), "v1")
	})

	t.Run("a file in the way, then --backup-ext", func(t *testing.T) {
		inTheWay := map[string]string{"host3": `environment {
  etc "gocfg-e2e/issue" { text = "managed\n" }
}`}
		d.config(t, "v2\n", inTheWay, nil)
		d.mustExec(t, "host3", "sh", "-c", "echo mine > /etc/gocfg-e2e/issue")
		rs, out, code := d.deploy(t, "--on", "host3")
		wantResults(t, rs, map[string]string{"host3": "failed: "})
		if code != 1 {
			t.Errorf("exit status %d, want 1", code)
		}
		wantContains(t, "the output", out, "--backup-ext")
		wantEqual(t, "host3's issue", d.mustExec(t, "host3", "cat", "/etc/gocfg-e2e/issue"), "mine")
		rs, _, code = d.deploy(t, "--on", "host3", "--backup-ext", "bak")
		wantResults(t, rs, map[string]string{"host3": "switched"})
		if code != 0 {
			t.Errorf("exit status %d", code)
		}
		wantEqual(t, "host3's issue", d.mustExec(t, "host3", "cat", "/etc/gocfg-e2e/issue"), "managed")
		wantEqual(t, "host3's issue.bak", d.mustExec(t, "host3", "cat", "/etc/gocfg-e2e/issue.bak"), "mine")
	})

	broken := `systemd {
  services "broken" {
    type       = "oneshot"
    exec_start = "/bin/false"
    wanted_by  = ["multi-user.target"]
  }
}`

	t.Run("a failing unit is undone on its host only", func(t *testing.T) {
		d.config(t, "v3\n", map[string]string{"host2": broken}, nil)
		rs, out, code := d.deploy(t)
		wantResults(t, rs, map[string]string{"host1": "switched", "host2": "failed: ", "host3": "switched"})
		if code != 1 {
			t.Errorf("exit status %d, want 1", code)
		}
		wantContains(t, "the output", out, "host2: ")
		wantEqual(t, "host2's motd", d.mustExec(t, "host2", "cat", "/etc/gocfg-e2e/motd"), "v2")
		if _, err := d.exec(t, "host2", "test", "-e", "/etc/systemd/system/broken.service"); err == nil {
			t.Error("host2 still has broken.service")
		}
		wantEqual(t, "host3's motd", d.mustExec(t, "host3", "cat", "/etc/gocfg-e2e/motd"), "v3")
	})

	t.Run("max-fail skips the hosts not started", func(t *testing.T) {
		d.config(t, "v4\n", map[string]string{"host1": broken}, nil)
		rs, _, code := d.deploy(t, "--parallel", "1", "--max-fail", "1")
		wantResults(t, rs, map[string]string{"host1": "failed: ", "host2": "skipped", "host3": "skipped"})
		if code != 1 {
			t.Errorf("exit status %d, want 1", code)
		}
		wantEqual(t, "host3's motd", d.mustExec(t, "host3", "cat", "/etc/gocfg-e2e/motd"), "v3")
	})

	t.Run("a failing health check rolls back", func(t *testing.T) {
		d.config(t, "v5\n", nil, map[string]string{"host3": `health_checks = [{ command = "test -e /nonexistent", timeout = 5 }]`})
		start := time.Now()
		rs, out, code := d.deploy(t, "--on", "host3")
		wantResults(t, rs, map[string]string{"host3": "rolled back: health check 'test -e /nonexistent': exit status 1"})
		if code != 1 {
			t.Errorf("exit status %d, want 1", code)
		}
		// Refused: the host rolls back at once, not at the end of its
		// confirm_timeout (8 s).
		took := time.Since(start)
		t.Logf("rolled back after %s", took.Round(time.Millisecond))
		wantContains(t, "the output", out, "host3: not confirmed (health check 'test -e /nonexistent': exit status 1): the host rolls back",
			"host3: gocfg: refused by the deploy: rolling back")
		if took >= 8*time.Second {
			t.Errorf("the deploy took %s: the host waited for its confirm_timeout", took.Round(time.Millisecond))
		}
		wantEqual(t, "host3's motd", d.mustExec(t, "host3", "cat", "/etc/gocfg-e2e/motd"), "v3")
	})

	t.Run("moving sshd to another port rolls back", func(t *testing.T) {
		d.config(t, "v6\n", map[string]string{"host1": `environment {
  etc "ssh/sshd_config.d/00-gocfg-port.conf" {
    text = "Port 2222\n"
  }
}`}, nil)
		// When the new port is in place on the host, and when it answers
		// on port 22 again.
		moved := make(chan time.Time, 1)
		done := make(chan struct{})
		go func() {
			for {
				select {
				case <-done:
					return
				case <-time.After(200 * time.Millisecond):
				}
				out, _ := d.Host("host1").Machine().Exec(t, "cat", "/etc/ssh/sshd_config.d/00-gocfg-port.conf")
				if strings.Contains(out, "Port 2222") {
					moved <- time.Now()
					return
				}
			}
		}()
		rs, out, code := d.deploy(t, "--on", "host1")
		close(done)
		wantResults(t, rs, map[string]string{"host1": "rolled back: could not confirm over a new connection"})
		if code != 1 {
			t.Errorf("exit status %d, want 1", code)
		}
		wantContains(t, "the output", out, "host1: not confirmed")
		var at time.Time
		select {
		case at = <-moved:
		default:
			t.Fatal("the new port was never in place on host1")
		}
		limit := at.Add(8*time.Second + 15*time.Second)
		for {
			if _, err := d.SSH(t, "host1", "true"); err == nil {
				break
			}
			if time.Now().After(limit) {
				out, _ := d.exec(t, "host1", "sh", "-c", `set -x; cat /etc/ssh/sshd_config.d/00-gocfg-port.conf; gocfg generations list;
					tail -n 30 /home/`+fleettest.DeployUser+`/.cache/gocfg/deploy/run-*/log; journalctl -n 30 --no-pager -u ssh -u sshd-restarter`)
				t.Fatalf("host1 does not answer on port 22 %s after the port moved:\n%s", time.Since(at).Round(time.Second), out)
			}
			time.Sleep(500 * time.Millisecond)
		}
		t.Logf("host1 answers on port 22 again %s after the port moved", time.Since(at).Round(time.Millisecond))
		wantEqual(t, "host1's motd", d.mustExec(t, "host1", "cat", "/etc/gocfg-e2e/motd"), "v3")
	})

	t.Run("plan changes nothing", func(t *testing.T) {
		d.config(t, "v6\n", nil, nil)
		rs, out, code := d.deploy(t, "--plan")
		wantResults(t, rs, all("planned"))
		if code != 0 {
			t.Errorf("exit status %d", code)
		}
		wantContains(t, "the output", out, "host1: ", "host3:   ~ file:/etc/gocfg-e2e/motd", "host3:     +v6")
		wantEqual(t, "host3's motd", d.mustExec(t, "host3", "cat", "/etc/gocfg-e2e/motd"), "v3")
	})

	t.Run("dry run changes nothing", func(t *testing.T) {
		rs, out, code := d.deploy(t, "--dry-run")
		wantResults(t, rs, all("dry run"))
		if code != 0 {
			t.Errorf("exit status %d", code)
		}
		wantContains(t, "the output", out, "host3:   ~ file:/etc/gocfg-e2e/motd", "host3:     +v6", "host3: gocfg: dry run: nothing was changed")
		wantEqual(t, "host3's motd", d.mustExec(t, "host3", "cat", "/etc/gocfg-e2e/motd"), "v3")
		if strings.Contains(out, "deploy agent started") {
			t.Errorf("a dry run started the agent:\n%s", out)
		}
	})

	// The connections killed while the switch runs (a unit that takes
	// seconds to start): the switch goes on, detached; the deploy
	// reconnects, follows it to its end and confirms it.
	t.Run("connections killed during the switch", func(t *testing.T) {
		d.config(t, "v7\n", map[string]string{"host2": slowUnit(4)}, nil)
		killed := make(chan int, 1)
		go func() {
			defer close(killed)
			for range 200 {
				if out, _ := d.Host("host2").Machine().Exec(t, "systemctl", "is-active", "slow"); strings.TrimSpace(out) == "activating" {
					killed <- d.Host("host2").KillSSHConnections(t)
					return
				}
				time.Sleep(100 * time.Millisecond)
			}
		}()
		rs, out, code := d.deploy(t, "--on", "host2")
		if n := <-killed; n == 0 {
			t.Fatalf("no connection was killed during the switch")
		}
		wantResults(t, rs, map[string]string{"host2": "switched"})
		if code != 0 {
			t.Errorf("exit status %d", code)
		}
		wantContains(t, "the output", out, "host2: the connection dropped; reconnecting", "host2: gocfg: confirmed")
		wantEqual(t, "slow", d.mustExec(t, "host2", "systemctl", "is-active", "slow"), "active")
		wantEqual(t, "host2's motd", d.mustExec(t, "host2", "cat", "/etc/gocfg-e2e/motd"), "v7")
	})

	t.Run("rollback", func(t *testing.T) {
		rs, _, code := d.deploy(t, "--on", "host2", "--rollback")
		wantResults(t, rs, map[string]string{"host2": "rolled back"})
		if code != 0 {
			t.Errorf("exit status %d", code)
		}
		if r := rs["host2"]; r.From == 0 || r.To == 0 || r.To >= r.From {
			t.Errorf("host2 rolled back from generation %d to %d", r.From, r.To)
		}
		wantEqual(t, "host2's motd", d.mustExec(t, "host2", "cat", "/etc/gocfg-e2e/motd"), "v2")
	})

	// host1's generation that moved sshd to port 2222 was refused by
	// magic rollback above: a rollback after the next deploy returns to
	// the generation before it, not to the one that cut the host off.
	t.Run("rollback passes over a refused generation", func(t *testing.T) {
		rs, _, code := d.deploy(t, "--on", "host1")
		wantResults(t, rs, map[string]string{"host1": "switched"})
		if code != 0 {
			t.Errorf("exit status %d", code)
		}
		wantEqual(t, "host1's motd", d.mustExec(t, "host1", "cat", "/etc/gocfg-e2e/motd"), "v7")
		rs, _, code = d.deploy(t, "--on", "host1", "--rollback")
		wantResults(t, rs, map[string]string{"host1": "rolled back"})
		if code != 0 {
			t.Errorf("exit status %d", code)
		}
		wantEqual(t, "host1's motd", d.mustExec(t, "host1", "cat", "/etc/gocfg-e2e/motd"), "v3")
		if out, _ := d.exec(t, "host1", "cat", "/etc/ssh/sshd_config.d/00-gocfg-port.conf"); strings.Contains(out, "2222") {
			t.Errorf("the port drop-in is back: %s", out)
		}
		list := d.mustExec(t, "host1", "sh", "-c", "$(ls /home/"+fleettest.DeployUser+"/.cache/gocfg/deploy/gocfg-* | head -1) generations list")
		wantContains(t, "generations list", list, "(refused: rolled back by gocfg deploy: ")
	})

	// The login user's own shell and files (tester AQ, AR): on host1 the
	// deploy account logs in with zsh, whose ~/.zshenv prints a line
	// without a newline; the probe, the way check and the upload run
	// under /bin/sh and read past it. On host2 another user, eve, owns
	// the folder the account's ~/.cache leads to (tester AP's attack):
	// nothing runs from there, and the deploy of host2 fails, saying
	// why.
	t.Run("a zsh login, and a cache in another user's folder", func(t *testing.T) {
		d.mustExec(t, "host1", "sh", "-c", "apt-get install -y -q zsh >/dev/null 2>&1 && chsh -s /usr/bin/zsh "+fleettest.DeployUser+
			" && echo \"printf 'hello from zshenv'\" > /home/"+fleettest.DeployUser+"/.zshenv")
		defer d.mustExec(t, "host1", "sh", "-c", "chsh -s /bin/bash "+fleettest.DeployUser+" && rm /home/"+fleettest.DeployUser+"/.zshenv")
		home := "/home/" + fleettest.DeployUser
		d.mustExec(t, "host2", "sh", "-c", "useradd -m eve && install -d -m 0777 -o eve /tmp/eve-cache && mv "+home+"/.cache "+home+"/cache.real && ln -s /tmp/eve-cache "+home+"/.cache")
		defer d.mustExec(t, "host2", "sh", "-c", "rm "+home+"/.cache && mv "+home+"/cache.real "+home+"/.cache && rm -rf /tmp/eve-cache && userdel -r eve")
		d.config(t, "v7z\n", nil, nil)
		rs, out, code := d.deploy(t, "--on", "host1", "--on", "host2")
		wantResults(t, rs, map[string]string{"host1": "switched",
			"host2": "failed: the deploy folder on the host is not safe for root to run gocfg from: /tmp/eve-cache: it is owned by uid"})
		if code != 1 {
			t.Errorf("exit status %d, want 1", code)
		}
		wantEqual(t, "host1's motd", d.mustExec(t, "host1", "cat", "/etc/gocfg-e2e/motd"), "v7z")
		if got := d.mustExec(t, "host2", "cat", "/etc/gocfg-e2e/motd"); got == "v7z" {
			t.Errorf("host2 switched through eve's folder:\n%s", out)
		}
	})

	// Tester AS: with ForwardAgent yes in the user's ssh_config, a
	// compromised host used the deploying user's agent to log into
	// another host. The deploy turns every forwarding off; a plain ssh
	// with the same configuration forwards (the case is made).
	t.Run("the deploying user's agent stays home", func(t *testing.T) {
		tmp := t.TempDir()
		sock := filepath.Join(tmp, "agent.sock")
		agent := exec.Command("ssh-agent", "-D", "-a", sock)
		if err := agent.Start(); err != nil {
			t.Fatal(err)
		}
		defer func() { _ = agent.Process.Kill(); _ = agent.Wait() }()
		for i := 0; i < 100; i++ {
			if _, err := os.Stat(sock); err == nil {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		agentEnv := []string{"SSH_AUTH_SOCK=" + sock}
		add := exec.Command("ssh-add", d.ClientKey())
		add.Env = append(os.Environ(), agentEnv...)
		if out, err := add.CombinedOutput(); err != nil {
			t.Fatalf("ssh-add: %v\n%s", err, out)
		}
		orig, err := os.ReadFile(d.SSHConfig())
		if err != nil {
			t.Fatal(err)
		}
		cfg := filepath.Join(tmp, "ssh_config")
		if err := os.WriteFile(cfg, append([]byte("Host *\n  ForwardAgent yes\n  IdentityAgent SSH_AUTH_SOCK\n\n"), orig...), 0o644); err != nil {
			t.Fatal(err)
		}
		home := "/home/" + fleettest.DeployUser
		d.mustExec(t, "host1", "sh", "-c", "echo 'echo \"agent=[$SSH_AUTH_SOCK]\" >>/tmp/gocfg-e2e-sessions' > "+home+"/.ssh/rc && rm -f /tmp/gocfg-e2e-sessions")
		defer d.mustExec(t, "host1", "rm", "-f", home+"/.ssh/rc", "/tmp/gocfg-e2e-sessions")

		ssh := d.Control(context.Background(), "ssh", "-F", cfg, fleettest.DeployUser+"@host1", "true")
		ssh.Env = append(os.Environ(), agentEnv...)
		if out, err := ssh.CombinedOutput(); err != nil {
			t.Fatalf("plain ssh: %v\n%s", err, out)
		}
		if got := d.mustExec(t, "host1", "cat", "/tmp/gocfg-e2e-sessions"); !strings.Contains(got, "agent=[/") {
			t.Fatalf("a plain ssh with the configuration forwarded no agent (%q): the case is not made", got)
		}
		d.mustExec(t, "host1", "rm", "/tmp/gocfg-e2e-sessions")

		d.config(t, "v7a\n", nil, nil)
		rs, _, _ := d.deployWith(t, agentEnv, "--on", "host1", "--ssh-config", cfg)
		wantResults(t, rs, map[string]string{"host1": "switched"})
		got := d.mustExec(t, "host1", "cat", "/tmp/gocfg-e2e-sessions")
		if n := strings.Count(got, "agent=[]"); n == 0 || n != strings.Count(got, "agent=") {
			t.Errorf("the deploy's sessions on host1 saw the agent:\n%s", got)
		}
	})

	// Figures, not limits: the wall time of a deploy that changes one
	// file on every host, and of one with nothing to do, one host at a
	// time and all at once.
	t.Run("times", func(t *testing.T) {
		timed := func(what, want string, args ...string) {
			t.Helper()
			start := time.Now()
			rs, _, code := d.deploy(t, args...)
			took := time.Since(start)
			wantResults(t, rs, all(want))
			if code != 0 {
				t.Errorf("exit status %d", code)
			}
			t.Logf("figure: %s, %s: %s", what, strings.Join(args, " "), took.Round(time.Millisecond))
		}
		d.config(t, "v7\n", nil, nil)
		timed("one file changed on 3 hosts", "switched", "--parallel", "1")
		d.config(t, "v8\n", nil, nil)
		timed("one file changed on 3 hosts", "switched", "--parallel", "3")
		timed("no-op on 3 hosts", "no changes", "--parallel", "1")
		timed("no-op on 3 hosts", "no changes", "--parallel", "3")
		// After a dozen deploys each host keeps two deploy folders: the
		// last and the one before.
		for _, h := range []string{"host1", "host2", "host3"} {
			runs := d.mustExec(t, h, "sh", "-c", "ls -d /home/"+fleettest.DeployUser+"/.cache/gocfg/deploy/run-*")
			if n := len(strings.Fields(runs)); n != 2 {
				t.Errorf("%s: %d deploy folders, want 2:\n%s", h, n, runs)
			}
		}
	})

	t.Run("an unreachable host is reported, the others deployed", func(t *testing.T) {
		h := d.Host("host3")
		h.CutNetwork(t)
		defer h.RestoreNetwork(t)
		rs, _, code := d.deploy(t)
		wantResults(t, rs, map[string]string{"host1": "no changes", "host2": "no changes",
			"host3": "unreachable: ssh failed: ssh: connect to host " + h.Addr() + " port 22"})
		if code != 1 {
			t.Errorf("exit status %d, want 1", code)
		}
	})

	// A host that drops off the network while it switches (tester P):
	// the deploy held on to the dead connection for as long as TCP
	// waits, with nothing printed (8 minutes, then killed). ssh's
	// ServerAlive options make it notice; past the confirmation window
	// the host is unreachable, and it rolled back by itself. The deploy
	// tries to reconnect for 10 s past the window, not a minute (the
	// test build's GOCFG_TEST_DEPLOY_RECONNECT), to spare CI 50 s.
	t.Run("a host lost during its switch", func(t *testing.T) {
		h := d.Host("host2")
		before := d.mustExec(t, "host2", "cat", "/etc/gocfg-e2e/motd")
		d.config(t, "v9\n", map[string]string{"host2": slowUnit(6)}, nil)
		cut := make(chan bool, 1)
		go func() {
			defer close(cut)
			for range 300 {
				if out, _ := h.Machine().Exec(t, "systemctl", "is-active", "slow"); strings.TrimSpace(out) == "activating" {
					h.CutNetwork(t)
					cut <- true
					return
				}
				time.Sleep(100 * time.Millisecond)
			}
		}()
		start := time.Now()
		rs, _, code := d.deployWith(t, []string{"GOCFG_TEST_DEPLOY_RECONNECT=10s"}, "--on", "host2")
		took := time.Since(start)
		wasCut := <-cut
		if wasCut {
			h.RestoreNetwork(t)
		}
		if !wasCut {
			t.Fatal("the switch never started its slow unit: the network was not cut")
		}
		wantResults(t, rs, map[string]string{"host2": "unreachable: "})
		if code != 1 {
			t.Errorf("exit status %d, want 1", code)
		}
		// ServerAlive's 15 s, the window's 8 and the 10 of trying again,
		// with the slow unit's start: the bound holds the deploy.
		if took > 50*time.Second {
			t.Errorf("the deploy took %s to give up a host lost 6 s into its switch", took.Round(time.Second))
		}
		// Not confirmed: the host rolled back by itself.
		deadline := time.Now().Add(time.Minute)
		for d.mustExec(t, "host2", "cat", "/etc/gocfg-e2e/motd") != before && time.Now().Before(deadline) {
			time.Sleep(time.Second)
		}
		wantEqual(t, "host2's motd", d.mustExec(t, "host2", "cat", "/etc/gocfg-e2e/motd"), before)
	})
}

// slowUnit is a host's configuration with a unit "slow" that takes
// seconds to start: a switch that lasts.
func slowUnit(seconds int) string {
	return fmt.Sprintf(`systemd {
  services "slow" {
    type           = "oneshot"
    exec_start     = "/bin/sleep %d"
    service_config = { RemainAfterExit = "yes" }
    wanted_by      = ["multi-user.target"]
  }
}`, seconds)
}

// privateGocfg returns a copy of the gocfg binary for this test to run
// on the deploying side: BuildGocfg's binary is shared by the test
// processes of this checkout, and one that starts later rebuilds it in
// place.
func privateGocfg(t *testing.T) string {
	t.Helper()
	gocfg := filepath.Join(t.TempDir(), "gocfg")
	if data, err := os.ReadFile(nspawntest.BuildGocfg(t)); err != nil {
		t.Fatal(err)
	} else if err := os.WriteFile(gocfg, data, 0o755); err != nil {
		t.Fatal(err)
	}
	return gocfg
}
