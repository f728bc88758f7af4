package unit_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/platform/systemd/unit"
)

// settings decodes the JSON of a *_config option, as the provider reads
// the evaluated configuration.
func settings(t *testing.T, js string) unit.Settings {
	t.Helper()
	var s unit.Settings
	if err := json.Unmarshal([]byte(js), &s); err != nil {
		t.Fatalf("decode %s: %v", js, err)
	}
	return s
}

func TestSettingsJSON(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want map[string][]string // key → Values
	}{
		{"string", `{"Nice": "10"}`, map[string][]string{"Nice": {"10"}}},
		{"empty string", `{"Nice": ""}`, map[string][]string{"Nice": {""}}},
		{"integer", `{"RestartSec": 5}`, map[string][]string{"RestartSec": {"5"}}},
		{"negative", `{"Nice": -5}`, map[string][]string{"Nice": {"-5"}}},
		{"fraction", `{"CPUWeight": 1.5}`, map[string][]string{"CPUWeight": {"1.5"}}},
		{"big integer", `{"LimitNOFILE": 1048576}`, map[string][]string{"LimitNOFILE": {"1048576"}}},
		{"true", `{"DynamicUser": true}`, map[string][]string{"DynamicUser": {"true"}}},
		{"false", `{"PrivateTmp": false}`, map[string][]string{"PrivateTmp": {"false"}}},
		{"null", `{"User": null, "Nice": "1"}`, map[string][]string{"Nice": {"1"}}},
		{"list", `{"Environment": ["A=1", "B=2"]}`, map[string][]string{"Environment": {"A=1", "B=2"}}},
		{"list of kinds", `{"X-A": ["a", 2, true, false, 0.25]}`, map[string][]string{"X-A": {"a", "2", "true", "false", "0.25"}}},
		{"list with null", `{"ExecStartPre": [null, "/bin/a", null]}`, map[string][]string{"ExecStartPre": {"/bin/a"}}},
		{"list of nulls", `{"ExecStartPre": [null]}`, map[string][]string{}},
		{"empty list", `{"ExecStartPre": []}`, map[string][]string{}},
		{"list with an empty string", `{"After": ["", "a.service"]}`, map[string][]string{"After": {"", "a.service"}}},
		{"several keys", `{"A": "x", "B": ["y", "z"]}`, map[string][]string{"A": {"x"}, "B": {"y", "z"}}},
		{"escapes kept", `{"ExecStart": "/bin/echo \"a\\tb\" %i"}`, map[string][]string{"ExecStart": {`/bin/echo "a\tb" %i`}}},
		{"line break kept for the renderer", `{"Nice": "1\n0"}`, map[string][]string{"Nice": {"1\n0"}}},
		{"empty", `{}`, map[string][]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := settings(t, tt.in)
			if s == nil {
				t.Fatal("decoded to nil, want a map")
			}
			got := map[string][]string{}
			for k := range s {
				got[k] = s.Values(k)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("decoded %q, want %q", got, tt.want)
			}
		})
	}
}

// TestSettingsJSONString checks that a key with one value decodes to the
// value as it is, so that Settings{"Nice": "10"} and JSON {"Nice": "10"}
// are the same.
func TestSettingsJSONString(t *testing.T) {
	got := settings(t, `{"Nice": "10", "RestartSec": 5}`)
	if want := (unit.Settings{"Nice": "10", "RestartSec": "5"}); !reflect.DeepEqual(got, want) {
		t.Errorf("decoded %q, want %q", got, want)
	}
}

func TestSettingsJSONNull(t *testing.T) {
	var s unit.Settings
	if err := json.Unmarshal([]byte(`null`), &s); err != nil || s != nil {
		t.Errorf("decoded null to %q, %v; want nil, no error", s, err)
	}
}

func TestSettingsJSONErrors(t *testing.T) {
	tests := []struct {
		name, in, key string
		err           error
	}{
		{"object", `{"Environment": {"A": "1"}}`, "Environment", unit.ErrSettingValue},
		{"list of lists", `{"ExecStartPre": [["/bin/a"], "/bin/b"]}`, "ExecStartPre", unit.ErrSettingValue},
		{"list with an object", `{"ExecStartPre": [{"a": 1}]}`, "ExecStartPre", unit.ErrSettingValue},
		{"NUL", `{"Description": "a\u0000b"}`, "Description", unit.ErrValue},
		{"NUL in a list", `{"After": ["a", "\u0000"]}`, "After", unit.ErrValue},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s unit.Settings
			err := json.Unmarshal([]byte(tt.in), &s)
			if !errors.Is(err, tt.err) {
				t.Fatalf("error %v, want %v", err, tt.err)
			}
			if !strings.Contains(err.Error(), "key "+tt.key+": ") {
				t.Errorf("error %q does not name the key %s", err, tt.key)
			}
		})
	}
}

