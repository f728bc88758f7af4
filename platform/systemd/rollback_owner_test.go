package systemd

import (
	"os"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/internal/testfs"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/files"
	"github.com/gocfg/gocfg/platform/internal/providertest"
	"github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/system"
	"github.com/gocfg/gocfg/platform/systemd/unit"
)

// TestRollbackUserUnitOwnerNow: a rollback gives a user's unit file to
// the uid the user has now, not to the recorded one, which may be
// another account's since (usermod -u).
func TestRollbackUserUnitOwnerNow(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("giving files to other uids needs root")
	}
	m, r, layout, passwd := aliceRig(t)
	sys := m.Sys
	// Generation 1 has alice's unit, generation 2 no longer: the rollback
	// writes it again.
	sync := Config{Users: map[string]UserUnits{"alice": {Services: map[string]unit.Service{"sync": service("/usr/bin/true")}}}}
	web := Config{Services: map[string]unit.Service{"web": service("/usr/sbin/nginx")}}
	for _, cfg := range []*Config{&sync, &web} {
		l := layout(r.current(), r.sw.Next())
		p := r.sw.Plan(&Provider{Machine: l, FilesConfig: r.fcfg, Config: cfg})
		if err := r.apply(r.sw.SwitchTo(p, l.Current, l.To)); err != nil {
			t.Fatal(err)
		}
	}
	const unitFile = "/home/alice/.config/systemd/user/sync.service"
	if _, err := os.Lstat(sys.HostPath(unitFile)); !os.IsNotExist(err) {
		t.Fatalf("%s after generation 2: %v, want none", unitFile, err)
	}
	// usermod -u 1500 alice.
	passwd("1500")
	rs, err := DecodeRecords(r.sw.Records(1, "systemd"))
	if err != nil {
		t.Fatal(err)
	}
	if rs.Units[0].UID != 1000 {
		t.Fatalf("generation 1 records uid %d for alice's unit, want 1000", rs.Units[0].UID)
	}
	p := r.sw.Plan(&Provider{Machine: layout(2, 1), Records: rs})
	if c, ok := changeOf(p, "unit:user:alice:sync.service"); !ok || c.Action != platform.Create {
		t.Errorf("alice's unit in the rollback: %+v, want created", c)
	}
	if err := r.apply(providertest.RollbackTo(p, 2, 1)); err != nil {
		t.Fatal(err)
	}
	if _, uid, _ := testfs.Owner(t, sys.HostPath(unitFile)); uid != 1500 {
		t.Errorf("%s: uid %d after the rollback, want alice's 1500", unitFile, uid)
	}
}

// changeOf returns the change of id in p.
func changeOf(p *platform.Plan, id string) (platform.Change, bool) {
	for _, c := range p.Changes {
		if c.ID == id {
			return c, true
		}
	}
	return platform.Change{}, false
}

// TestRemovedUserUnitUndoneOwnerNow: a switch that removes a user's unit
// file and is undone writes it back for the uid the user has now, not
// the recorded one (usermod -u since).
func TestRemovedUserUnitUndoneOwnerNow(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("giving files to other uids needs root")
	}
	m, r, layout, passwd := aliceRig(t)
	plan := func(cfg *Config) (*platform.Plan, *machine.Machine) {
		l := layout(r.current(), r.sw.Next())
		return r.sw.Plan(&Provider{Machine: l, FilesConfig: r.fcfg, Config: cfg}), l
	}
	p, l := plan(&Config{Users: map[string]UserUnits{"alice": {Services: map[string]unit.Service{"sync": service("/usr/bin/true")}}}})
	if err := r.apply(r.sw.SwitchTo(p, l.Current, l.To)); err != nil {
		t.Fatal(err)
	}
	const unitFile = "/home/alice/.config/systemd/user/sync.service"
	passwd("1500")
	if err := os.Lchown(m.Host(unitFile), 1500, 1000); err != nil {
		t.Fatal(err)
	}
	p, l = plan(&Config{})
	eng := r.engine()
	providertest.KillAt(t, eng, r.sw.SwitchTo(p, l.Current, l.To), "applied")
	if m.Exists(unitFile) {
		t.Fatal("the switch did not remove the unit file before the kill")
	}
	providertest.WantUndone(t, eng)
	if _, uid, _ := testfs.Owner(t, m.Host(unitFile)); uid != 1500 {
		t.Errorf("%s: uid %d after the undo, want alice's 1500", unitFile, uid)
	}
}

