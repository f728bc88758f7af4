package systemsetup

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/internal/macfake"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/internal/providertest"
	"github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/system"
)

func newMac(t *testing.T, s macfake.SystemState) *macfake.Fake {
	t.Helper()
	f := macfake.New(system.NewRooted(t.TempDir(), system.NewReal()), "root")
	if err := f.SetSystem(s); err != nil {
		t.Fatal(err)
	}
	return f
}

func str(s string) *string { return &s }

// TestPlan switches each row on the fake Mac: the plan's lines, the
// records, the commands that changed the Mac and its state after, then
// a second plan, which must be empty.
func TestPlan(t *testing.T) {
	tests := []struct {
		name    string
		mac     macfake.SystemState
		cfg     *Config
		applied *Records
		changes []string
		records string
		ran     []string
		after   macfake.SystemState
		warning string
		err     string
	}{
		{name: "nothing asked, nothing read", mac: macfake.SystemState{TimeZone: "GMT"}, cfg: &Config{}, records: `{}`, after: macfake.SystemState{TimeZone: "GMT"}},
		{name: "a zone is set and the old one recorded", mac: macfake.SystemState{TimeZone: "America/New_York"}, cfg: &Config{TimeZone: str("Europe/Paris")},
			changes: []string{"~ system:time_zone America/New_York → Europe/Paris [systemsetup.set set the time zone to Europe/Paris]"},
			records: `{"time_zone":{"value":"Europe/Paris","original":"America/New_York"}}`,
			ran:     []string{"[root] /usr/sbin/systemsetup -settimezone Europe/Paris"},
			after:   macfake.SystemState{TimeZone: "Europe/Paris"}},
		{name: "an unset zone puts the original back", mac: macfake.SystemState{TimeZone: "Europe/Paris"}, cfg: &Config{},
			applied: &Records{TimeZone: &Record{Value: "Europe/Paris", Original: "America/New_York"}},
			changes: []string{"- system:time_zone Europe/Paris → America/New_York [systemsetup.set set the time zone to America/New_York]"},
			records: `{}`, ran: []string{"[root] /usr/sbin/systemsetup -settimezone America/New_York"},
			after: macfake.SystemState{TimeZone: "America/New_York"}},
		{name: "a zone changed by hand is left alone when unset", mac: macfake.SystemState{TimeZone: "Asia/Tokyo"}, cfg: &Config{},
			applied: &Records{TimeZone: &Record{Value: "Europe/Paris", Original: "America/New_York"}},
			records: `{}`, warning: "changed by hand to Asia/Tokyo",
			after: macfake.SystemState{TimeZone: "Asia/Tokyo"}},
		{name: "Remote Login and the firewall on", mac: macfake.SystemState{TimeZone: "GMT"}, cfg: &Config{RemoteLogin: true, Firewall: true},
			changes: []string{
				"~ system:remote_login off → on [systemsetup.set set the Remote Login to on]",
				"~ system:firewall off → on [systemsetup.set set the application firewall to on]",
			},
			records: `{"remote_login":{"value":"on","original":"off"},"firewall":{"value":"on","original":"off"}}`,
			ran:     []string{"[root] /usr/sbin/systemsetup -f -setremotelogin on", "[root] /usr/libexec/ApplicationFirewall/socketfilterfw --setglobalstate on"},
			after:   macfake.SystemState{TimeZone: "GMT", RemoteLogin: true, Firewall: 1}},
		{name: "turned off, they go back to off", mac: macfake.SystemState{TimeZone: "GMT", RemoteLogin: true, Firewall: 1}, cfg: &Config{},
			applied: &Records{RemoteLogin: &Record{Value: "on", Original: "off"}, Firewall: &Record{Value: "on", Original: "off"}},
			changes: []string{
				"- system:remote_login on → off [systemsetup.set set the Remote Login to off]",
				"- system:firewall on → off [systemsetup.set set the application firewall to off]",
			},
			records: `{}`, ran: []string{"[root] /usr/sbin/systemsetup -f -setremotelogin off", "[root] /usr/libexec/ApplicationFirewall/socketfilterfw --setglobalstate off"},
			after: macfake.SystemState{TimeZone: "GMT"}},
		{name: "already on: adopted, and left on when the option goes", mac: macfake.SystemState{TimeZone: "GMT", RemoteLogin: true}, cfg: &Config{RemoteLogin: true},
			changes: []string{"~ system:remote_login on → on []"},
			records: `{"remote_login":{"value":"on","original":"on"}}`, after: macfake.SystemState{TimeZone: "GMT", RemoteLogin: true}},
		{name: "an unknown zone fails the plan with close matches", mac: macfake.SystemState{TimeZone: "GMT"}, cfg: &Config{TimeZone: str("Europe/Pari")},
			err: `time.time_zone: "Europe/Pari" is not a time zone macOS knows (systemsetup -listtimezones)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			f := newMac(t, tt.mac)
			m := &machine.Machine{Sys: f, Privileged: true, OS: "darwin"}
			part, err := (&Provider{Machine: m, Config: tt.cfg}).Plan(ctx, providertest.Encode(t, tt.applied))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error = %v, want %q", err, tt.err)
				}
				var ce *platform.ConfigError
				if !errorsAs(err, &ce) || !strings.Contains(ce.Hint, "Europe/Paris") {
					t.Errorf("hint = %v, want Europe/Paris among the close matches", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			providertest.EqualLines(t, "changes", providertest.Lines{Describe: true}.Of(part.Changes), tt.changes)
			if got := string(providertest.PartRecords(t, part)); got != tt.records {
				t.Errorf("records = %s\nwant      %s", got, tt.records)
			}
			if tt.warning != "" && (len(part.Warnings) != 1 || !strings.Contains(part.Warnings[0], tt.warning)) {
				t.Errorf("warnings = %q, want %q", part.Warnings, tt.warning)
			}
			if got := changing(providertest.TakeLog(t, f)); len(got) > 0 {
				t.Errorf("planning ran %q", got)
			}
			providertest.ApplyOps(t, f, part)
			providertest.EqualLines(t, "commands", changing(providertest.TakeLog(t, f)), tt.ran)
			if s, err := f.SystemSettings(); err != nil || s != tt.after {
				t.Errorf("Mac after = %+v, %v; want %+v", s, err, tt.after)
			}
			again, err := (&Provider{Machine: m, Config: tt.cfg}).Plan(ctx, providertest.PartRecords(t, part))
			if err != nil {
				t.Fatal(err)
			}
			if len(again.Changes) > 0 {
				t.Errorf("second plan: %q", providertest.Lines{}.Of(again.Changes))
			}
		})
	}
}

// changing keeps the commands that change the Mac.
func changing(lines []string) []string {
	var out []string
	for _, l := range lines {
		if strings.Contains(l, " -set") || strings.Contains(l, "--set") {
			out = append(out, l)
		}
	}
	return out
}

func errorsAs(err error, target any) bool { return errors.As(err, target) }
