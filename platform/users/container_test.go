package users_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/internal/nspawntest"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/hostname"
	"github.com/gocfg/gocfg/platform/internal/providertest"
	"github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/users"
)

// containerSys is a live machine in a systemd-nspawn container
// (providertest.ContainerSys) whose static host name is set through its
// hostnamed.
type containerSys struct {
	*providertest.ContainerSys
}

func newContainerSys(t testing.TB, c *nspawntest.Container) *containerSys {
	return &containerSys{providertest.NewContainerSys(t, c)}
}

func (s *containerSys) SetHostname(_ context.Context, name string) error {
	_, err := s.C.Exec(s.T, "hostnamectl", "set-hostname", "--static", name)
	return err
}

// TestContainerUsersAndHostname applies the users and hostname providers'
// ops to a live Debian 12 with systemd: no --root, the shadow tools
// and hostnamed of the machine itself.
func TestContainerUsersAndHostname(t *testing.T) {
	c := nspawntest.Boot(t, nspawntest.Options{Name: "gocfg-users"})
	sys := newContainerSys(t, c)
	layout := func() *machine.Machine { return &machine.Machine{Sys: sys, Privileged: true, OS: "linux"} }
	s := newSwitcherOn(t, sys, layout)
	c.MustExec(t, "mkdir", "-p", stateDir)

	cfg := &users.Config{
		Users:  map[string]users.User{"alice": {Description: ptr("Alice A"), Shell: ptr("/bin/bash"), Groups: []string{"devs", "sudo"}}},
		Groups: map[string]users.Group{"devs": {}},
	}
	if _, err := s.switchTo(&users.Provider{Machine: layout(), Config: cfg}); err != nil {
		t.Fatal(err)
	}
	if got := c.MustExec(t, "id", "alice"); !strings.Contains(got, "uid=1000(alice) gid=1000(alice) groups=1000(alice),27(sudo),1001(devs)") {
		t.Errorf("id alice = %q", got)
	}
	if got := strings.TrimSpace(c.MustExec(t, "getent", "passwd", "alice")); got != "alice:x:1000:1000:Alice A:/home/alice:/bin/bash" {
		t.Errorf("getent passwd alice = %q", got)
	}
	if got := strings.TrimSpace(c.MustExec(t, "stat", "-c", "%a %U:%G", "/home/alice")); got != "700 alice:alice" {
		t.Errorf("home folder = %q", got)
	}
	// The user can log in and run things.
	if got := strings.TrimSpace(c.MustExecAs(t, "alice", "sh", "-c", "echo $HOME $(id -un)")); got != "/home/alice alice" {
		t.Errorf("as alice: %q", got)
	}

	// While alice runs a process, userdel refuses: the switch fails and is
	// undone, alice stays as she was.
	// Type=exec: systemd-run returns once sleep runs as alice; with the
	// default (simple) it returns after the fork, and userdel could look
	// before the child has become alice (CI failed so once).
	c.MustExec(t, "systemd-run", "--uid=alice", "--unit=alice-sleep", "--property=Type=exec", "sleep", "600")
	_, err := s.switchTo(&users.Provider{Machine: layout(), Config: &users.Config{}})
	var ae *platform.ApplyError
	if !errors.As(err, &ae) || len(ae.UndoErrs) > 0 || !strings.Contains(err.Error(), "userdel") {
		t.Fatalf("deleting a user with a running process: %v", err)
	}
	if _, err := c.Exec(t, "id", "alice"); err != nil {
		t.Errorf("alice is gone after the undone switch: %v", err)
	}
	if got := c.MustExec(t, "getent", "group", "devs"); !strings.HasPrefix(got, "devs:x:1001:alice") {
		t.Errorf("devs after the undone switch = %q", got)
	}
	c.MustExec(t, "systemctl", "stop", "alice-sleep")

	// Now the deletion goes through; the home folder stays.
	if _, err := s.switchTo(&users.Provider{Machine: layout(), Config: &users.Config{}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Exec(t, "id", "alice"); err == nil {
		t.Error("alice still exists")
	}
	if _, err := c.Exec(t, "getent", "group", "devs"); err == nil {
		t.Error("devs still exists")
	}
	c.MustExec(t, "test", "-d", "/home/alice")
	if got := c.MustExec(t, "getent", "group", "sudo"); strings.Contains(got, "alice") {
		t.Errorf("sudo = %q", got)
	}

	// The host name, through the machine's hostnamed; unsetting it puts
	// back the static name the machine had.
	orig, err := sys.Hostname(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	hl := &machine.Machine{Sys: sys, Privileged: true, OS: "linux"}
	part, err := (&hostname.Provider{Machine: hl, Config: &hostname.Config{HostName: ptr("atlas")}}).Plan(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	providertest.ApplyOps(t, sys, part)
	if got := strings.TrimSpace(c.MustExec(t, "hostname")); got != "atlas" {
		t.Errorf("hostname = %q", got)
	}
	if got := strings.TrimSpace(c.MustExec(t, "hostnamectl", "--static")); got != "atlas" {
		t.Errorf("hostnamectl --static = %q", got)
	}
	recs, _ := json.Marshal(part.Records)
	t.Logf("hostname records: %s", recs)
	back, err := (&hostname.Provider{Machine: hl, Config: &hostname.Config{}}).Plan(context.Background(), recs)
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Changes) != 1 || back.Changes[0].Action != platform.Restore {
		t.Fatalf("unset: %+v", back.Changes)
	}
	providertest.ApplyOps(t, sys, back)
	if got, err := sys.Hostname(context.Background()); err != nil || got != orig {
		t.Errorf("after unset the static host name is %q (%v), want %q", got, err, orig)
	}
}
