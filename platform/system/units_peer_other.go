//go:build !linux

package system

import (
	"context"
	"errors"
	"time"

	sddbus "github.com/coreos/go-systemd/v22/dbus"
)

// connectPeerManager is Linux only, as systemd is.
func connectPeerManager(context.Context, string, int) (*sddbus.Conn, error) {
	return nil, errors.ErrUnsupported
}

// setPeerDialTimeouts: no dialer to bound.
func setPeerDialTimeouts(time.Duration) {}
