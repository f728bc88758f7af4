//go:build linux

package systemdtest

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestMain(m *testing.M) { Main(m) }

func TestStartUserManagerRoot(t *testing.T) {
	m := StartUserManager(t)
	if m.UID() != 0 || m.User() != "root" {
		t.Errorf("uid %d user %q, want 0 root", m.UID(), m.User())
	}
	m.WriteUnit(t, "hello.service", "[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\n")
	for _, args := range [][]string{{"daemon-reload"}, {"start", "hello.service"}} {
		if out, err := m.Systemctl(args...); err != nil {
			t.Fatalf("systemctl %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	if out, _ := m.Systemctl("is-active", "hello.service"); out != "active" {
		t.Errorf("is-active = %q, want active", out)
	}
	if _, err := os.Stat(filepath.Join(m.RuntimeDir(), "bus")); err != nil {
		t.Errorf("no session bus socket: %v", err)
	}
}

func TestStartUserManagerAsNobody(t *testing.T) {
	m := StartUserManagerAs(t, 65534, 65534)
	fi, err := os.Stat(m.UnitDir())
	if err != nil {
		t.Fatal(err)
	}
	if uid := ownerOf(fi); uid != 65534 {
		t.Errorf("%s owned by %d, want 65534", m.UnitDir(), uid)
	}
	m.WriteUnit(t, "sleep.service", "[Service]\nExecStart=/bin/sleep 60\n")
	if out, err := m.Systemctl("daemon-reload"); err != nil {
		t.Fatalf("systemctl daemon-reload: %v\n%s", err, out)
	}
	if out, err := m.Systemctl("start", "sleep.service"); err != nil {
		t.Fatalf("systemctl start: %v\n%s", err, out)
	}
	out, _ := m.Systemctl("show", "-P", "MainPID", "sleep.service")
	status, err := os.ReadFile("/proc/" + out + "/status")
	if err != nil {
		t.Fatalf("MainPID %q: %v", out, err)
	}
	if !strings.Contains(string(status), "\nUid:\t65534\t") {
		t.Errorf("the service does not run as 65534:\n%s", status)
	}
}

// TestStopLeavesNothing checks that a stopped manager leaves no process,
// cgroup or folder behind.
func TestStopLeavesNothing(t *testing.T) {
	var m *Manager
	t.Run("run", func(t *testing.T) {
		m = StartUserManagerAs(t, 65534, 65534)
		m.WriteUnit(t, "sleep.service", "[Service]\nExecStart=/bin/sleep 60\n")
		if out, err := m.Systemctl("start", "sleep.service"); err != nil {
			t.Fatalf("systemctl start: %v\n%s", err, out)
		}
	})
	if m == nil {
		t.Skip("no manager")
	}
	for _, cg := range m.cgroups {
		if _, err := os.Stat(cg); !os.IsNotExist(err) {
			t.Errorf("cgroup %s left behind (%v)", cg, err)
		}
	}
	if _, err := os.Stat(m.dir); !os.IsNotExist(err) {
		t.Errorf("folder %s left behind (%v)", m.dir, err)
	}
	select {
	case <-m.exited:
	default:
		t.Errorf("manager %d still running", m.PID())
	}
}

// ownerOf returns the uid that owns a file.
func ownerOf(fi fs.FileInfo) int {
	return int(fi.Sys().(*syscall.Stat_t).Uid)
}
