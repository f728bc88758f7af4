package system

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestDialPeerRefusesAnotherUser: a user's manager socket where another
// account listens (a link the user planted to /run/systemd/private, the
// system manager's) is refused before a byte is sent.
func TestDialPeerRefusesAnotherUser(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "private")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			_ = c.Close()
		}
	}()
	me := os.Geteuid()
	if _, err := dialPeer(sock, me+4242); !errors.Is(err, ErrOutside) {
		t.Errorf("dial with another uid listening: err = %v, want ErrOutside", err)
	}
	// The right uid passes the check (and then finds no D-Bus there).
	if _, err := dialPeer(sock, me); err == nil || errors.Is(err, ErrOutside) {
		t.Errorf("dial with the right uid: err = %v, want a D-Bus error", err)
	}
}

// TestDialPeerSilent: a manager socket where the user listens and never
// answers (tester Y) fails the D-Bus handshake after peerAuthTimeout
// with ErrNoAnswer, whoever calls (an undo has no deadline of its own):
// before, root's undo waited on it for ever, holding the state lock.
func TestDialPeerSilent(t *testing.T) {
	savedAuth, savedConnect := peerAuthTimeout, peerConnectTimeout
	peerAuthTimeout, peerConnectTimeout = 200*time.Millisecond, 300*time.Millisecond
	t.Cleanup(func() { peerAuthTimeout, peerConnectTimeout = savedAuth, savedConnect })
	sock := filepath.Join(t.TempDir(), "private")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	held := make(chan net.Conn, 8)
	defer func() {
		for len(held) > 0 {
			_ = (<-held).Close()
		}
	}()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			held <- c // accepted, never read or answered
		}
	}()
	done := make(chan error, 1)
	go func() {
		_, err := dialPeer(sock, os.Geteuid())
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, ErrNoAnswer) || !strings.Contains(err.Error(), "within 200ms") {
			t.Errorf("dialPeer on a silent socket: %v, want the handshake's timeout", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("dialPeer on a silent socket did not return")
	}
}
