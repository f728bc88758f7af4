package main

import (
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestInterruptsGuard: inside a guard the first SIGTERM cancels the
// context and says so, a second one is only acknowledged, and neither
// ends the process.
func TestInterruptsGuard(t *testing.T) {
	var out strings.Builder
	ctx, in := withInterrupts(t.Context(), &out)
	release := in.guard()
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ctx.Done():
	case <-time.After(10 * time.Second):
		release()
		t.Fatal("SIGTERM inside the guard did not cancel the context")
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		in.mu.Lock()
		n := in.caught
		in.mu.Unlock()
		if n == 2 {
			break
		}
		if time.Now().After(deadline) {
			release()
			t.Fatalf("%d signal(s) caught, want 2", n)
		}
	}
	release()
	want := "gocfg: interrupted (SIGTERM): stopping after the step in progress; wait\n" +
		"gocfg: interrupted again (SIGTERM): still stopping, and undoing the steps done is never cut short; wait\n"
	if out.String() != want {
		t.Errorf("stderr:\n%s\nwant:\n%s", out.String(), want)
	}
}

// TestInterruptsHangup: inside a guard a hangup (an SSH session that
// went away) stops the switch as Ctrl-C does; outside a guard it ends
// the process between two steps.
func TestInterruptsHangup(t *testing.T) {
	var out strings.Builder
	ctx, in := withInterrupts(t.Context(), &out)
	release := in.guard()
	defer release()
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ctx.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("SIGHUP inside the guard did not cancel the context")
	}
	if want := "gocfg: interrupted (SIGHUP): stopping after the step in progress; wait\n"; out.String() != want {
		t.Errorf("stderr:\n%s\nwant:\n%s", out.String(), want)
	}
	if got := exitCode(in.signal()); got != 129 {
		t.Errorf("exit code %d, want 129", got)
	}
}

// TestInterruptsBrokenPipe: inside a guard, a write to a stdout whose
// reader went away (`gocfg switch | head`) fails, and the process goes
// on; a Go program otherwise dies of SIGPIPE at that write, between two
// steps of the switch. The guarded writer runs in a child process.
func TestInterruptsBrokenPipe(t *testing.T) {
	if os.Getenv("GOCFG_TEST_BROKEN_PIPE") == "1" {
		ctx, in := withInterrupts(context.Background(), io.Discard)
		release := in.guard()
		_, err := os.Stdout.WriteString("a step's line\n")
		release()
		if !errors.Is(err, syscall.EPIPE) || ctx.Err() != nil {
			os.Exit(3)
		}
		os.Exit(0)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^TestInterruptsBrokenPipe$")
	cmd.Env = append(os.Environ(), "GOCFG_TEST_BROKEN_PIPE=1")
	cmd.Stdout = w
	err = cmd.Run()
	w.Close()
	if err != nil {
		t.Fatalf("the guarded writer: %v (want it to go on past the broken pipe and exit 0)", err)
	}
}

// TestInterruptsNil: commands run in-process by tests have no
// interrupts; guarding is then a no-op.
func TestInterruptsNil(t *testing.T) {
	var in *interrupts
	in.guard()()
}
