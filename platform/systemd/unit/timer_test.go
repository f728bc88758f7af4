package unit_test

import (
	"reflect"
	"strings"
	"testing"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/platform/systemd/unit"
)

// timerDefaults is a timer as the evaluated configuration gives it with
// nothing set.
func timerDefaults() unit.Timer {
	return unit.Timer{
		WantedBy:      []string{"timers.target"},
		Enable:        true,
		TimerConfig:   map[string]string{},
		UnitConfig:    map[string]string{},
		InstallConfig: map[string]string{},
	}
}

func TestRenderTimer(t *testing.T) {
	tests := []struct {
		name string
		edit func(*unit.Timer)
		want string
	}{
		{
			name: "on_calendar",
			edit: func(t *unit.Timer) { t.OnCalendar = ptr("daily") },
			want: `[Timer]
OnCalendar=daily

[Install]
WantedBy=timers.target
`,
		},
		{
			name: "on_boot_sec",
			edit: func(t *unit.Timer) { t.OnBootSec = ptr("10min") },
			want: `[Timer]
OnBootSec=10min

[Install]
WantedBy=timers.target
`,
		},
		{
			name: "trigger in timer_config only",
			edit: func(t *unit.Timer) {
				t.TimerConfig = map[string]string{"OnUnitActiveSec": "1h", "Unit": "other.service"}
				t.WantedBy = nil
			},
			want: `[Timer]
OnUnitActiveSec=1h
Unit=other.service
`,
		},
		{
			name: "every option",
			edit: func(t *unit.Timer) {
				t.Description = "Nightly backup"
				t.OnCalendar = ptr("Mon *-*-* 04:00")
				t.OnBootSec = ptr("15min")
				t.Persistent = true
				t.WantedBy = []string{"timers.target", "multi-user.target"}
				t.TimerConfig = map[string]string{"RandomizedDelaySec": "5min", "AccuracySec": "1s"}
				t.UnitConfig = map[string]string{"Documentation": "https://example.org"}
				t.InstallConfig = map[string]string{"Also": "backup.service"}
			},
			want: `[Unit]
Description=Nightly backup
Documentation=https://example.org

[Timer]
OnCalendar=Mon *-*-* 04:00
OnBootSec=15min
Persistent=true
AccuracySec=1s
RandomizedDelaySec=5min

[Install]
WantedBy=timers.target
WantedBy=multi-user.target
Also=backup.service
`,
		},
		{
			name: "persistent false and empty values left out",
			edit: func(t *unit.Timer) {
				t.OnCalendar = ptr("hourly")
				t.OnBootSec = ptr("")
				t.Persistent = false
				t.WantedBy = []string{}
			},
			want: `[Timer]
OnCalendar=hourly
`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tm := timerDefaults()
			tt.edit(&tm)
			checkRendering(t, func() ([]byte, error) { return unit.RenderTimer("backup.timer", tm) }, tt.want)
		})
	}
}

func TestRenderTimerErrors(t *testing.T) {
	const name = "backup.timer"
	tests := []struct {
		name    string
		unit    string
		edit    func(*unit.Timer)
		section string
		key     string
		err     error
	}{
		{"no trigger", name, func(*unit.Timer) {}, "Timer", "", unit.ErrNoTrigger},
		{"empty triggers", name, func(t *unit.Timer) { t.OnCalendar = ptr(""); t.OnBootSec = ptr("") }, "Timer", "", unit.ErrNoTrigger},
		{"empty On key", name, func(t *unit.Timer) { t.TimerConfig = map[string]string{"OnActiveSec": ""} }, "Timer", "", unit.ErrNoTrigger},
		{"timer_config without On key", name, func(t *unit.Timer) { t.TimerConfig = map[string]string{"Unit": "x.service"} }, "Timer", "", unit.ErrNoTrigger},

		{"newline in description", name, func(t *unit.Timer) { t.OnCalendar = ptr("daily"); t.Description = "a\nb" }, "Unit", "Description", unit.ErrLineBreak},
		{"newline in unit_config", name, func(t *unit.Timer) { t.OnCalendar = ptr("daily"); t.UnitConfig = map[string]string{"X-A": "a\n"} }, "Unit", "X-A", unit.ErrLineBreak},
		{"newline in on_calendar", name, func(t *unit.Timer) { t.OnCalendar = ptr("daily\nweekly") }, "Timer", "OnCalendar", unit.ErrLineBreak},
		{"newline in on_boot_sec", name, func(t *unit.Timer) { t.OnBootSec = ptr("1\n") }, "Timer", "OnBootSec", unit.ErrLineBreak},
		{"newline in timer_config", name, func(t *unit.Timer) {
			t.OnCalendar = ptr("daily")
			t.TimerConfig = map[string]string{"AccuracySec": "1\ns"}
		}, "Timer", "AccuracySec", unit.ErrLineBreak},
		{"newline in wanted_by", name, func(t *unit.Timer) { t.OnCalendar = ptr("daily"); t.WantedBy = []string{"a\nb"} }, "Install", "WantedBy", unit.ErrLineBreak},
		{"newline in install_config", name, func(t *unit.Timer) { t.OnCalendar = ptr("daily"); t.InstallConfig = map[string]string{"Also": "\n"} }, "Install", "Also", unit.ErrLineBreak},
		{"bad key", name, func(t *unit.Timer) {
			t.OnCalendar = ptr("daily")
			t.TimerConfig = map[string]string{"On Calendar": "daily"}
		}, "Timer", "On Calendar", unit.ErrKey},

		{"service name", "backup.service", func(t *unit.Timer) { t.OnCalendar = ptr("daily") }, "", "", unit.ErrName},
		{"slash in name", "a/b.timer", func(t *unit.Timer) { t.OnCalendar = ptr("daily") }, "", "", unit.ErrName},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tm := timerDefaults()
			tt.edit(&tm)
			got, err := unit.RenderTimer(tt.unit, tm)
			if got != nil {
				t.Errorf("got output along with the error:\n%s", got)
			}
			wantError(t, err, tt.unit, tt.section, tt.key, tt.err)
		})
	}
}

func TestRenderTimerNoTriggerMessage(t *testing.T) {
	_, err := unit.RenderTimer("backup.timer", timerDefaults())
	msg := err.Error()
	for _, want := range []string{"backup.timer", "[Timer]", "on_calendar", "on_boot_sec", "timer_config"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
}

func TestTimerJSON(t *testing.T) {
	const in = `{
		"description": "d", "on_calendar": "daily", "on_boot_sec": null,
		"persistent": true, "wanted_by": ["timers.target"], "enable": true,
		"timer_config": {"Unit": "x.service"}, "unit_config": {}, "install_config": {}
	}`
	var got unit.Timer
	dec := json.NewDecoder(strings.NewReader(in))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatal(err)
	}
	want := unit.Timer{
		Description: "d", OnCalendar: ptr("daily"), Persistent: true,
		WantedBy: []string{"timers.target"}, Enable: true,
		TimerConfig: map[string]string{"Unit": "x.service"}, UnitConfig: map[string]string{},
		InstallConfig: map[string]string{},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("decoded\n%+v\nwant\n%+v", got, want)
	}
}
