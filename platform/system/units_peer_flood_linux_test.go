package system

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestPeerFakeManager: tester Z. A peer (the user herself; here the
// test's own uid) completes the D-Bus handshake and answers AddMatch,
// then never answers (silent), or sends a few thousand calls and reads
// nothing more (flood). Before, a call on the flooded connection
// blocked in its write whatever its context said, and so did Close,
// holding root's plan, undo and state lock for ever; the silent one
// held an undo for 5 minutes. Now a call fails with ErrNoAnswer within
// peerCallTimeout, a peer that calls is dropped, and Close returns.
func TestPeerFakeManager(t *testing.T) {
	if testing.Short() {
		t.Skip("builds e2e's attacker")
	}
	savedCall, savedWrite := peerCallTimeout, peerWriteTimeout
	peerCallTimeout, peerWriteTimeout = time.Second, time.Second
	t.Cleanup(func() { peerCallTimeout, peerWriteTimeout = savedCall, savedWrite })
	bin := filepath.Join(t.TempDir(), "attacker")
	if out, err := exec.Command("go", "build", "-o", bin, "../../e2e/internal/attacker").CombinedOutput(); err != nil {
		t.Fatalf("go build the attacker: %v\n%s", err, out)
	}
	for _, mode := range []string{"silent", "flood"} {
		t.Run(mode, func(t *testing.T) {
			dir := t.TempDir()
			sock, ready, stop := filepath.Join(dir, "private"), filepath.Join(dir, "ready"), filepath.Join(dir, "stop")
			cmd := exec.Command(bin, "fakebus", "-mode", mode, "-n", "4000", "-for", "60s", "-stop", stop, "-ready", ready, sock)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer func() {
				_ = os.WriteFile(stop, nil, 0o644)
				_ = cmd.Wait()
			}()
			for i := 0; i < 200; i++ {
				if _, err := os.Stat(ready); err == nil {
					break
				}
				time.Sleep(25 * time.Millisecond)
			}
			conn, err := connectPeerManager(t.Context(), sock, os.Getuid())
			if err != nil {
				t.Fatalf("connect: %v", err)
			}
			u := peerUnits{&dbusUnits{conn: conn, scope: UnitScope{User: "mallory", UID: os.Getuid()}}}
			start := time.Now()
			done := make(chan error, 1)
			go func() {
				_, err := u.State(context.WithoutCancel(t.Context()), "tick.service")
				done <- err
			}()
			select {
			case err := <-done:
				if err == nil || mode == "silent" && !errors.Is(err, ErrNoAnswer) {
					t.Errorf("State on the %s peer: %v, want it to fail (ErrNoAnswer when silent)", mode, err)
				}
				t.Logf("State failed after %v: %v", time.Since(start).Round(time.Millisecond), err)
			case <-time.After(20 * time.Second):
				t.Fatalf("State on the %s peer did not return in 20 s", mode)
			}
			closed := make(chan struct{})
			go func() { _ = u.Close(); close(closed) }()
			select {
			case <-closed:
			case <-time.After(20 * time.Second):
				t.Errorf("Close on the %s peer did not return in 20 s", mode)
			}
		})
	}
}