// aliceRig is an offline machine run by root with a user alice (uid
// 1000) and a rig on it; layout describes a switch from cur to to, and
// passwd gives alice another uid (usermod -u).
func aliceRig(t *testing.T) (*providertest.Machine, *rig, func(cur, to int) *machine.Machine, func(uid string)) {
	t.Helper()
	m := providertest.NewMachine(t, "/home/alice")
	passwd := func(uid string) {
		m.SetAccounts("root:x:0:0:root:/root:/bin/sh\nalice:x:"+uid+":1000::/home/alice:/bin/sh\n", "root:x:0:\nalice:x:1000:\n")
	}
	passwd("1000")
	r := (&rig{t: t, db: m.DB, fcfg: &files.Config{}}).on(m.Sys, m.Store)
	layout := func(cur, to int) *machine.Machine {
		return &machine.Machine{Sys: m.Sys, Host: system.NewReal(), Store: m.Store, Current: cur, To: to,
			Offline: true, Privileged: true, User: "root", OS: "linux", Accounts: m.DB}
	}
	return m, r, layout, passwd
}

// TestUnitsOfAGoneAccountForgotten (tester BE): the units recorded for
// a user whose account is gone (deleted by a switch that held them, her
// manager down, or by hand) are forgotten with a note, not planned
// through a manager she no longer has: every later switch and status
// failed with "user alice does not exist on this machine". A unit the
// configuration still has for her is an error, as before. (A machine
// that runs: under --root, a user need not be in the tree's passwd,
// TestOffline. The rig's managers are offline ones all the same.)
func TestUnitsOfAGoneAccountForgotten(t *testing.T) {
	m, r, offline, _ := aliceRig(t)
	layout := func(cur, to int) *machine.Machine {
		l := offline(cur, to)
		l.Offline = false
		return l
	}
	sync := Config{Users: map[string]UserUnits{"alice": {Services: map[string]unit.Service{"sync": service("/usr/bin/true")}}}}
	l := layout(r.current(), r.sw.Next())
	if err := r.apply(r.sw.SwitchTo(r.sw.Plan(&Provider{Machine: l, FilesConfig: r.fcfg, Config: &sync}), l.Current, l.To)); err != nil {
		t.Fatal(err)
	}
	m.SetAccounts("root:x:0:0:root:/root:/bin/sh\n", "root:x:0:\n")
	// Forgotten once, with a note; the next plan has nothing of hers.
	for i, cfg := range []*Config{{}, {Services: map[string]unit.Service{"web": service("/usr/sbin/nginx")}}} {
		l = layout(r.current(), r.sw.Next())
		p := r.sw.Plan(&Provider{Machine: l, FilesConfig: r.fcfg, Config: cfg})
		// Forgotten: no ops, not listed, but a generation is recorded.
		if c, ok := changeOf(p, "unit:user:alice:sync.service"); ok != (i == 0) || ok && (!c.Hidden || len(c.Ops) > 0) {
			t.Errorf("plan %d: alice's unit: %+v (%v), want it forgotten in the first only", i+1, c, ok)
		}
		want := "home.alice.systemd: user alice no longer exists, so gocfg forgets the units it recorded for her"
		if i == 0 && (len(p.Notes) != 1 || !strings.HasPrefix(p.Notes[0], want)) || i == 1 && len(p.Notes) != 0 {
			t.Errorf("plan %d: notes %q, want %d: %q…", i+1, p.Notes, 1-i, want)
		}
		if err := r.apply(r.sw.SwitchTo(p, l.Current, l.To)); err != nil {
			t.Fatal(err)
		}
		rs, err := DecodeRecords(r.sw.Records(l.To, "systemd"))
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range rs.Units {
			if u.User == "alice" {
				t.Errorf("generation %d still records alice's %s", l.To, u.Name)
			}
		}
	}
	// Status of generation 1, which has her unit: not checked, said so.
	l = layout(1, 1)
	l.Switch.ReportOnly = true
	rs, err := DecodeRecords(r.sw.Records(1, "systemd"))
	if err != nil {
		t.Fatal(err)
	}
	part, err := (&Provider{Machine: l, Records: rs}).Plan(t.Context(), r.sw.Records(1, "systemd"))
	if err != nil || len(part.Changes) != 0 || len(part.Notes) != 1 || !strings.Contains(part.Notes[0], "user alice no longer exists, so gocfg does not check the units recorded for her") {
		t.Errorf("status: %+v, %v; want no change and a note", part, err)
	}
	l = layout(r.current(), r.sw.Next())
	if _, err := (&Provider{Machine: l, FilesConfig: r.fcfg, Config: &sync}).Plan(t.Context(), r.sw.Records(r.current(), "systemd")); err == nil || !strings.Contains(err.Error(), "user alice does not exist on this machine") {
		t.Errorf("a unit configured for alice: %v, want her missing account an error", err)
	}
}
