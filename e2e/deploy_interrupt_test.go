package e2e

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gocfg/gocfg/internal/fleettest"
	"github.com/gocfg/gocfg/internal/nspawntest"
)

// TestDeployInterrupted: SIGINT to gocfg deploy's process group (Ctrl-C
// at a terminal) in the middle of host1's switch, --parallel 1: gocfg
// starts no other host, says that host1 was interrupted during its switch
// and rolls back by itself, prints the table, exits with 130, and leaves
// neither an ssh master (which ssh daemonises, out of the process group)
// nor the folder of the control sockets; host1 then rolls back by itself
// once its confirm_timeout is over.
func TestDeployInterrupted(t *testing.T) {
	t.Parallel()
	nspawntest.Require(t)
	d := &deployFleet{Fleet: fleettest.New(t, 2), gocfg: privateGocfg(t), dir: t.TempDir()}
	d.config(t, "v1\n", nil, nil)
	if rs, _, code := d.deploy(t, "--on", "host1"); code != 0 {
		t.Fatalf("first deploy: exit %d: %+v", code, rs)
	}

	// gocfg's temporary folder: where its control folder will be. Short:
	// a socket's path (the folder, %C's 40 hex digits and ssh's
	// temporary suffix) must fit in 108 bytes.
	tmp, err := os.MkdirTemp("/tmp", "gdi")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// What the deploy left, if it failed to: its masters, by PID.
		for _, pid := range processesWith(tmp) {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
		_ = os.RemoveAll(tmp)
	})

	d.config(t, "v2\n", map[string]string{"host1": slowUnit(6)}, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := d.Control(ctx, d.gocfg, "deploy", "--config", d.dir, "--ssh-config", d.SSHConfig(), "--parallel", "1")
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	// gocfg leads a process group of its own, as a shell's job does; ip
	// netns exec execs it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Once host1 switches (its slow unit starting), with its master up.
	var control string
	for i := 0; ; i++ {
		if o, _ := d.Host("host1").Machine().Exec(t, "systemctl", "is-active", "slow"); strings.TrimSpace(o) == "activating" {
			break
		}
		if i == 600 {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			t.Fatalf("host1's slow unit never started:\n%s", out.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	if dirs, _ := filepath.Glob(filepath.Join(tmp, "gocfg-deploy-ssh-*")); len(dirs) == 1 {
		control = dirs[0]
	} else {
		t.Fatalf("control folders %q", dirs)
	}
	if masters := processesWith(control); len(masters) == 0 {
		t.Fatalf("no ssh master for %s under way", control)
	}
	if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	sent := time.Now()
	err = cmd.Wait()
	t.Logf("gocfg deploy, SIGINT after host1 began to switch: %v after %s\n%s", err, time.Since(sent).Round(time.Millisecond), out.String())
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Errorf("gocfg ended with %v, want exit status 130", err)
	}
	wantContains(t, "the output", out.String(),
		"gocfg: interrupted (SIGINT): starting no more hosts",
		"host1: interrupted: during its switch, which goes on there, detached; with no confirmation, the host rolls back by itself 8s (confirm_timeout) after it switches",
		"\nHOST ",
		"skipped: interrupted",
		"gocfg: the deploy was interrupted (SIGINT): under way: host1 (what becomes of each: see its result); not started: host2")
	if pids := processesWith(control); len(pids) > 0 {
		t.Errorf("ssh processes of %s left running: %v", control, pids)
	}
	if _, err := os.Stat(control); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the control folder %s is left: %v", control, err)
	}
	if o, err := d.exec(t, "host2", "test", "-e", "/home/"+fleettest.DeployUser+"/.cache/gocfg"); err == nil {
		t.Errorf("host2 was deployed to: %s", o)
	}

	// host1's switch goes on, unconfirmed: back to v1 by itself.
	limit := time.Now().Add(6*time.Second + 8*time.Second + 30*time.Second)
	for {
		if o, _ := d.exec(t, "host1", "cat", "/etc/gocfg-e2e/motd"); o == "v1" {
			t.Logf("host1 rolled back %s after the SIGINT", time.Since(sent).Round(time.Millisecond))
			break
		}
		if time.Now().After(limit) {
			o, _ := d.exec(t, "host1", "sh", "-c", "gocfg generations list; tail -n 20 /home/"+fleettest.DeployUser+"/.cache/gocfg/deploy/run-*/log")
			t.Fatalf("host1 did not roll back by itself:\n%s", o)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// processesWith lists the processes whose command line mentions s: the
// ssh masters of a control folder (ssh: DIR/HASH [mux]).
func processesWith(s string) []int {
	entries, _ := os.ReadDir("/proc")
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		if cmdline, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline")); err == nil && bytes.Contains(cmdline, []byte(s)) {
			pids = append(pids, pid)
		}
	}
	return pids
}
