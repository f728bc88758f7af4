package system

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"time"

	sddbus "github.com/coreos/go-systemd/v22/dbus"
	godbus "github.com/godbus/dbus/v5"
	"golang.org/x/sys/unix"
)

// connectPeerManager connects to the private socket of another user's manager,
// refusing a peer that is not that user: the socket lives in the user's
// runtime folder, which the user controls, and a link planted there
// (to /run/systemd/private, say) must not make root speak to the system
// manager, or to anything else, as root. SO_PEERCRED names the process
// that listens.
func connectPeerManager(ctx context.Context, path string, uid int) (*sddbus.Conn, error) {
	return withContext(ctx, func() (*sddbus.Conn, error) {
		return sddbus.NewConnection(func() (*godbus.Conn, error) {
			return dialPeer(path, uid)
		})
	})
}

// dialPeer opens one authenticated D-Bus connection to the socket path
// after checking that uid listens on it.
func dialPeer(path string, uid int) (*godbus.Conn, error) {
	nc, err := net.Dial("unix", path)
	if err != nil {
		return nil, err
	}
	if err := checkPeer(nc.(*net.UnixConn), uid); err != nil {
		_ = nc.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	// She may listen there with a program that never answers (tester
	// Y): the handshake is bounded, whoever calls.
	if err := nc.SetDeadline(time.Now().Add(peerAuthTimeout)); err != nil {
		_ = nc.Close()
		return nil, err
	}
	// A manager never calls its client: a peer that does floods it
	// (tester Z: each call's answer is written from a goroutine of its
	// own, and she read none), and is dropped.
	drop := godbus.WithIncomingInterceptor(func(m *godbus.Message) {
		if m.Type == godbus.TypeMethodCall {
			_ = nc.Close()
		}
	})
	conn, err := godbus.NewConn(boundedWrites{nc}, drop)
	if err != nil {
		_ = nc.Close()
		return nil, err
	}
	if err := conn.Auth([]godbus.Auth{godbus.AuthExternal(fmt.Sprint(unix.Geteuid()))}); err != nil {
		_ = conn.Close()
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return nil, fmt.Errorf("%w within %v", ErrNoAnswer, peerAuthTimeout)
		}
		return nil, fmt.Errorf("the D-Bus handshake: %w", err)
	}
	if err := nc.SetDeadline(time.Time{}); err != nil {
		_ = conn.Close()
		return nil, err
	}
	return conn, nil
}

// peerAuthTimeout bounds the D-Bus handshake with another user's
// manager (dialPeer; see peerConnectTimeout), and peerWriteTimeout one
// write to it (boundedWrites).
var (
	peerAuthTimeout  = 20 * time.Second
	peerWriteTimeout = 20 * time.Second
)

// setPeerDialTimeouts is SetPeerTimeout's part for the dialer.
func setPeerDialTimeouts(d time.Duration) { peerAuthTimeout, peerWriteTimeout = d, d }

// boundedWrites is a connection to another user's manager whose every
// write must finish within peerWriteTimeout: she may stop reading, and
// a write to a full socket would then block root's call, and godbus's
// Close, for ever (tester Z flooded the connection with calls whose
// answers she never read).
type boundedWrites struct{ net.Conn }

// Write writes b, or fails after peerWriteTimeout and closes the
// connection, so that the writes waiting after it fail at once instead
// of each waiting its own deadline.
func (c boundedWrites) Write(b []byte) (int, error) {
	if err := c.SetWriteDeadline(time.Now().Add(peerWriteTimeout)); err != nil {
		return 0, err
	}
	n, err := c.Conn.Write(b)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		_ = c.Conn.Close()
	}
	return n, err
}

// checkPeer fails unless the process at the other end of c runs as uid.
func checkPeer(c *net.UnixConn, uid int) error {
	raw, err := c.SyscallConn()
	if err != nil {
		return err
	}
	var cred *unix.Ucred
	var cerr error
	if err := raw.Control(func(fd uintptr) {
		cred, cerr = unix.GetsockoptUcred(int(fd), unix.SOL_SOCKET, unix.SO_PEERCRED)
	}); err != nil {
		return err
	}
	if cerr != nil {
		return cerr
	}
	if int(cred.Uid) != uid {
		return fmt.Errorf("%w: the process listening there runs as uid %d, not as uid %d", ErrOutside, cred.Uid, uid)
	}
	return nil
}
