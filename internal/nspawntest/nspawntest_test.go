package nspawntest

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"
	"time"
)

// TestContainer boots a container and does, inside, what gocfg's
// integration tests will: hostname, users, apt from the local
// repository, the bound gocfg binary, files in and out; then halts it.
func TestContainer(t *testing.T) {
	Require(t) // before building gocfg
	gocfg := BuildGocfg(t)
	hostPasswd, err := os.ReadFile("/etc/passwd")
	if err != nil {
		t.Fatal(err)
	}
	hostHostname, _ := os.Hostname()

	c := Boot(t, Options{Gocfg: gocfg})

	if got := strings.TrimSpace(c.MustExec(t, "systemctl", "is-system-running")); got != "running" && got != "degraded" {
		t.Errorf("systemctl is-system-running = %q", got)
	}
	if got := strings.TrimSpace(c.MustExec(t, "hostname")); got != "nspawntest" {
		t.Errorf("hostname at boot = %q, want the machine name nspawntest", got)
	}

	t.Run("hostname", func(t *testing.T) {
		c.MustExec(t, "hostnamectl", "set-hostname", "gocfg-test")
		if got := strings.TrimSpace(c.MustExec(t, "hostnamectl", "--static")); got != "gocfg-test" {
			t.Errorf("hostnamectl --static = %q", got)
		}
		if got := strings.TrimSpace(c.MustExec(t, "hostname")); got != "gocfg-test" {
			t.Errorf("hostname = %q", got)
		}
		if b, err := c.ReadFile(t, "/etc/hostname"); err != nil || string(b) != "gocfg-test\n" {
			t.Errorf("/etc/hostname = %q, %v", b, err)
		}
		if h, _ := os.Hostname(); h != hostHostname {
			t.Errorf("the host's hostname changed: %q → %q", hostHostname, h)
		}
	})

	t.Run("users", func(t *testing.T) {
		c.MustExec(t, "useradd", "-m", "bob")
		if out := c.MustExec(t, "id", "-un", "bob"); strings.TrimSpace(out) != "bob" {
			t.Errorf("id -un bob = %q", out)
		}
		for _, user := range []string{"bob", "1000"} {
			if got := strings.TrimSpace(c.MustExecAs(t, user, "sh", "-c", `echo "$(id -un) $HOME"`)); got != "bob /home/bob" {
				t.Errorf("as %s: %q", user, got)
			}
		}
		if _, err := c.ExecAs(t, "nobody-here", "true"); err == nil {
			t.Errorf("ExecAs an unknown user worked")
		}
		after, err := os.ReadFile("/etc/passwd")
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(after, hostPasswd) {
			t.Errorf("useradd in the container changed the host's /etc/passwd")
		}
		passwd, err := c.ReadFile(t, "/etc/passwd")
		if err != nil || !strings.Contains(string(passwd), "\nbob:") {
			t.Errorf("the container's /etc/passwd has no bob: %v", err)
		}
	})

	t.Run("linger", func(t *testing.T) {
		c.MustExec(t, "loginctl", "enable-linger", "bob")
		// enable-linger starts user@UID.service; wait for its manager.
		deadline := time.Now().Add(20 * time.Second)
		for {
			out, err := c.ExecAs(t, "bob", "systemctl", "--user", "is-system-running", "--wait")
			if s := strings.TrimSpace(out); err == nil && (s == "running" || s == "degraded") {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("bob's user manager did not come up: %q, %v", out, err)
			}
			time.Sleep(100 * time.Millisecond)
		}
	})

	t.Run("apt", func(t *testing.T) {
		c.UseLocalDebs(t)
		c.MustExec(t, "apt-get", "install", "-y", "-q", "hello")
		if got := strings.TrimSpace(c.MustExec(t, "hello")); got != "Hello, world!" {
			t.Errorf("hello = %q", got)
		}
		if _, err := os.Stat("/usr/bin/hello"); err == nil {
			t.Log("note: the host has /usr/bin/hello too (installed there before this test?)")
		}
	})

	t.Run("gocfg", func(t *testing.T) {
		out := c.MustExec(t, "gocfg", "--help")
		if !strings.Contains(out, "switch") {
			t.Errorf("gocfg --help does not mention switch:\n%s", out)
		}
	})

	t.Run("files", func(t *testing.T) {
		c.WriteFile(t, "/etc/gocfg/test/hello.txt", []byte("hi\n"), 0o600)
		if out := c.MustExec(t, "stat", "-c", "%a %U", "/etc/gocfg/test/hello.txt"); strings.TrimSpace(out) != "600 root" {
			t.Errorf("mode and owner = %q", out)
		}
		if b, err := c.ReadFile(t, "/etc/gocfg/test/hello.txt"); err != nil || string(b) != "hi\n" {
			t.Errorf("ReadFile = %q, %v", b, err)
		}
		if _, err := c.ReadFile(t, "/no/such/file"); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("ReadFile of a missing file: %v, want fs.ErrNotExist", err)
		}
		// The ordinary error: a command that fails says so, with output.
		_, err := c.Exec(t, "sh", "-c", "echo oops >&2; exit 7")
		if err == nil || !strings.Contains(err.Error(), "oops") || !strings.Contains(err.Error(), "exit status 7") {
			t.Errorf("a failing command: %v", err)
		}
	})

	start := time.Now()
	if err := c.Stop(t); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	t.Logf("halted in %s", time.Since(start).Round(time.Millisecond))
	if !strings.Contains(c.Console(), "Halting system") && !strings.Contains(c.Console(), "Powering off") {
		t.Errorf("no clean halt on the console:\n%s", tail(c.Console(), 20))
	}
	if _, err := c.Exec(t, "true"); err == nil {
		t.Errorf("Exec after Stop worked")
	}
}

// TestBootTwice boots containers one after another: each starts from the
// cached root file system, untouched by the one before.
func TestBootTwice(t *testing.T) {
	if testing.Short() {
		t.Skip("boots two containers")
	}
	for i := range 2 {
		c := Boot(t, Options{Name: "twice"})
		if _, err := c.ReadFile(t, "/etc/twice"); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("boot %d: /etc/twice from the previous container is there (%v): the cache was changed", i, err)
		}
		c.WriteFile(t, "/etc/twice", []byte("x"), 0o644)
		if err := c.Stop(t); err != nil {
			t.Fatal(err)
		}
	}
	if rootfsBuilt(RootfsDir()) {
		if _, err := os.Stat(RootfsDir() + "/etc/twice"); err == nil {
			t.Errorf("the cached root file system was changed")
		}
	}
}

// TestParallel boots two containers at once: each has its own cgroup,
// copy of the root file system and hostname.
func TestParallel(t *testing.T) {
	if testing.Short() {
		t.Skip("boots two containers")
	}
	for _, name := range []string{"par-a", "par-b"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := Boot(t, Options{Name: name})
			if got := strings.TrimSpace(c.MustExec(t, "hostname")); got != name {
				t.Errorf("hostname = %q, want %q", got, name)
			}
			c.MustExec(t, "useradd", "-m", name)
			if out, err := c.Exec(t, "id", map[string]string{"par-a": "par-b", "par-b": "par-a"}[name]); err == nil {
				t.Errorf("the other container's user is here: %s", out)
			}
		})
	}
}
