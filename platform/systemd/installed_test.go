package systemd

import (
	"maps"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/accounts"
	"github.com/gocfg/gocfg/platform/internal/providertest"
	"github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/system"
	"github.com/gocfg/gocfg/platform/systemd/unit"
)

// TestInstalled: what each OS gets of the configured units. On Linux a
// unit whose enable is false is left out, as if it were not declared,
// and named with its option; a user with nothing left has no entry. On
// macOS nothing is installed.
func TestInstalled(t *testing.T) {
	off := service("/bin/true")
	off.Enable = false
	on := unit.Timer{OnCalendar: ptr("daily"), Enable: true}
	c := &Config{
		Services: map[string]unit.Service{"web": service("/bin/true"), "old": off},
		Timers:   map[string]unit.Timer{"tick": on, "nap.timer": {OnCalendar: ptr("daily")}},
		Users: map[string]UserUnits{
			"alice": {Services: map[string]unit.Service{"sync": service("/bin/true"), "x.y": off}},
			"bob":   {Services: map[string]unit.Service{"only": off}},
		},
	}
	in, left := c.installed("linux")
	if got := slices.Sorted(maps.Keys(in.Services)); !slices.Equal(got, []string{"web"}) {
		t.Errorf("services %q, want web", got)
	}
	if got := slices.Sorted(maps.Keys(in.Timers)); !slices.Equal(got, []string{"tick"}) {
		t.Errorf("timers %q, want tick", got)
	}
	if got := slices.Sorted(maps.Keys(in.Users)); !slices.Equal(got, []string{"alice"}) {
		t.Errorf("users %q, want alice (bob has nothing left)", got)
	}
	if got := slices.Sorted(maps.Keys(in.Users["alice"].Services)); !slices.Equal(got, []string{"sync"}) {
		t.Errorf("alice's services %q, want sync", got)
	}
	want := map[string]string{
		"unit:system:old.service":     `systemd.services.old`,
		"unit:system:nap.timer":       `systemd.timers."nap.timer"`,
		"unit:user:alice:x.y.service": `home.alice.systemd.services."x.y"`,
		"unit:user:bob:only.service":  `home.bob.systemd.services.only`,
	}
	if !maps.Equal(left, want) {
		t.Errorf("left out %q, want %q", left, want)
	}
	if in, left := c.installed("darwin"); !in.Empty() || len(left) != 0 {
		t.Errorf("on darwin: installed %+v, left out %q, want nothing", in, left)
	}
	if in, _ := (*Config)(nil).installed("linux"); !in.Empty() {
		t.Errorf("nil config installs %+v", in)
	}
}

// TestValidateByOS: gocfg check refuses a unit that cannot be written,
// and a timer that starts a service left out by enable = false, on
// Linux; on macOS, which ignores systemd units, neither (the
// configuration warns instead); a unit left out is not checked.
func TestValidateByOS(t *testing.T) {
	sys := system.NewReal()
	bad := service("/bin/true")
	bad.ExecStart = nil
	offBad := bad
	offBad.Enable = false
	off := service("/bin/true")
	off.Enable = false
	c := &Config{
		Services: map[string]unit.Service{"noexec": bad, "noexec-off": offBad, "backup": off, "other": off},
		Timers: map[string]unit.Timer{
			"backup": {OnCalendar: ptr("daily"), Enable: true},
			"later":  {OnCalendar: ptr("daily"), Enable: true, TimerConfig: map[string]string{"Unit": "other.service"}},
			"quiet":  {OnCalendar: ptr("daily"), TimerConfig: map[string]string{"Unit": "other.service"}},
		},
		Users: map[string]UserUnits{"alice": {
			Services: map[string]unit.Service{"job": off},
			Timers:   map[string]unit.Timer{"job": {OnBootSec: ptr("5min"), Enable: true}},
		}},
	}
	got := map[string]string{}
	for _, e := range providertest.ConfigErrors(c.validate(t.Context(), sys, "linux", nil)) {
		got[e.Option] = e.Msg
	}
	want := map[string]string{
		"home.alice.systemd.services.job.enable": "false leaves job.service out as if it were not declared, but the timer job.timer starts it",
		"systemd.services.backup.enable":         "false leaves backup.service out as if it were not declared, but the timer backup.timer starts it",
		`systemd.services."noexec"`:              unit.ErrNoExecStart.Error(),
		"systemd.services.other.enable":          "false leaves other.service out as if it were not declared, but the timer later.timer starts it",
	}
	if !slices.Equal(slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want))) {
		t.Errorf("errors at %q, want at %q", slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want)))
	}
	for option, msg := range want {
		if !strings.Contains(got[option], msg) {
			t.Errorf("%s: error %q, want %q", option, got[option], msg)
		}
	}
	if err := c.validate(t.Context(), sys, "darwin", nil); err != nil {
		t.Errorf("on darwin: %v, want nothing refused", err)
	}
}

// TestNothingOnMacOS: a Mac's tree (--os darwin) gets none of the
// configured units, and the units an earlier generation wrote there (an
// older gocfg did) are removed, files and links.
func TestNothingOnMacOS(t *testing.T) {
	root := t.TempDir()
	sys := system.NewRooted(root, system.NewReal())
	if err := os.MkdirAll(sys.HostPath("/var/lib/gocfg"), 0o755); err != nil {
		t.Fatal(err)
	}
	store := generations.New(sys, "/var/lib/gocfg")
	sw := &providertest.Switcher{T: t, Sys: sys, Store: store}
	web := service("/usr/sbin/nginx")
	web.WantedBy = []string{"multi-user.target"}
	cfg := &Config{Services: map[string]unit.Service{"web": web}}
	plan := func(goos string) (*platform.Plan, *machine.Machine) {
		t.Helper()
		l := &machine.Machine{Sys: sys, Host: system.NewReal(), Store: store, Current: sw.Current(), To: sw.Next(),
			Offline: true, Privileged: true, User: "root", OS: goos, Accounts: &accounts.Database{}}
		return sw.Plan(&Provider{Machine: l, Config: cfg}), l
	}
	// What an older gocfg wrote on a Mac: the Linux plan.
	p, l := plan("linux")
	sw.MustApply(sw.SwitchTo(p, l.Current, l.To))
	if !exists(sys.HostPath("/etc/systemd/system/web.service")) {
		t.Fatal("no unit file to start from")
	}
	p, l = plan("darwin")
	if c := providertest.Change(t, p, "unit:system:web.service"); c.Action != platform.Delete {
		t.Errorf("plan line %s %q, want a delete", c.Action, c.After)
	}
	sw.MustApply(sw.SwitchTo(p, l.Current, l.To))
	absent(t, sys.HostPath("/etc/systemd/system/web.service"))
	absent(t, sys.HostPath("/etc/systemd/system/multi-user.target.wants/web.service"))
	if p, _ := plan("darwin"); !p.Empty() {
		t.Errorf("second plan not empty:\n%s", planText(p))
	}
}
