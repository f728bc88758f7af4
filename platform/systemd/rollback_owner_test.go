package systemd

import (
	"os"
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
