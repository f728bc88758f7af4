package system

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// stalledUnits is a manager that answered the handshake and then
// nothing: every call waits for its context.
type stalledUnits struct{ Units }

func (stalledUnits) State(ctx context.Context, _ string) (UnitState, error) {
	<-ctx.Done()
	return UnitState{}, ctx.Err()
}

func (stalledUnits) DaemonReload(ctx context.Context) error {
	<-ctx.Done()
	return ctx.Err()
}

// TestPeerUnitsBounded (tester Z): a call on another user's manager
// that never answers fails with ErrNoAnswer after peerCallTimeout, for
// a caller without a deadline (an undo); before, it waited for ever.
func TestPeerUnitsBounded(t *testing.T) {
	saved := peerCallTimeout
	peerCallTimeout = 100 * time.Millisecond
	t.Cleanup(func() { peerCallTimeout = saved })
	u := peerUnits{stalledUnits{}}
	ctx := context.WithoutCancel(t.Context())
	done := make(chan error, 2)
	go func() {
		_, err := u.State(ctx, "sync.service")
		done <- err
	}()
	go func() { done <- u.DaemonReload(ctx) }()
	for range 2 {
		select {
		case err := <-done:
			if !errors.Is(err, ErrNoAnswer) {
				t.Errorf("a call on a stalled manager: %v, want ErrNoAnswer", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("a call on a stalled manager did not return")
		}
	}
}

// TestBoundedWrites (tester Z): a write to another user's manager that
// stopped reading fails after peerWriteTimeout; before, a full socket
// blocked root's call, and godbus's Close, for ever.
func TestBoundedWrites(t *testing.T) {
	saved := peerWriteTimeout
	peerWriteTimeout = 100 * time.Millisecond
	t.Cleanup(func() { peerWriteTimeout = saved })
	sock := filepath.Join(t.TempDir(), "private")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		if c, err := l.Accept(); err == nil {
			accepted <- c // never read
		}
	}()
	nc, err := net.Dial("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	defer func() {
		if c := <-accepted; c != nil {
			_ = c.Close()
		}
	}()
	done := make(chan error, 1)
	go func() {
		_, err := boundedWrites{nc}.Write(make([]byte, 64<<20))
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Errorf("a write nobody reads: %v, want a deadline error", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a write nobody reads did not return")
	}
}