func TestSettingsLast(t *testing.T) {
	s := settings(t, `{"One": "a", "Two": ["a", "b"], "Trailing": ["a", ""], "Empty": "", "Unit": ["x.service"]}`)
	for key, want := range map[string]string{"One": "a", "Two": "b", "Trailing": "a", "Empty": "", "Missing": "", "Unit": "x.service"} {
		if got := s.Last(key); got != want {
			t.Errorf("Last(%q) = %q, want %q", key, got, want)
		}
	}
}

// TestRenderServiceSettings renders each kind of value of service_config
// (and unit_config, install_config) as NixOS's attrsToSection writes it:
// one Key=value line per value, true and false as they are.
func TestRenderServiceSettings(t *testing.T) {
	tests := []struct {
		name   string
		config string // service_config
		edit   func(*unit.Service)
		want   string // the [Service] lines after defaultRendering's
	}{
		{"string", `{"Restart": "always"}`, nil, "Restart=always\n"},
		{"number", `{"RestartSec": 5}`, nil, "RestartSec=5\n"},
		{"fraction", `{"CPUQuota": 1.5}`, nil, "CPUQuota=1.5\n"},
		{"true", `{"DynamicUser": true}`, nil, "DynamicUser=true\n"},
		{"false", `{"PrivateTmp": false}`, nil, "PrivateTmp=false\n"},
		{"null", `{"Nice": null}`, nil, ""},
		{"list", `{"Environment": ["A=1", "B=2"]}`, nil, "Environment=A=1\nEnvironment=B=2\n"},
		{"list in order", `{"ExecStartPost": ["/bin/b", "/bin/a"]}`, nil, "ExecStartPost=/bin/b\nExecStartPost=/bin/a\n"},
		{"list of kinds", `{"X-Values": ["a", 1, true]}`, nil, "X-Values=a\nX-Values=1\nX-Values=true\n"},
		{"list with null and empty items", `{"SupplementaryGroups": [null, "", "adm"]}`, nil, "SupplementaryGroups=adm\n"},
		{"empty list", `{"SupplementaryGroups": []}`, nil, ""},
		{"keys sorted, values in order", `{"RestartSec": 5, "Environment": ["B=2", "A=1"], "DynamicUser": true}`, nil,
			"DynamicUser=true\nEnvironment=B=2\nEnvironment=A=1\nRestartSec=5\n"},
		// The environment option's lines come first.
		{"after the environment option", `{"Environment": ["A=1"]}`, func(s *unit.Service) { s.Environment = map[string]string{"B": "2"} },
			"Environment=\"B=2\"\nEnvironment=A=1\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := defaults()
			s.ServiceConfig = settings(t, tt.config)
			if tt.edit != nil {
				tt.edit(&s)
			}
			checkRendering(t, func() ([]byte, error) { return unit.RenderService("hello.service", s) }, defaultRendering+tt.want)
		})
	}
}

// TestRenderServiceSettingsWin checks that a list in service_config
// overrides a typed option of a single-valued setting (systemd takes
// the last assignment) and adds to a list option's lines.
func TestRenderServiceSettingsWin(t *testing.T) {
	s := defaults()
	s.User = ptr("alice")
	s.ExecStartPre = []string{"/bin/pre"}
	s.ServiceConfig = settings(t, `{"User": ["bob", "carol"], "ExecStartPre": ["/bin/a", "/bin/b"]}`)
	s.UnitConfig = settings(t, `{"After": ["b.service", "c.service"], "StartLimitBurst": 5}`)
	s.After = []string{"a.service"}
	s.InstallConfig = settings(t, `{"Alias": ["x.service", "y.service"]}`)
	want := `[Unit]
After=a.service
After=b.service
After=c.service
StartLimitBurst=5

[Service]
Type=simple
ExecStartPre=/bin/pre
ExecStart=/usr/bin/hello
Restart=no
User=alice
ExecStartPre=/bin/a
ExecStartPre=/bin/b
User=bob
User=carol

[Install]
Alias=x.service
Alias=y.service
`
	checkRendering(t, func() ([]byte, error) { return unit.RenderService("hello.service", s) }, want)
	f := mustParse(t, want)
	if got := f["Service"]["User"]; !reflect.DeepEqual(got, []string{"alice", "bob", "carol"}) {
		t.Errorf("User read back as %q", got)
	}
}

