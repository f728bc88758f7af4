package systemd

import (
	"reflect"
	"testing"

	"github.com/gocfg/gocfg/platform/systemd/unit"
)

// TestTimeValuesList: each value of a list in timer_config is a calendar
// event or time span of its own to check (a list is one OnCalendar= line
// per item); empty items are not written, so not checked.
func TestTimeValuesList(t *testing.T) {
	var tc unit.Settings
	if err := tc.UnmarshalJSON([]byte(`{"OnCalendar": ["Mon 04:00", "", "Fri 04:00"], "RandomizedDelaySec": 30, "Unit": ["a.service"]}`)); err != nil {
		t.Fatal(err)
	}
	got := timeValues("systemd", map[string]unit.Timer{"t": {TimerConfig: tc}})
	want := []timeValue{
		{"systemd.timers.t.timer_config.OnCalendar", "Mon 04:00", true},
		{"systemd.timers.t.timer_config.OnCalendar", "Fri 04:00", true},
		{"systemd.timers.t.timer_config.RandomizedDelaySec", "30", false},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("timeValues = %+v, want %+v", got, want)
	}
}

// TestTriggeredList: a list in timer_config's Unit starts its last unit,
// the one systemd takes.
func TestTriggeredList(t *testing.T) {
	for js, want := range map[string]string{
		`{"Unit": ["a.service", "b.service"]}`: "b.service",
		`{"Unit": "a.service"}`:                "a.service",
		`{"Unit": [null, ""]}`:                 "backup.service",
		`{}`:                                   "backup.service",
	} {
		var tc unit.Settings
		if err := tc.UnmarshalJSON([]byte(js)); err != nil {
			t.Fatal(err)
		}
		if got := triggered("backup.timer", unit.Timer{TimerConfig: tc}); got != want {
			t.Errorf("%s: triggered = %q, want %q", js, got, want)
		}
	}
}
