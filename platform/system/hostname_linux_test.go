package system

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// envHostnameNS marks the test binary re-executed in private UTS and
// mount namespaces by TestRealSetHostnameFallback; its value names the
// namespaces it was started from ("UTS MNT").
const envHostnameNS = "GOCFG_TEST_HOSTNAME_NS"

// namespaceID returns the identity of one of this process's namespaces.
func namespaceID(kind string) string {
	s, _ := os.Readlink("/proc/self/ns/" + kind)
	return s
}

// TestRealSetHostnameFallback checks Real.SetHostname without hostnamed:
// with no system bus, and with a bus where no hostnamed answers. It must
// never rename this machine, so it re-executes itself in private UTS and
// mount namespaces (with a tmpfs on /etc) and checks afterwards that the
// host's name and /etc/hostname did not change. Setting the name through
// hostnamed needs a booted systemd: the container tests cover it.
func TestRealSetHostnameFallback(t *testing.T) {
	if v := os.Getenv(envHostnameNS); v != "" {
		setHostnameInside(t, v)
		return
	}
	if os.Geteuid() != 0 {
		t.Skip("needs root (UTS and mount namespaces)")
	}
	if _, err := exec.LookPath("unshare"); err != nil {
		t.Skip("no unshare command")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	hostBefore, _ := os.Hostname()
	fileBefore, _ := os.ReadFile(hostnameFile)

	cmd := exec.Command("unshare", "--uts", "--mount", "--propagation", "private", "--",
		exe, "-test.run=^TestRealSetHostnameFallback$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), envHostnameNS+"="+namespaceID("uts")+" "+namespaceID("mnt"))
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestRealSetHostnameFallback") {
		t.Errorf("in namespaces: %v\n%s", err, out)
	}

	if h, _ := os.Hostname(); h != hostBefore {
		t.Errorf("this machine's host name changed from %q to %q", hostBefore, h)
	}
	if f, _ := os.ReadFile(hostnameFile); string(f) != string(fileBefore) {
		t.Errorf("this machine's %s changed from %q to %q", hostnameFile, fileBefore, f)
	}
}

// setHostnameInside is TestRealSetHostnameFallback in its namespaces.
func setHostnameInside(t *testing.T, from string) {
	uts, mnt, _ := strings.Cut(from, " ")
	if namespaceID("uts") == uts || namespaceID("mnt") == mnt || namespaceID("uts") == "" {
		t.Fatal("not in private UTS and mount namespaces: refusing to rename this machine")
	}
	// A bus with no hostnamed on it, started while /etc is still there.
	bus := startBus(t)
	if err := unix.Mount("tmpfs", "/etc", "tmpfs", unix.MS_NOSUID|unix.MS_NODEV, "mode=0755"); err != nil {
		t.Fatalf("mount tmpfs on /etc: %v", err)
	}
	none := "unix:path=" + filepath.Join(t.TempDir(), "none")
	for _, tc := range []struct{ name, bus, host, why string }{
		{"no bus", none, "gocfg-test-a", none + ": org.freedesktop.hostname1 is not available (dial unix "},
		{"no hostnamed", bus, "gocfg-test-b", "org.freedesktop.hostname1: org.freedesktop.hostname1 is not available (The name org.freedesktop.hostname1 was not provided"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("DBUS_SYSTEM_BUS_ADDRESS", tc.bus)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			// Why it falls back.
			if err := setStaticHostname(ctx, tc.host); !errors.Is(err, errNoHostnamed) || !strings.HasPrefix(err.Error(), tc.why) {
				t.Errorf("setStaticHostname: %v, want %s...", err, tc.why)
			}
			if err := NewReal().SetHostname(ctx, tc.host); err != nil {
				t.Fatal(err)
			}
			if h, _ := os.Hostname(); h != tc.host {
				t.Errorf("kernel host name = %q, want %q", h, tc.host)
			}
			assertFile(t, hostnameFile, tc.host+"\n", 0o644)
			if h, err := NewReal().Hostname(ctx); err != nil || h != tc.host {
				t.Errorf("Hostname = %q, %v; want %q", h, err, tc.host)
			}
		})
	}
}

// startBus starts a dbus-daemon with the session configuration (no
// hostnamed can be activated there) and returns its address.
func startBus(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("dbus-daemon"); err != nil {
		t.Skip("no dbus-daemon")
	}
	addr := "unix:path=" + filepath.Join(t.TempDir(), "bus")
	cmd := exec.Command("dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address", "--address="+addr)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	// It prints its address once it listens.
	if _, err := bufio.NewReader(stdout).ReadString('\n'); err != nil {
		t.Fatalf("dbus-daemon: %v", err)
	}
	return addr
}

func TestHostnamedMissing(t *testing.T) {
	for name, want := range map[string]bool{
		"org.freedesktop.DBus.Error.ServiceUnknown":      true,
		"org.freedesktop.DBus.Error.NameHasNoOwner":      true,
		"org.freedesktop.DBus.Error.Spawn.ChildExited":   true,
		"org.freedesktop.systemd1.NoSuchUnit":            true,
		"org.freedesktop.DBus.Error.AccessDenied":        false,
		"org.freedesktop.DBus.Error.InvalidArgs":         false,
		"org.freedesktop.PolicyKit1.Error.NotAuthorized": false,
	} {
		if got := hostnamedMissing(name); got != want {
			t.Errorf("hostnamedMissing(%s) = %v, want %v", name, got, want)
		}
	}
}
