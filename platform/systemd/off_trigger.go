package systemd

import (
	"fmt"
	"strings"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/systemd/unit"
)

// offTriggers refuses a timer of in (the units installed) that starts
// a unit off leaves out (Config.installed: its enable is false). The
// timer would be installed and started without it, and systemd refuses
// to start a timer whose unit is not there ("unit ... to trigger not
// loaded"): the switch would fail at its start job, or the timer at
// boot. Before enable = false left a unit out, it meant installed but
// not enabled, and a service only its timer starts was declared so;
// that is a service with enable on and no wanted_by now, which the
// hint says.
func offTriggers(in *Config, off map[string]string) error {
	if len(off) == 0 {
		return nil
	}
	var errs []error
	check := func(timers map[string]unit.Timer, id func(name string) string) {
		for _, key := range sortedKeys(timers) {
			name := unit.TimerName(key)
			target := triggered(name, timers[key])
			option, ok := off[id(target)]
			if !ok {
				continue
			}
			errs = append(errs, &platform.ConfigError{Option: option + ".enable",
				Msg: fmt.Sprintf("false leaves %s out as if it were not declared, but the timer %s starts it", target, name),
				Hint: "for a service that only its timer starts, leave enable on and wanted_by empty (the switch installs it and does not start it); " +
					"to turn the timer off too, set its enable to false"})
		}
	}
	check(in.Timers, idsIn(""))
	for _, user := range sortedKeys(in.Users) {
		check(in.Users[user].Timers, idsIn(user))
	}
	return platform.JoinErrors(errs)
}

// triggered is the unit the timer name starts: timer_config's Unit (its
// last value, the one systemd takes), else the service of the same name
// (systemd's rule).
func triggered(name string, t unit.Timer) string {
	if u := t.TimerConfig.Last("Unit"); u != "" {
		return u
	}
	return strings.TrimSuffix(name, ".timer") + ".service"
}
