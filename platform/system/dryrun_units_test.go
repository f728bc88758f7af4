package system

import (
	"context"
	"errors"
	"reflect"
	"runtime"
	"testing"
)

func TestDryRunUnitsLogs(t *testing.T) {
	root := offlineTree(t, systemTree)
	d := NewDryRun(NewRooted(root, NewReal()))
	before := listing(t, root)
	ctx := context.Background()

	sys, user := treeUnits(t, ctx, d)
	for _, err := range []error{
		sys.DaemonReload(ctx),
		sys.Enable(ctx, []string{"x.service", "foo@bar.service"}),
		sys.Disable(ctx, []string{"two.service"}),
		sys.Start(ctx, "x.service"),
		sys.Stop(ctx, "x.service"),
		sys.Restart(ctx, "x.service"),
		sys.Reload(ctx, "x.service"),
		user.Start(ctx, "x.service"),
		d.SetHostname(ctx, "new-host"),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	want := []string{
		"systemctl daemon-reload",
		"systemctl enable x.service foo@bar.service",
		"systemctl disable two.service",
		"systemctl start x.service",
		"systemctl stop x.service",
		"systemctl restart x.service",
		"systemctl reload x.service",
		"systemctl --user --machine=alice@ start x.service",
		"hostnamectl set-hostname new-host",
	}
	if got := d.Log(); !reflect.DeepEqual(got, want) {
		t.Errorf("log:\n%q\nwant:\n%q", got, want)
	}
	wantTreeRead(t, ctx, root, before, sys)
}

// treeUnits returns the Units of the system manager and of alice's on s,
// a System over a tree made by offlineTree.
func treeUnits(t *testing.T, ctx context.Context, s System) (sys, user Units) {
	t.Helper()
	sys, err := s.Units(ctx, UnitScope{UID: -1, GID: -1})
	if err != nil {
		t.Fatal(err)
	}
	user, err = s.Units(ctx, UnitScope{User: "alice", UID: 1000, GID: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return sys, user
}

// wantTreeRead fails the test if the tree at root changed since before
// (its listing) or if sys does not read x.service's state from the
// base's Units (loaded, inactive, disabled); then it closes sys.
func wantTreeRead(t *testing.T, ctx context.Context, root, before string, sys Units) {
	t.Helper()
	if after := listing(t, root); after != before {
		t.Errorf("the tree changed:\n%s\nwas:\n%s", after, before)
	}
	st, err := sys.State(ctx, "x.service")
	if err != nil {
		t.Fatal(err)
	}
	if want := (UnitState{LoadState: "loaded", ActiveState: "inactive", SubState: "dead", UnitFileState: "disabled"}); st != want {
		t.Errorf("State = %+v, want %+v", st, want)
	}
	if err := sys.Close(); err != nil {
		t.Error(err)
	}
}

func TestDryRunUnitsWithoutManager(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("Real.Units is Linux only")
	}
	d := NewDryRun(NewReal())
	ctx := context.Background()
	u, err := d.Units(ctx, UnitScope{User: "alice", UID: 4242, GID: 4242, RuntimeDir: t.TempDir()})
	if err != nil {
		t.Fatalf("Units: %v (a dry run records changes even without a manager)", err)
	}
	if err := u.Enable(ctx, []string{"x.service"}); err != nil {
		t.Error(err)
	}
	if want := []string{"systemctl --user --machine=alice@ enable x.service"}; !reflect.DeepEqual(d.Log(), want) {
		t.Errorf("log = %q, want %q", d.Log(), want)
	}
	if _, err := u.State(ctx, "x.service"); !errors.Is(err, ErrNoManager) {
		t.Errorf("State error = %v, want ErrNoManager", err)
	}
	if j := u.Journal(ctx, "x.service", 5); j != "" {
		t.Errorf("Journal = %q", j)
	}
	if err := u.Close(); err != nil {
		t.Error(err)
	}
}

func TestDryRunHostnamePassesThrough(t *testing.T) {
	root := offlineTree(t, map[string]string{"/etc/hostname": "old-host\n"})
	d := NewDryRun(NewRooted(root, NewReal()))
	if name, err := d.Hostname(context.Background()); err != nil || name != "old-host" {
		t.Errorf("Hostname = %q, %v; want old-host", name, err)
	}
}
