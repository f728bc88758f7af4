package deploy

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// fakeSSH is an ssh binary that appends its arguments to log, one line
// per run, and for a command ("--" then a host and a line) runs the line
// with sh in the background, writes its PID to pidfile and waits for it.
func fakeSSH(t *testing.T) (bin, log, pidfile string) {
	t.Helper()
	dir := t.TempDir()
	bin, log, pidfile = filepath.Join(dir, "ssh"), filepath.Join(dir, "log"), filepath.Join(dir, "pid")
	script := `#!/bin/sh
echo "$*" >>` + log + `
while [ $# -gt 0 ] && [ "$1" != "--" ]; do shift; done
[ $# -ge 3 ] || exit 0
sh -c "$3" &
echo $! >` + pidfile + `
wait
`
	if err := os.WriteFile(bin, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return bin, log, pidfile
}

// TestSSHCleanup: Cleanup ends the master of every socket left in the
// control folder (ssh -O exit on its path), then removes the folder.
func TestSSHCleanup(t *testing.T) {
	bin, log, _ := fakeSSH(t)
	s, err := NewSSH("", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	s.Binary = bin
	sock := filepath.Join(s.ControlDir, "0123abcd")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	s.Cleanup()
	got, _ := os.ReadFile(log)
	if want := "-F /dev/null -o ControlPath=" + sock + " -O check gocfg-deploy\n-F /dev/null -o ControlPath=" + sock + " -O exit gocfg-deploy\n"; string(got) != want {
		t.Errorf("ssh ran with\n%s\nwant\n%s", got, want)
	}
	if _, err := os.Stat(s.ControlDir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the control folder is left: %v", err)
	}
}

// TestSSHRunCancelled: the end of the context kills ssh and what it
// started (its process group, apart from gocfg's), and ends the host's
// master (ssh -O exit) that holds the command's output, at once.
func TestSSHRunCancelled(t *testing.T) {
	bin, log, pidfile := fakeSSH(t)
	s := &SSH{Binary: bin, ControlDir: t.TempDir()}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	h := Host{Name: "web1", Target: "web1"}
	go func() { done <- s.Run(ctx, h, Remote{Command: "sleep 60"}) }()
	var pid int
	for deadline := time.Now().Add(10 * time.Second); pid == 0; time.Sleep(10 * time.Millisecond) {
		b, _ := os.ReadFile(pidfile)
		pid, _ = strconv.Atoi(strings.TrimSpace(string(b)))
		if time.Now().After(deadline) {
			t.Fatal("the command never started")
		}
	}
	if pgid, err := syscall.Getpgid(pid); err != nil || pgid == syscall.Getpgrp() {
		t.Errorf("the command's process group is gocfg's (%d, %v)", pgid, err)
	}
	start := time.Now()
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(4 * time.Second):
		t.Fatal("Run did not return")
	}
	t.Logf("Run returned %s after the cancellation", time.Since(start).Round(time.Millisecond))
	for deadline := time.Now().Add(5 * time.Second); syscall.Kill(pid, 0) == nil; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the command ssh started (%d) is still running", pid)
		}
	}
	got, _ := os.ReadFile(log)
	if !strings.Contains(string(got), "-O exit -- web1\n") {
		t.Errorf("no ssh -O exit for web1:\n%s", got)
	}
}

// TestSSHCleanupWaitsForMaster: Cleanup returns once the master that
// ssh -O check named has ended, not as soon as ssh -O exit answers (an
// e2e test, on a busy machine, found the master still running after the
// deploy had returned).
func TestSSHCleanupWaitsForMaster(t *testing.T) {
	master := exec.Command("sleep", "30")
	if err := master.Start(); err != nil {
		t.Fatal(err)
	}
	reaped := make(chan struct{})
	go func() { _ = master.Wait(); close(reaped) }()
	defer func() { _ = master.Process.Kill(); <-reaped }()
	dir := t.TempDir()
	bin := filepath.Join(dir, "ssh")
	script := fmt.Sprintf(`#!/bin/sh
case "$*" in
*"-O check"*) echo "Master running (pid=%d)" >&2 ;;
*"-O exit"*) (sleep 0.3; kill %d) >/dev/null 2>&1 & echo "Exit request sent." >&2 ;;
esac
`, master.Process.Pid, master.Process.Pid)
	if err := os.WriteFile(bin, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	s, err := NewSSH("", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	s.Binary = bin
	l, err := net.Listen("unix", filepath.Join(s.ControlDir, "0123abcd"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	start := time.Now()
	s.Cleanup()
	if took := time.Since(start); took < 300*time.Millisecond {
		t.Errorf("Cleanup returned after %s, before the master ended", took)
	}
	select {
	case <-reaped:
	case <-time.After(time.Second):
		t.Error("the master still runs after Cleanup")
	}
}

// TestPruneControlFolders (tester AW): a new deploy removes the control
// folders its user's killed deploys left (no lock held), and leaves one
// a deploy under way holds, and what is not a folder of its own.
func TestPruneControlFolders(t *testing.T) {
	root := t.TempDir()
	live, err := NewSSH("", root)
	if err != nil {
		t.Fatal(err)
	}
	defer live.Cleanup()
	stale := filepath.Join(root, controlPrefix+"killed")
	other := filepath.Join(root, controlPrefix+"open")
	young := filepath.Join(root, controlPrefix+"new") // another's, before its lock
	old := time.Now().Add(-2 * pruneAfter)
	for dir, mode := range map[string]os.FileMode{stale: 0o700, other: 0o755, young: 0o700} {
		if err := os.Mkdir(dir, mode); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "left"), nil, 0o600); err != nil {
			t.Fatal(err)
		}
		if dir != young {
			if err := os.Chtimes(dir, old, old); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := os.Chtimes(live.ControlDir, old, old); err != nil {
		t.Fatal(err)
	}
	s, err := NewSSH("", root)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Cleanup()
	for dir, want := range map[string]bool{stale: false, other: true, young: true, live.ControlDir: true, s.ControlDir: true} {
		if _, err := os.Lstat(dir); (err == nil) != want {
			t.Errorf("%s: exists %v, want %v", dir, err == nil, want)
		}
	}
}
