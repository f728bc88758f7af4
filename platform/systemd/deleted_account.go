package systemd

import (
	"fmt"

	"github.com/gocfg/gocfg/modules/optpath"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/systemd/unit"
)

// deletedAccountUnits refuses the system units that run as an account
// (User=) or with a group (Group=) that this switch deletes: started or
// restarted before the deletion, which comes after the changes that
// depend on it, the unit's processes made userdel refuse, the switch then
// undone; one started later runs as no account, or the freed ID's next
// owner (reviewer R33). The plan says so at the unit's option, before
// anything runs.
func deletedAccountUnits(units []*Unit, m *machine.Machine) []error {
	if len(m.Deleting) == 0 && len(m.DeletingGroups) == 0 {
		return nil
	}
	var errs []error
	for _, u := range units {
		if u.Scope != "system" || len(u.text) == 0 || u.option == "" {
			continue
		}
		f, err := unit.Parse(u.text)
		if err != nil {
			continue
		}
		for _, c := range []struct {
			key, kind, option string
			deleting          map[string]bool
		}{
			{"User", "user", "users", m.Deleting},
			{"Group", "group", "groups", m.DeletingGroups},
		} {
			vs := f["Service"][c.key]
			if len(vs) == 0 || !c.deleting[vs[len(vs)-1]] {
				continue
			}
			name := vs[len(vs)-1]
			errs = append(errs, &platform.ConfigError{Option: u.option,
				Msg:  fmt.Sprintf("%s runs with %s=%s, a %s this switch deletes (no longer declared under %s)", u.Name, c.key, name, c.kind, c.option),
				Hint: fmt.Sprintf("keep %s declared, or run the unit as another %s, or remove it as well", optpath.Path{c.option, name}, c.kind)})
		}
	}
	return errs
}
