package systemd

import (
	"errors"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/internal/testfs"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/accounts"
	"github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/system"
	"github.com/gocfg/gocfg/platform/systemd/unit"
)

// TestTimerTimesChecked: a timer's calendar event or time span that
// systemd cannot read (systemd would log it, ignore it, and refuse to
// start the timer in the middle of the switch) is an error at its
// option when the plan is made, every one at once; values it reads pass.
func TestTimerTimesChecked(t *testing.T) {
	if _, err := exec.LookPath("systemd-analyze"); err != nil {
		t.Fatal("systemd-analyze is not installed (Debian: apt install systemd); the check asks it")
	}
	tree := t.TempDir()
	// The units the timers start are the tree's (missingTriggers).
	for _, name := range []string{"a", "x", "c", "b.time", "d"} {
		testfs.Write(t, filepath.Join(tree, "lib/systemd/system", name+".service"), "[Service]\nExecStart=/bin/true\n")
	}
	sys := system.NewRooted(tree, system.NewReal())
	l := &machine.Machine{Sys: sys, Host: system.NewReal(), Store: generations.New(sys, "/var/lib/gocfg"), To: 1,
		Offline: true, Privileged: true, User: "root", OS: "linux", Accounts: &accounts.Database{}}
	plan := func(timers map[string]unit.Timer) error {
		t.Helper()
		for k, tm := range timers {
			tm.Enable = true // the option's default (enable = false leaves a timer out)
			timers[k] = tm
		}
		_, err := platform.MakePlan(t.Context(), nil, &Provider{Machine: l, Config: &Config{Timers: timers}})
		return err
	}
	good := map[string]unit.Timer{
		"a": {OnCalendar: ptr("daily"), OnBootSec: ptr("5min")},
		"b": {OnCalendar: ptr("Mon *-*-* 03:00:00"), TimerConfig: map[string]string{"RandomizedDelaySec": "1h 30min", "AccuracySec": "1us", "Unit": "x.service"}},
		"c": {TimerConfig: map[string]string{"OnCalendar": "*-*-* 03:30:00", "OnUnitActiveSec": "2d"}},
	}
	if err := plan(good); err != nil {
		t.Fatalf("timers systemd reads: %v", err)
	}
	bad := map[string]unit.Timer{
		"a":      {OnCalendar: ptr("every tuesday"), OnBootSec: ptr("5min")},
		"b.time": {OnCalendar: ptr("daily"), OnBootSec: ptr("soon")},
		"c":      {OnCalendar: ptr("it's late"), TimerConfig: map[string]string{"RandomizedDelaySec": "5 minutes-ish", "OnCalendar": "weekly"}},
		"d":      {TimerConfig: map[string]string{"OnCalendar": "every tuesday"}},
	}
	var got []string
	for _, e := range joinedErrs(plan(bad)) {
		var ce *platform.ConfigError
		if !errors.As(e, &ce) {
			t.Fatalf("error %v is not a ConfigError", e)
		}
		got = append(got, ce.Option+": "+ce.Msg)
		if !strings.Contains(ce.Hint, "systemd-analyze") {
			t.Errorf("%s: hint %q does not say how to try a value", ce.Option, ce.Hint)
		}
	}
	slices.Sort(got)
	want := []string{
		`systemd.timers."b.time".on_boot_sec: "soon" is not a time span systemd can read`,
		`systemd.timers.a.on_calendar: "every tuesday" is not a calendar event systemd can read`,
		`systemd.timers.c.on_calendar: "it's late" is not a calendar event systemd can read`,
		`systemd.timers.c.timer_config.RandomizedDelaySec: "5 minutes-ish" is not a time span systemd can read`,
		`systemd.timers.d.timer_config.OnCalendar: "every tuesday" is not a calendar event systemd can read`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// joinedErrs splits an errors.Join; nil is none.
func joinedErrs(err error) []error {
	if err == nil {
		return nil
	}
	if u, ok := err.(interface{ Unwrap() []error }); ok {
		return u.Unwrap()
	}
	return []error{err}
}
