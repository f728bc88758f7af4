package system

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	godbus "github.com/godbus/dbus/v5"
	"golang.org/x/sys/unix"
)

// hostnamedTimeout bounds the whole conversation with hostnamed.
const hostnamedTimeout = 2 * time.Second

// errNoHostnamed says that org.freedesktop.hostname1 is not there to
// answer (no system bus, or no hostnamed behind it).
var errNoHostnamed = errors.New("org.freedesktop.hostname1 is not available")

// setHostname sets the static host name through hostnamed, which writes
// /etc/hostname and the kernel's name; when it is not there, it writes
// /etc/hostname itself (atomically, 0644) and calls sethostname(2).
func setHostname(ctx context.Context, r *Real, name string) error {
	err := setStaticHostname(ctx, name)
	if err == nil || !errors.Is(err, errNoHostnamed) {
		return err
	}
	if err := writeHostname(r, name); err != nil {
		return err
	}
	if err := unix.Sethostname([]byte(name)); err != nil {
		return fmt.Errorf("sethostname %s: %w", name, err)
	}
	return nil
}

// setStaticHostname calls hostnamed's SetStaticHostname(name, false) on
// the system bus. The error wraps errNoHostnamed when the bus or the
// service is not there or does not answer in time.
func setStaticHostname(ctx context.Context, name string) error {
	ctx, cancel := context.WithTimeout(ctx, hostnamedTimeout)
	defer cancel()
	addr := os.Getenv("DBUS_SYSTEM_BUS_ADDRESS")
	if addr == "" {
		addr = defaultSystemBus
	}
	type result struct {
		conn *godbus.Conn
		err  error
	}
	ch := make(chan result, 1)
	go func() {
		c, err := dialBus(addr, true)
		ch <- result{c, err}
	}()
	var conn *godbus.Conn
	select {
	case r := <-ch:
		if r.err != nil {
			return fmt.Errorf("%s: %w (%v)", addr, errNoHostnamed, r.err)
		}
		conn = r.conn
	case <-ctx.Done():
		go func() {
			if r := <-ch; r.conn != nil {
				_ = r.conn.Close()
			}
		}()
		if errors.Is(ctx.Err(), context.Canceled) {
			return ctx.Err() // the caller's, not the timeout
		}
		return fmt.Errorf("%s: %w (no answer in %s)", addr, errNoHostnamed, hostnamedTimeout)
	}
	defer conn.Close()
	obj := conn.Object("org.freedesktop.hostname1", "/org/freedesktop/hostname1")
	call := obj.CallWithContext(ctx, "org.freedesktop.hostname1.SetStaticHostname", 0, name, false)
	if call.Err == nil {
		return nil
	}
	var de godbus.Error
	if errors.As(call.Err, &de) && hostnamedMissing(de.Name) || errors.Is(call.Err, context.DeadlineExceeded) {
		return fmt.Errorf("org.freedesktop.hostname1: %w (%v)", errNoHostnamed, call.Err)
	}
	return fmt.Errorf("org.freedesktop.hostname1: set static host name %s: %w", name, call.Err)
}

// hostnamedMissing reports whether a D-Bus error name says that the
// service is not there (not running, not activatable, or its activation
// failed because systemd is not PID 1).
func hostnamedMissing(name string) bool {
	switch name {
	case "org.freedesktop.DBus.Error.ServiceUnknown",
		"org.freedesktop.DBus.Error.NameHasNoOwner",
		"org.freedesktop.DBus.Error.NoReply",
		"org.freedesktop.DBus.Error.Timeout",
		"org.freedesktop.DBus.Error.TimedOut",
		"org.freedesktop.DBus.Error.UnknownObject",
		"org.freedesktop.DBus.Error.UnknownInterface",
		"org.freedesktop.DBus.Error.UnknownMethod":
		return true
	}
	return strings.HasPrefix(name, "org.freedesktop.DBus.Error.Spawn.") ||
		strings.HasPrefix(name, "org.freedesktop.systemd1.")
}