func TestRenderServiceSettingsReload(t *testing.T) {
	// ExecReload and Type from a list of service_config, for
	// reload_triggers: the last non-empty value is the one systemd uses.
	for _, tt := range []struct {
		name, config string
		ok           bool
	}{
		{"ExecReload list", `{"ExecReload": ["", "/bin/true"]}`, true},
		{"ExecReload empty list items", `{"ExecReload": ["", ""]}`, false},
		{"Type list ending notify-reload", `{"Type": ["simple", "notify-reload"]}`, true},
		{"Type list ending simple", `{"Type": ["notify-reload", "simple"]}`, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := defaults()
			s.ReloadTriggers = []string{"x"}
			s.ServiceConfig = settings(t, tt.config)
			_, err := unit.RenderService("hello.service", s)
			if tt.ok && err != nil {
				t.Errorf("error %v, want none", err)
			}
			if !tt.ok {
				wantError(t, err, "hello.service", "Unit", "X-Reload-Triggers", unit.ErrNoReload)
			}
		})
	}
}

func TestRenderServiceSettingsErrors(t *testing.T) {
	tests := []struct {
		name         string
		edit         func(*testing.T, *unit.Service)
		section, key string
		err          error
	}{
		{"line break in a list item", func(t *testing.T, s *unit.Service) {
			s.ServiceConfig = settings(t, `{"ExecStartPre": ["/bin/a", "/bin/b\n/bin/c"]}`)
		}, "Service", "ExecStartPre", unit.ErrLineBreak},
		{"line break in unit_config", func(t *testing.T, s *unit.Service) {
			s.UnitConfig = settings(t, `{"Documentation": ["man:a(1)", "man:b(1)\r"]}`)
		}, "Unit", "Documentation", unit.ErrLineBreak},
		{"continuation in a list item", func(t *testing.T, s *unit.Service) {
			s.InstallConfig = settings(t, `{"Alias": ["a.service\\"]}`)
		}, "Install", "Alias", unit.ErrContinuation},
		{"bad key with a list", func(t *testing.T, s *unit.Service) {
			s.ServiceConfig = settings(t, `{"Exec Start": ["/bin/a"]}`)
		}, "Service", "Exec Start", unit.ErrKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := defaults()
			tt.edit(t, &s)
			got, err := unit.RenderService("hello.service", s)
			if got != nil {
				t.Errorf("got output along with the error:\n%s", got)
			}
			wantError(t, err, "hello.service", tt.section, tt.key, tt.err)
		})
	}
}

// TestRenderTimerSettings renders timer_config's kinds of values; a
// timer whose only trigger is a list of On... values has a trigger.
func TestRenderTimerSettings(t *testing.T) {
	tests := []struct {
		name, config, want string
	}{
		{"list of calendar events", `{"OnCalendar": ["Mon *-*-* 04:00", "Fri *-*-* 04:00"]}`,
			"[Timer]\nOnCalendar=Mon *-*-* 04:00\nOnCalendar=Fri *-*-* 04:00\n"},
		{"number and bool", `{"OnActiveSec": 30, "Persistent": true, "RemainAfterElapse": false}`,
			"[Timer]\nOnActiveSec=30\nPersistent=true\nRemainAfterElapse=false\n"},
		{"null", `{"OnBootSec": "1h", "Unit": null}`, "[Timer]\nOnBootSec=1h\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tm := timerDefaults()
			tm.TimerConfig = settings(t, tt.config)
			checkRendering(t, func() ([]byte, error) { return unit.RenderTimer("backup.timer", tm) }, tt.want+"\n[Install]\nWantedBy=timers.target\n")
		})
	}
}

func TestRenderTimerSettingsNoTrigger(t *testing.T) {
	for _, config := range []string{`{"OnCalendar": []}`, `{"OnCalendar": [null, ""]}`, `{"OnCalendar": null}`} {
		tm := timerDefaults()
		tm.TimerConfig = settings(t, config)
		_, err := unit.RenderTimer("backup.timer", tm)
		wantError(t, err, "backup.timer", "Timer", "", unit.ErrNoTrigger)
	}
}

// TestServiceJSONSettings decodes a whole service with values of every
// kind, as the provider does.
func TestServiceJSONSettings(t *testing.T) {
	var s unit.Service
	in := `{"exec_start": "/bin/x", "unit_config": {"StartLimitBurst": 5}, "service_config": {"RestartSec": 5, "DynamicUser": true, "Environment": ["A=1", "B=2"], "User": null}, "install_config": {}}`
	if err := json.Unmarshal([]byte(in), &s); err != nil {
		t.Fatal(err)
	}
	want := unit.Service{
		ExecStart:     ptr("/bin/x"),
		UnitConfig:    unit.Settings{"StartLimitBurst": "5"},
		ServiceConfig: unit.Settings{"RestartSec": "5", "DynamicUser": "true", "Environment": "A=1\x00B=2"},
		InstallConfig: unit.Settings{},
	}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("decoded\n%+v\nwant\n%+v", s, want)
	}
	var bad unit.Service
	err := json.Unmarshal([]byte(`{"service_config": {"Environment": {"A": "1"}}}`), &bad)
	if !errors.Is(err, unit.ErrSettingValue) {
		t.Errorf("error %v, want %v", err, unit.ErrSettingValue)
	}
}
