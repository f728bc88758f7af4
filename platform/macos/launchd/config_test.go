package launchd_test

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/macos/launchd"
)

func asConfigError(err error, ce **platform.ConfigError) bool { return errors.As(err, ce) }

// TestRender: every option lands in the plist with its plist type, the
// extra keys verbatim, and the same configuration gives the same bytes.
func TestRender(t *testing.T) {
	when := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	opts := func() map[string]any {
		return map[string]any{
			"program_arguments": []any{"/usr/local/bin/sync", "--all"},
			"run_at_load":       false,
			"keep_alive":        map[string]any{"SuccessfulExit": false, "Crashed": nil},
			"environment":       map[string]any{"HOME": "/Users/alice", "LANG": "C"},
			"extra": map[string]any{
				"StartInterval":         int64(3600),
				"Nice":                  int64(-5),
				"ExampleReal":           float64(2.5), // a key gocfg does not check
				"StandardOutPath":       "/tmp/sync.log",
				"StartCalendarInterval": []any{map[string]any{"Hour": int64(4)}},
				"Unset":                 nil,
				"Stamp":                 when,
				"Blob":                  []byte("hi"),
			},
		}
	}
	c, err := launchd.NewConfig("alice", map[string]any{agentLabel: opts()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	j := c.Agents[0]
	text := string(j.Plist)
	m := decode(t, text)
	want := map[string]any{
		"Label":                 agentLabel,
		"ProgramArguments":      []any{"/usr/local/bin/sync", "--all"},
		"RunAtLoad":             false,
		"KeepAlive":             map[string]any{"SuccessfulExit": false},
		"EnvironmentVariables":  map[string]any{"HOME": "/Users/alice", "LANG": "C"},
		"StartInterval":         uint64(3600),
		"Nice":                  int64(-5),
		"ExampleReal":           2.5,
		"StandardOutPath":       "/tmp/sync.log",
		"StartCalendarInterval": []any{map[string]any{"Hour": uint64(4)}},
		"Stamp":                 when,
		"Blob":                  []byte("hi"),
	}
	for k, w := range want {
		g := m[k]
		if gt, ok := g.(time.Time); ok {
			g = gt.UTC()
		}
		if !reflect.DeepEqual(g, w) {
			t.Errorf("%s = %#v, want %#v", k, m[k], w)
		}
	}
	if len(m) != len(want) {
		t.Errorf("the plist has %d keys, want %d:\n%s", len(m), len(want), text)
	}
	for _, frag := range []string{"<integer>3600</integer>", "<real>2.5</real>", "<false/>", "<date>2024-01-02T03:04:05Z</date>", `<plist version="1.0">`} {
		if !strings.Contains(text, frag) {
			t.Errorf("the plist has no %s:\n%s", frag, text)
		}
	}
	again, err := launchd.NewConfig("alice", map[string]any{agentLabel: opts()}, nil)
	if err != nil || string(again.Agents[0].Plist) != text || again.Agents[0].Hash != j.Hash {
		t.Errorf("rendering twice gave different plists (%v)", err)
	}
	// Unset keep_alive and empty environment are left out.
	c, err = launchd.NewConfig("alice", map[string]any{agentLabel: job("/bin/true")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	m = decode(t, string(c.Agents[0].Plist))
	if _, ok := m["KeepAlive"]; ok {
		t.Errorf("KeepAlive written: %v", m)
	}
	if _, ok := m["EnvironmentVariables"]; ok {
		t.Errorf("EnvironmentVariables written: %v", m)
	}
	// extra.Program stands in for program_arguments.
	c, err = launchd.NewConfig("", nil, map[string]any{daemonLabel: map[string]any{"extra": map[string]any{"Program": "/bin/true"}}})
	if err != nil || decode(t, string(c.Daemons[0].Plist))["Program"] != "/bin/true" {
		t.Errorf("extra.Program: %v", err)
	}
}

// TestConfigErrors: what NewConfig refuses, and the option it names.
func TestConfigErrors(t *testing.T) {
	tests := []struct {
		name    string
		user    string
		agents  map[string]any
		daemons map[string]any
		option  string
		msg     string
	}{
		{name: "label with a slash", user: "alice", agents: map[string]any{"org/example": job("/bin/true")},
			option: `macos.launchd.agents."org/example"`, msg: `contains a "/"`},
		{name: "label without a dot", user: "alice", daemons: map[string]any{"backup": job("/bin/true")},
			option: `macos.launchd.daemons."backup"`, msg: "reverse-DNS"},
		{name: "label with a space", user: "alice", agents: map[string]any{"org.example.my job": job("/bin/true")},
			option: `macos.launchd.agents."org.example.my job"`, msg: "contains ' '"},
		{name: "label with an empty part", user: "alice", agents: map[string]any{"org..example": job("/bin/true")},
			option: `macos.launchd.agents."org..example"`, msg: "empty part"},
		{name: "extra overwrites a generated key", user: "alice",
			agents: map[string]any{agentLabel: map[string]any{"program_arguments": []any{"/bin/true"}, "run_at_load": true, "extra": map[string]any{"RunAtLoad": false}}},
			option: `macos.launchd.agents."org.example.sync".extra`, msg: "extra.RunAtLoad would overwrite the RunAtLoad that gocfg writes from run_at_load"},
		{name: "extra overwrites the label", user: "alice",
			daemons: map[string]any{daemonLabel: map[string]any{"program_arguments": []any{"/bin/true"}, "extra": map[string]any{"Label": "x"}}},
			option:  `macos.launchd.daemons."org.example.backup".extra`, msg: "extra.Label would overwrite"},
		{name: "no program", user: "alice", daemons: map[string]any{daemonLabel: map[string]any{"run_at_load": true}},
			option: `macos.launchd.daemons."org.example.backup"`, msg: "no program"},
		{name: "keep_alive that is neither bool nor conditions", user: "alice",
			agents: map[string]any{agentLabel: map[string]any{"program_arguments": []any{"/bin/true"}, "keep_alive": "yes"}},
			option: `macos.launchd.agents."org.example.sync".keep_alive`, msg: "want true, false or an object of conditions"},
		{name: "null in an extra list", user: "alice",
			agents: map[string]any{agentLabel: map[string]any{"program_arguments": []any{"/bin/true"}, "extra": map[string]any{"WatchPaths": []any{"/tmp", nil}}}},
			option: `macos.launchd.agents."org.example.sync".extra`, msg: "extra.WatchPaths[1] is null"},
		// Types launchd.plist(5) gives its keys (tester O).
		{name: "StartInterval as a string", user: "alice", agents: extra(map[string]any{"StartInterval": "1800"}),
			option: `macos.launchd.agents."org.example.sync".extra`, msg: `StartInterval: want a whole number, got the string "1800"`},
		{name: "an hour out of range", user: "alice", agents: extra(map[string]any{"StartCalendarInterval": map[string]any{"Hour": int64(25)}}),
			option: `macos.launchd.agents."org.example.sync".extra`, msg: "StartCalendarInterval: Hour: want a whole number from 0 to 23, got 25"},
		{name: "a calendar key that does not exist", user: "alice", agents: extra(map[string]any{"StartCalendarInterval": []any{map[string]any{"Hour": int64(4)}, map[string]any{"Hours": int64(5)}}}),
			option: `macos.launchd.agents."org.example.sync".extra`, msg: "StartCalendarInterval: [1]: Hours: not a calendar key"},
		{name: "a bool as a string", user: "alice", agents: extra(map[string]any{"Disabled": "true"}),
			option: `macos.launchd.agents."org.example.sync".extra`, msg: `Disabled: want true or false, got the string "true"`},
		{name: "WatchPaths as one string", user: "alice", agents: extra(map[string]any{"WatchPaths": "/tmp"}),
			option: `macos.launchd.agents."org.example.sync".extra`, msg: "WatchPaths: want a list of strings"},
		{name: "a process type launchd does not know", user: "alice", agents: extra(map[string]any{"ProcessType": "Fast"}),
			option: `macos.launchd.agents."org.example.sync".extra`, msg: "ProcessType: want one of Background, Standard, Adaptive, Interactive"},
		{name: "a resource limit as a string", user: "alice", agents: extra(map[string]any{"SoftResourceLimits": map[string]any{"NumberOfFiles": "4096"}}),
			option: `macos.launchd.agents."org.example.sync".extra`, msg: "SoftResourceLimits: NumberOfFiles: want a whole number"},
		{name: "agents without a primary user", agents: map[string]any{agentLabel: job("/bin/true")},
			option: "macos.primary_user", msg: "no primary user"},
		{name: "agents for root", user: "root", agents: map[string]any{agentLabel: job("/bin/true")},
			option: "macos.primary_user", msg: "no primary user"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := launchd.NewConfig(tt.user, tt.agents, tt.daemons)
			var ce *platform.ConfigError
			if !asConfigError(err, &ce) || ce.Option != tt.option || !strings.Contains(ce.Msg, tt.msg) {
				t.Errorf("error %#v\nwant a ConfigError on %s saying %q", err, tt.option, tt.msg)
			}
		})
	}
	// Daemons need no primary user.
	if _, err := launchd.NewConfig("", nil, map[string]any{daemonLabel: job("/bin/true")}); err != nil {
		t.Errorf("daemons without a primary user: %v", err)
	}
}

// extra is the agent org.example.sync with the extra keys x.
func extra(x map[string]any) map[string]any {
	j := job("/bin/true")
	j["extra"] = x
	return map[string]any{agentLabel: j}
}

// TestConfigErrorsEveryJob: each job's error is said, not only the
// first job's (tester O: check reported one agent's error of two).
func TestConfigErrorsEveryJob(t *testing.T) {
	bad := func(x map[string]any) map[string]any {
		j := job("/bin/true")
		j["extra"] = x
		return j
	}
	_, err := launchd.NewConfig("alice", map[string]any{
		"org.example.a": bad(map[string]any{"StartInterval": "1800"}),
		"org.example.b": job("/bin/true"),
		"org.example.c": bad(map[string]any{"Nice": true}),
	}, map[string]any{"org.example.d": bad(map[string]any{"UserName": int64(0)})})
	var got []string
	for _, e := range joinedErrors(err) {
		var ce *platform.ConfigError
		if asConfigError(e, &ce) {
			got = append(got, ce.Option)
		}
	}
	want := []string{`macos.launchd.agents."org.example.a".extra`, `macos.launchd.agents."org.example.c".extra`, `macos.launchd.daemons."org.example.d".extra`}
	if !slices.Equal(got, want) {
		t.Errorf("errors on %q, want %q", got, want)
	}
}

// joinedErrors flattens errors.Join's tree, as the CLI does.
func joinedErrors(err error) []error {
	j, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return []error{err}
	}
	var out []error
	for _, e := range j.Unwrap() {
		out = append(out, joinedErrors(e)...)
	}
	return out
}

// TestConfigErrorsFirstInKeyOrder: of several bad members of an object,
// the error names the first by key, in every run (it named one in map
// order).
func TestConfigErrorsFirstInKeyOrder(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts map[string]any
		msg  string
	}{
		{"environment", map[string]any{"environment": map[string]any{"Z": 1, "A": 2, "M": 3}}, "environment.A: want a string"},
		{"extra", map[string]any{"extra": map[string]any{"Sockets": map[string]any{"z": []any{nil}, "x": []any{nil}, "y": []any{nil}}}}, "extra.Sockets.x[0] is null"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			opts := job("/bin/true")
			for k, v := range tt.opts {
				opts[k] = v
			}
			for range 20 {
				_, err := launchd.NewConfig("alice", map[string]any{agentLabel: opts}, nil)
				var ce *platform.ConfigError
				if !asConfigError(err, &ce) || !strings.Contains(ce.Msg, tt.msg) {
					t.Fatalf("error %v, want one saying %q", err, tt.msg)
				}
			}
		})
	}
}
