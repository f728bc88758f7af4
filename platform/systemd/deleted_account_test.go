package systemd

import (
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform/machine"
)

// TestDeletedAccountUnits: a system unit run as an account, or with a
// group, the switch deletes is refused at its option; user units, other
// accounts and units planned from records are not.
func TestDeletedAccountUnits(t *testing.T) {
	m := &machine.Machine{Deleting: map[string]bool{"lena": true}, DeletingGroups: map[string]bool{"media": true}}
	sys := func(name, service string) *Unit {
		return &Unit{Scope: "system", Name: name, option: `systemd.services."` + name + `"`, text: []byte("[Service]\nExecStart=/bin/true\n" + service)}
	}
	units := []*Unit{
		sys("as-lena.service", "User=lena\n"),
		sys("as-mia.service", "User=mia\n"),
		sys("lena-then-mia.service", "User=lena\nUser=mia\n"),
		sys("media.service", "Group=media\n"),
		{Scope: "user", User: "lena", Name: "hers.service", option: "home.lena.systemd", text: []byte("[Service]\nUser=lena\n")},
		{Scope: "system", Name: "recorded.service", text: []byte("[Service]\nUser=lena\n")},
	}
	errs := deletedAccountUnits(units, m)
	var got []string
	for _, e := range errs {
		got = append(got, e.Error())
	}
	want := []string{
		`systemd.services."as-lena.service": as-lena.service runs with User=lena, a user this switch deletes`,
		`systemd.services."media.service": media.service runs with Group=media, a group this switch deletes`,
	}
	if len(got) != len(want) {
		t.Fatalf("refused:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("refusal %d: %s\nwant it to start %s", i, got[i], want[i])
		}
	}
	if errs := deletedAccountUnits(units, &machine.Machine{}); errs != nil {
		t.Errorf("nothing deleted: %v", errs)
	}
}
