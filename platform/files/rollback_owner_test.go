package files

import (
	"os"
	"testing"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/internal/providertest"
	"github.com/gocfg/gocfg/platform/machine"
)

// TestRollbackOwnerNow: a rollback gives a user's files to the uid the
// user has now, not to the one the generation recorded (usermod -u since,
// or an account made again with another uid): the recorded uid may be
// someone else's. The change that puts the owner right shows it.
func TestRollbackOwnerNow(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("giving files to other uids needs root")
	}
	fx := newFixture(t)
	passwd := func(uid string) {
		fx.SetAccounts("root:x:0:0:root:/root:/bin/sh\nalice:x:"+uid+":1000::/home/alice:/bin/sh\n", "root:x:0:\nalice:x:1000:\n")
	}
	passwd("1000")
	fx.edit = func(l *machine.Machine) { l.Privileged = true }
	fx.switchTo(home(map[string]HomeFile{".netrc": copyText("secret"), ".zshrc": text("z")}))
	fx.switchTo(home(map[string]HomeFile{".netrc": copyText("secret"), ".zshrc": text("z"), ".b": text("b")}))
	// alice's uid changes (usermod -u gives her files the new one).
	passwd("1500")
	for _, p := range []string{"/home/alice", "/home/alice/.netrc"} {
		fx.chown(p, 1500, 1000)
	}
	recs, err := DecodeRecords(fx.Sw.Records(1, "files"))
	if err != nil {
		t.Fatal(err)
	}
	l := fx.layout()
	l.Current, l.To = 2, 1
	p := fx.Sw.Plan(&Provider{Machine: l, Records: recs})
	checkPlan(t, p, planCase{changes: []wantChange{{id: "file:~alice/.b", action: platform.Delete, ops: []string{"file.remove"}}}})
	if _, err := fx.Sw.Run(fx.Sw.Rollback(p, 1)); err != nil {
		t.Fatal(err)
	}
	snap := fx.snapshot("/home/alice")
	if want := `file -rw-r--r-- 1500:1000 "secret"`; snap["/home/alice/.netrc"] != want {
		t.Errorf(".netrc: %s, want %s", snap["/home/alice/.netrc"], want)
	}
	// A copy whose owner is not the user's now is given back to her, and
	// the change says so.
	fx.chown("/home/alice/.netrc", 1000, 1000)
	p = fx.Sw.Plan(&Provider{Machine: l, Records: recs})
	c, ok := changeByID(p.Changes, "file:~alice/.netrc")
	if !ok {
		t.Fatalf("no change of .netrc: %q", ids(p.Changes))
	}
	if c.Before != "0644, owner 1000:1000" || c.After != "0644, owner 1500:1000" {
		t.Errorf(".netrc: %q → %q, want the owners shown", c.Before, c.After)
	}
	if o := op[*AttrOp](t, p, "file:~alice/.netrc"); o.UID != 1500 {
		t.Errorf("attr op %+v, want uid 1500", o)
	}
}

// TestRemovedCopyUndoneOwnerNow: a switch that removes a copy and is
// undone puts the copy back with the owner it had, not the recorded one
// (the user's uid changed since: usermod -u).
func TestRemovedCopyUndoneOwnerNow(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("giving files to other uids needs root")
	}
	fx := newFixture(t)
	fx.SetAccounts("root:x:0:0:root:/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n", "root:x:0:\nalice:x:1000:\n")
	fx.edit = func(l *machine.Machine) { l.Privileged = true }
	fx.switchTo(home(map[string]HomeFile{".netrc": copyText("secret"), ".zshrc": text("z")}))
	fx.SetAccounts("root:x:0:0:root:/root:/bin/sh\nalice:x:1500:1000::/home/alice:/bin/sh\n", "root:x:0:\nalice:x:1000:\n")
	fx.chown("/home/alice/.netrc", 1500, 1000)
	p, l, err := fx.plan(home(map[string]HomeFile{".zshrc": text("z")}))
	if err != nil {
		t.Fatal(err)
	}
	if o := op[*RemoveOp](t, p, "file:~alice/.netrc"); o.Prev == nil || o.Prev.UID != 1500 {
		t.Fatalf("remove op %+v, want the copy put back as uid 1500's on undo", o)
	}
	eng := fx.Sw.Engine()
	providertest.KillAt(t, eng, fx.Sw.SwitchTo(p, l.Current, l.To), "applied")
	if fx.Exists("/home/alice/.netrc") {
		t.Fatal("the switch did not remove .netrc before the kill")
	}
	providertest.WantUndone(t, eng)
	if got, want := fx.snapshot("/home/alice")["/home/alice/.netrc"], `file -rw-r--r-- 1500:1000 "secret"`; got != want {
		t.Errorf(".netrc after the undo: %s, want %s", got, want)
	}
}
