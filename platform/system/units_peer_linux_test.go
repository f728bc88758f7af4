package system

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"testing"
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
