package main

import (
	"os"
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

// TestInterruptsNil: commands run in-process by tests have no
// interrupts; guarding is then a no-op.
func TestInterruptsNil(t *testing.T) {
	var in *interrupts
	in.guard()()
}
