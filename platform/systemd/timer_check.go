package systemd

import (
	"context"
	"errors"
	"os/exec"
	"slices"
	"strconv"
	"strings"

	"github.com/gocfg/gocfg/modules/optpath"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/files"
	"github.com/gocfg/gocfg/platform/system"
	"github.com/gocfg/gocfg/platform/systemd/unit"
)

// timeSpanKeys are the [Timer] keys whose values are time spans
// (systemd.time(7)); OnCalendar is the one that is a calendar event.
var timeSpanKeys = []string{"OnActiveSec", "OnBootSec", "OnStartupSec", "OnUnitActiveSec", "OnUnitInactiveSec", "AccuracySec", "RandomizedDelaySec"}

// A timeValue is one calendar event or time span a timer option sets.
type timeValue struct {
	option, value string
	calendar      bool
}

// timeValues lists the calendar events and time spans of the timers
// configured under prefix ("systemd", "home.alice.systemd").
func timeValues(prefix string, timers map[string]unit.Timer) []timeValue {
	var vs []timeValue
	for _, key := range sortedKeys(timers) {
		t, at := timers[key], prefix+".timers."+optpath.Segment(key)
		if t.OnCalendar != nil && *t.OnCalendar != "" {
			vs = append(vs, timeValue{at + ".on_calendar", *t.OnCalendar, true})
		}
		if t.OnBootSec != nil && *t.OnBootSec != "" {
			vs = append(vs, timeValue{at + ".on_boot_sec", *t.OnBootSec, false})
		}
		for _, k := range sortedKeys(t.TimerConfig) {
			// Each of a list's values (OnCalendar = ["Mon 04:00", "Fri 04:00"]).
			for _, v := range t.TimerConfig.Values(k) {
				if v == "" {
					continue
				}
				if k == "OnCalendar" {
					vs = append(vs, timeValue{at + ".timer_config.OnCalendar", v, true})
				} else if slices.Contains(timeSpanKeys, k) {
					vs = append(vs, timeValue{at + ".timer_config." + k, v, false})
				}
			}
		}
	}
	return vs
}

// checkTimes asks systemd-analyze whether the timers' calendar events
// and time spans parse, as systemd does when it loads a timer: a value
// it cannot read is logged and ignored there, and the timer then fails
// to start ("Timer unit lacks value setting") in the middle of the
// switch, or fires at another time than meant. Each value it refuses is
// an error at its option. systemd-analyze calendar and timespan are
// given all the values at once (commands that only read; under --root,
// the host's). Where systemd-analyze is not installed, nothing is
// checked.
func checkTimes(ctx context.Context, sys system.System, vs []timeValue) error {
	var errs []error
	for _, calendar := range []bool{true, false} {
		var args []string
		for _, v := range vs {
			if v.calendar == calendar && !slices.Contains(args, v.value) {
				args = append(args, v.value)
			}
		}
		if len(args) == 0 {
			continue
		}
		what, failed := "timespan", "Failed to parse time span '"
		if calendar {
			what, failed = "calendar", "Failed to parse calendar specification '"
		}
		refused := analyze(ctx, sys, what, failed, args)
		for _, v := range vs {
			if v.calendar == calendar && refused[v.value] {
				errs = append(errs, timeError(v))
			}
		}
	}
	return platform.JoinErrors(errs)
}

// analyze runs systemd-analyze what (calendar or timespan) on args and
// returns those it refuses, found by the line it prints for each
// (failed, the value and a quote start it). systemd-analyze timespan
// stops at the first value it refuses, so it runs again on the values
// after that one until it takes them all. Not installed, or failed
// without naming a value (another systemd's wording): nothing more is
// refused, as if the check were not there; a timer systemd cannot read
// then fails as it did without it, when the switch starts it.
func analyze(ctx context.Context, sys system.System, what, failed string, args []string) map[string]bool {
	refused := map[string]bool{}
	for len(args) > 0 {
		out, err := sys.Run(ctx, system.Command{Path: "systemd-analyze", Args: append([]string{what, "--"}, args...), UID: -1, GID: -1, ReadOnly: true})
		if err == nil || errors.Is(err, exec.ErrNotFound) {
			return refused
		}
		last := -1
		for _, line := range strings.Split(string(out), "\n") {
			rest, ok := strings.CutPrefix(line, failed)
			if i := strings.LastIndex(rest, "'"); ok && i >= 0 {
				refused[rest[:i]] = true
				last = max(last, slices.Index(args, rest[:i]))
			}
		}
		if last < 0 {
			return refused
		}
		args = args[last+1:]
	}
	return refused
}

// timeError is the error of a value systemd-analyze refused.
func timeError(v timeValue) error {
	if v.calendar {
		return &platform.ConfigError{Option: v.option, Msg: strconv.Quote(v.value) + " is not a calendar event systemd can read",
			Hint: "write it as systemd.time(7) says, such as daily, weekly, Mon *-*-* 03:00:00 or *-*-* 03:30:00, and try it with: systemd-analyze calendar " + system.ShellQuote(v.value)}
	}
	return &platform.ConfigError{Option: v.option, Msg: strconv.Quote(v.value) + " is not a time span systemd can read",
		Hint: "write it as systemd.time(7) says, such as 30s, 5min, 1h 30min or 2d, and try it with: systemd-analyze timespan " + system.ShellQuote(v.value)}
}

// timeValues lists the calendar events and time spans of the timers
// this run renders (those fromConfig skips are not checked either).
func (p *Provider) timeValues() []timeValue {
	l := p.Machine
	var vs []timeValue
	if l.Privileged || l.Offline {
		vs = timeValues("systemd", p.Config.Timers)
	}
	for _, user := range sortedKeys(p.Config.Users) {
		if l.Manages(user) {
			vs = append(vs, timeValues("home."+user+".systemd", p.Config.Users[user].Timers)...)
		}
	}
	return vs
}

// validate checks c for platform os without the machine
// (Factory.Validate): every unit os installs (Config.installed) renders
// (its name, its commands, a timer's trigger, one key for one unit),
// every timer's calendar events and time spans parse, no file option of
// fc makes a unit's file too, and no timer starts a unit left out; the
// errors of all of them.
func (c *Config) validate(ctx context.Context, sys system.System, os string, fc *files.Config) error {
	c, off := c.installed(os)
	var errs []error
	none := func(string) *Unit { return &Unit{} }
	if _, err := render(c.Services, c.Timers, "systemd", none); err != nil {
		errs = append(errs, err)
	}
	vs := timeValues("systemd", c.Timers)
	for _, user := range sortedKeys(c.Users) {
		uu, prefix := c.Users[user], optpath.Path{"home", user, "systemd"}.String()
		if _, err := render(uu.Services, uu.Timers, prefix, none); err != nil {
			errs = append(errs, err)
		}
		vs = append(vs, timeValues(prefix, uu.Timers)...)
	}
	if err := checkTimes(ctx, sys, vs); err != nil {
		errs = append(errs, err)
	}
	if err := fileClashes(c, fc); err != nil {
		errs = append(errs, err)
	}
	if err := offTriggers(c, off); err != nil {
		errs = append(errs, err)
	}
	return platform.JoinErrors(errs)
}
