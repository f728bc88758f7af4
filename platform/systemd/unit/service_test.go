package unit_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/platform/systemd/unit"
)

// defaults is a service as the evaluated configuration gives it with
// only exec_start set.
func defaults() unit.Service {
	return unit.Service{
		ExecStart:        ptr("/usr/bin/hello"),
		Type:             "simple",
		Restart:          "no",
		Enable:           true,
		RestartIfChanged: true,
		StopOnRemoval:    true,
		After:            []string{},
		Wants:            []string{},
		Requires:         []string{},
		WantedBy:         []string{},
		ExecStartPre:     []string{},
		Environment:      map[string]string{},
		UnitConfig:       map[string]string{},
		ServiceConfig:    map[string]string{},
		InstallConfig:    map[string]string{},
	}
}

// defaultRendering is the unit file of defaults().
const defaultRendering = `[Service]
Type=simple
ExecStart=/usr/bin/hello
Restart=no
`

// checkRendering checks what render renders: want, the same each time,
// and the same unit (unit.Same) as itself once parsed.
func checkRendering(t *testing.T, render func() ([]byte, error), want string) {
	t.Helper()
	got, err := render()
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	again, _ := render()
	if !bytes.Equal(got, again) {
		t.Errorf("two renderings differ:\n%s\n%s", got, again)
	}
	f := mustParse(t, string(got))
	if c := unit.Classify(f, f); c != unit.Same {
		t.Errorf("Classify(Parse(Render(x)), itself) = %v", c)
	}
}

func TestRenderService(t *testing.T) {
	tests := []struct {
		name string
		edit func(*unit.Service)
		want string
	}{
		{
			name: "defaults",
			edit: func(*unit.Service) {},
			want: defaultRendering,
		},
		{
			name: "every option",
			edit: func(s *unit.Service) {
				s.Description = "Hello, world"
				s.After = []string{"network-online.target", "postgresql.service"}
				s.Wants = []string{"network-online.target"}
				s.Requires = []string{"postgresql.service"}
				s.WantedBy = []string{"multi-user.target", "graphical.target"}
				s.ExecStartPre = []string{"/usr/bin/mkdir -p /run/hello", "-/usr/bin/hello --check"}
				s.ExecStart = ptr("/usr/bin/hello --port 8080")
				s.ExecReload = ptr("/bin/kill -HUP $MAINPID")
				s.Type = "notify"
				s.Restart = "on-failure"
				s.User = ptr("hello")
				s.Group = ptr("www-data")
				s.WorkingDirectory = ptr("/var/lib/hello")
				s.Environment = map[string]string{"PORT": "8080", "LANG": "C.UTF-8"}
				s.UnitConfig = map[string]string{"StartLimitBurst": "5", "Documentation": "man:hello(1)"}
				s.ServiceConfig = map[string]string{"Nice": "10", "LimitNOFILE": "65536"}
				s.InstallConfig = map[string]string{"Alias": "hi.service"}
			},
			want: `[Unit]
Description=Hello, world
After=network-online.target
After=postgresql.service
Wants=network-online.target
Requires=postgresql.service
Documentation=man:hello(1)
StartLimitBurst=5

[Service]
Type=notify
ExecStartPre=/usr/bin/mkdir -p /run/hello
ExecStartPre=-/usr/bin/hello --check
ExecStart=/usr/bin/hello --port 8080
ExecReload=/bin/kill -HUP $MAINPID
Restart=on-failure
User=hello
Group=www-data
WorkingDirectory=/var/lib/hello
Environment="LANG=C.UTF-8"
Environment="PORT=8080"
LimitNOFILE=65536
Nice=10

[Install]
WantedBy=multi-user.target
WantedBy=graphical.target
Alias=hi.service
`,
		},
		{
			name: "empty values left out",
			edit: func(s *unit.Service) {
				s.After = []string{"", "a.service", ""}
				s.ExecStartPre = []string{""}
				s.ExecReload = ptr("")
				s.User = ptr("")
				s.Type = ""
				s.Restart = ""
				s.UnitConfig = map[string]string{"Foo": ""}
				s.InstallConfig = map[string]string{"Alias": ""}
				s.WantedBy = []string{""}
			},
			want: `[Unit]
After=a.service

[Service]
ExecStart=/usr/bin/hello
`,
		},
		{
			name: "extra keys come after and override typed ones",
			edit: func(s *unit.Service) {
				s.User = ptr("alice")
				s.ServiceConfig = map[string]string{"User": "bob", "Type": "oneshot"}
			},
			want: `[Service]
Type=simple
ExecStart=/usr/bin/hello
Restart=no
User=alice
Type=oneshot
User=bob
`,
		},
		{
			name: "triggers",
			edit: func(s *unit.Service) {
				s.ExecReload = ptr("/bin/kill -HUP $MAINPID")
				s.RestartTriggers = []string{"a"}
				s.ReloadTriggers = []string{"worker_processes 2;"}
				s.UnitConfig = map[string]string{"StartLimitBurst": "5"}
			},
			want: `[Unit]
X-Restart-Triggers=` + unit.TriggersHash([]string{"a"}) + `
X-Reload-Triggers=` + unit.TriggersHash([]string{"worker_processes 2;"}) + `
StartLimitBurst=5

[Service]
Type=simple
ExecStart=/usr/bin/hello
ExecReload=/bin/kill -HUP $MAINPID
Restart=no
`,
		},
		{
			name: "empty triggers left out",
			edit: func(s *unit.Service) {
				s.RestartTriggers = []string{}
				s.ReloadTriggers = nil
			},
			want: defaultRendering,
		},
		{
			name: "reload triggers of a notify-reload service",
			edit: func(s *unit.Service) {
				s.Type = "notify-reload"
				s.ReloadTriggers = []string{""}
			},
			want: `[Unit]
X-Reload-Triggers=` + unit.TriggersHash([]string{""}) + `

[Service]
Type=notify-reload
ExecStart=/usr/bin/hello
Restart=no
`,
		},
		{
			name: "reload triggers with ExecReload in service_config",
			edit: func(s *unit.Service) {
				s.ServiceConfig = map[string]string{"ExecReload": "/bin/true"}
				s.ReloadTriggers = []string{"x"}
			},
			want: `[Unit]
X-Reload-Triggers=` + unit.TriggersHash([]string{"x"}) + `

[Service]
Type=simple
ExecStart=/usr/bin/hello
Restart=no
ExecReload=/bin/true
`,
		},
		{
			name: "install section only",
			edit: func(s *unit.Service) { s.WantedBy = []string{"default.target"} },
			want: `[Service]
Type=simple
ExecStart=/usr/bin/hello
Restart=no

[Install]
WantedBy=default.target
`,
		},
		{
			name: "values written as they are",
			edit: func(s *unit.Service) {
				s.Description = `Hello %i "quoted" \ back`
				s.ExecStart = ptr(`/bin/sh -c 'echo "%h" \\; exit 0'`)
			},
			want: `[Unit]
Description=Hello %i "quoted" \ back

[Service]
Type=simple
ExecStart=/bin/sh -c 'echo "%h" \\; exit 0'
Restart=no
`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := defaults()
			tt.edit(&s)
			checkRendering(t, func() ([]byte, error) { return unit.RenderService("hello.service", s) }, tt.want)
		})
	}
}

func TestRenderServiceEnvironment(t *testing.T) {
	tests := []struct {
		value string
		line  string
	}{
		{"plain", `Environment="V=plain"`},
		{"", `Environment="V="`},
		{"two words", `Environment="V=two words"`},
		{`say "hi"`, `Environment="V=say \"hi\""`},
		{`C:\dir\`, `Environment="V=C:\\dir\\"`},
		{"100%", `Environment="V=100%%"`},
		{"%h/bin", `Environment="V=%%h/bin"`},
		{"$HOME", `Environment="V=$HOME"`},
		{"it's", `Environment="V=it's"`},
		{"a\nb", `Environment="V=a\nb"`},
		{"a\r\nb", `Environment="V=a\r\nb"`},
		{"a\tb", `Environment="V=a\tb"`},
		{"bell\a", `Environment="V=bell\x07"`},
		{"del\x7f", `Environment="V=del\x7f"`},
		{"héllo wörld", `Environment="V=héllo wörld"`},
		{" padded ", `Environment="V= padded "`},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			s := defaults()
			s.Environment = map[string]string{"V": tt.value}
			got, err := unit.RenderService("hello.service", s)
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(string(got), "\n")
			if !containsLine(lines, tt.line) {
				t.Errorf("no line %s in\n%s", tt.line, got)
			}
			if back := unescapeEnvironment(t, tt.line); back != "V="+tt.value {
				t.Errorf("systemd reads %s as %q, want %q", tt.line, back, "V="+tt.value)
			}
		})
	}
}

func containsLine(lines []string, line string) bool {
	for _, l := range lines {
		if l == line {
			return true
		}
	}
	return false
}

// unescapeEnvironment reads one Environment= line holding one quoted
// assignment the way systemd.exec documents it: C escapes inside double
// quotes, then "%%" is "%". It handles only what quoteEnvironment writes.
func unescapeEnvironment(t *testing.T, line string) string {
	t.Helper()
	v, ok := strings.CutPrefix(line, "Environment=")
	if !ok || len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		t.Fatalf("not a quoted Environment= line: %s", line)
	}
	v = v[1 : len(v)-1]
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == '"':
			t.Fatalf("unescaped quote in %s", line)
		case c == '%':
			if i+1 >= len(v) || v[i+1] != '%' {
				t.Fatalf("lone %% in %s", line)
			}
			b.WriteByte('%')
			i++
		case c == '\\':
			i++
			switch v[i] {
			case '\\', '"':
				b.WriteByte(v[i])
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'x':
				var n byte
				for _, h := range v[i+1 : i+3] {
					n = n*16 + byte(strings.IndexRune("0123456789abcdef", h))
				}
				b.WriteByte(n)
				i += 2
			default:
				t.Fatalf("unexpected escape \\%c in %s", v[i], line)
			}
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func TestRenderServiceEnvironmentSorted(t *testing.T) {
	s := defaults()
	s.Environment = map[string]string{}
	for _, k := range []string{"Z", "A", "M", "B_2", "B_1", "_X"} {
		s.Environment[k] = strings.ToLower(k)
	}
	got, err := unit.RenderService("hello.service", s)
	if err != nil {
		t.Fatal(err)
	}
	f := mustParse(t, string(got))
	want := []string{`"A=a"`, `"B_1=b_1"`, `"B_2=b_2"`, `"M=m"`, `"Z=z"`, `"_X=_x"`}
	if env := f["Service"]["Environment"]; !reflect.DeepEqual(env, want) {
		t.Errorf("Environment = %q, want %q", env, want)
	}
}

func TestRenderServiceErrors(t *testing.T) {
	const name = "hello.service"
	tests := []struct {
		name    string
		unit    string
		edit    func(*unit.Service)
		section string
		key     string
		err     error
	}{
		{"no exec_start", name, func(s *unit.Service) { s.ExecStart = nil }, "Service", "ExecStart", unit.ErrNoExecStart},
		{"empty exec_start", name, func(s *unit.Service) { s.ExecStart = ptr("") }, "Service", "ExecStart", unit.ErrNoExecStart},

		{"newline in description", name, func(s *unit.Service) { s.Description = "a\nb" }, "Unit", "Description", unit.ErrLineBreak},
		{"newline in after", name, func(s *unit.Service) { s.After = []string{"a.service", "b.service\n"} }, "Unit", "After", unit.ErrLineBreak},
		{"newline in wants", name, func(s *unit.Service) { s.Wants = []string{"a\nb"} }, "Unit", "Wants", unit.ErrLineBreak},
		{"newline in requires", name, func(s *unit.Service) { s.Requires = []string{"a\nb"} }, "Unit", "Requires", unit.ErrLineBreak},
		{"newline in unit_config", name, func(s *unit.Service) { s.UnitConfig = map[string]string{"Foo": "a\nb"} }, "Unit", "Foo", unit.ErrLineBreak},
		{"newline in exec_start", name, func(s *unit.Service) { s.ExecStart = ptr("/bin/a\n/bin/b") }, "Service", "ExecStart", unit.ErrLineBreak},
		{"newline in exec_start_pre", name, func(s *unit.Service) { s.ExecStartPre = []string{"/bin/a\n"} }, "Service", "ExecStartPre", unit.ErrLineBreak},
		{"newline in exec_reload", name, func(s *unit.Service) { s.ExecReload = ptr("a\nb") }, "Service", "ExecReload", unit.ErrLineBreak},
		{"newline in type", name, func(s *unit.Service) { s.Type = "simple\n" }, "Service", "Type", unit.ErrLineBreak},
		{"newline in restart", name, func(s *unit.Service) { s.Restart = "no\n" }, "Service", "Restart", unit.ErrLineBreak},
		{"newline in user", name, func(s *unit.Service) { s.User = ptr("a\nb") }, "Service", "User", unit.ErrLineBreak},
		{"newline in group", name, func(s *unit.Service) { s.Group = ptr("a\nb") }, "Service", "Group", unit.ErrLineBreak},
		{"newline in working_directory", name, func(s *unit.Service) { s.WorkingDirectory = ptr("/a\n") }, "Service", "WorkingDirectory", unit.ErrLineBreak},
		{"newline in service_config", name, func(s *unit.Service) { s.ServiceConfig = map[string]string{"Nice": "1\n0"} }, "Service", "Nice", unit.ErrLineBreak},
		{"newline in wanted_by", name, func(s *unit.Service) { s.WantedBy = []string{"a\nb"} }, "Install", "WantedBy", unit.ErrLineBreak},
		{"newline in install_config", name, func(s *unit.Service) { s.InstallConfig = map[string]string{"Alias": "a\nb"} }, "Install", "Alias", unit.ErrLineBreak},
		{"carriage return", name, func(s *unit.Service) { s.Description = "a\rb" }, "Unit", "Description", unit.ErrLineBreak},

		{"trailing backslash", name, func(s *unit.Service) { s.ExecStart = ptr(`/bin/echo \`) }, "Service", "ExecStart", unit.ErrContinuation},
		{"trailing backslash and space", name, func(s *unit.Service) { s.Description = `a \ ` }, "Unit", "Description", unit.ErrContinuation},
		{"NUL", name, func(s *unit.Service) { s.Description = "a\x00b" }, "Unit", "Description", unit.ErrValue},
		{"invalid UTF-8", name, func(s *unit.Service) { s.Description = "a\xffb" }, "Unit", "Description", unit.ErrValue},
		{"line too long", name, func(s *unit.Service) { s.ExecStart = ptr("/bin/echo " + strings.Repeat("x", 2048)) }, "Service", "ExecStart", unit.ErrLineTooLong},

		{"key with a space", name, func(s *unit.Service) { s.ServiceConfig = map[string]string{"Nice Level": "1"} }, "Service", "Nice Level", unit.ErrKey},
		{"key with =", name, func(s *unit.Service) { s.UnitConfig = map[string]string{"A=B": "1"} }, "Unit", "A=B", unit.ErrKey},
		{"key starting with #", name, func(s *unit.Service) { s.UnitConfig = map[string]string{"#A": "1"} }, "Unit", "#A", unit.ErrKey},
		{"key starting with a digit", name, func(s *unit.Service) { s.InstallConfig = map[string]string{"1A": "1"} }, "Install", "1A", unit.ErrKey},
		{"empty key", name, func(s *unit.Service) { s.ServiceConfig = map[string]string{"": "1"} }, "Service", "", unit.ErrKey},
		{"section header key", name, func(s *unit.Service) { s.ServiceConfig = map[string]string{"[Install]": "x"} }, "Service", "[Install]", unit.ErrKey},

		{"environment name with -", name, func(s *unit.Service) { s.Environment = map[string]string{"A-B": "1"} }, "Service", "Environment", unit.ErrEnvironmentName},
		{"environment name with a digit first", name, func(s *unit.Service) { s.Environment = map[string]string{"1A": "1"} }, "Service", "Environment", unit.ErrEnvironmentName},
		{"environment name with =", name, func(s *unit.Service) { s.Environment = map[string]string{"A=B": "1"} }, "Service", "Environment", unit.ErrEnvironmentName},
		{"empty environment name", name, func(s *unit.Service) { s.Environment = map[string]string{"": "1"} }, "Service", "Environment", unit.ErrEnvironmentName},
		{"environment NUL", name, func(s *unit.Service) { s.Environment = map[string]string{"A": "a\x00"} }, "Service", "Environment", unit.ErrValue},
		{"environment too long", name, func(s *unit.Service) { s.Environment = map[string]string{"A": strings.Repeat("%", 1100)} }, "Service", "Environment", unit.ErrLineTooLong},

		{"reload triggers without exec_reload", name, func(s *unit.Service) { s.ReloadTriggers = []string{"x"} }, "Unit", "X-Reload-Triggers", unit.ErrNoReload},
		{"reload triggers with an empty exec_reload", name, func(s *unit.Service) {
			s.ExecReload = ptr("")
			s.ReloadTriggers = []string{"x"}
		}, "Unit", "X-Reload-Triggers", unit.ErrNoReload},
		{"reload triggers of a notify-reload service made simple", name, func(s *unit.Service) {
			s.Type = "notify-reload"
			s.ServiceConfig = map[string]string{"Type": "simple"}
			s.ReloadTriggers = []string{"x"}
		}, "Unit", "X-Reload-Triggers", unit.ErrNoReload},

		{"name without suffix", "hello", func(*unit.Service) {}, "", "", unit.ErrName},
		{"timer name", "hello.timer", func(*unit.Service) {}, "", "", unit.ErrName},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := defaults()
			tt.edit(&s)
			got, err := unit.RenderService(tt.unit, s)
			if got != nil {
				t.Errorf("got output along with the error:\n%s", got)
			}
			wantError(t, err, tt.unit, tt.section, tt.key, tt.err)
		})
	}
}

func TestRenderServiceLineBreakMessage(t *testing.T) {
	s := defaults()
	s.ExecStart = ptr("/bin/a\n/bin/b")
	_, err := unit.RenderService("hello.service", s)
	msg := err.Error()
	for _, want := range []string{"hello.service", "[Service]", "ExecStart", "line break", "go-systemd", "one line", "continuation"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
}

// TestRenderServiceLongestLine renders lines of the longest length
// allowed at many offsets in the file, since go-systemd's check of line
// length depends on where its read buffer stands.
func TestRenderServiceLongestLine(t *testing.T) {
	for pad := range 300 {
		s := defaults()
		s.Description = strings.Repeat("d", pad*6+1)
		s.ExecStartPre = []string{"/bin/true " + strings.Repeat("p", pad*5)}
		// "ExecStart=" + value is 2047 bytes.
		s.ExecStart = ptr("/bin/echo " + strings.Repeat("x", 2047-len("ExecStart=")-len("/bin/echo ")))
		s.Environment = map[string]string{"A": strings.Repeat("a", 2047-len(`Environment="A="`))}
		got, err := unit.RenderService("hello.service", s)
		if err != nil {
			t.Fatalf("pad %d: %v", pad, err)
		}
		f, err := unit.Parse(got)
		if err != nil {
			t.Fatalf("pad %d: Parse: %v", pad, err)
		}
		if f["Service"]["ExecStart"][0] != *s.ExecStart {
			t.Fatalf("pad %d: ExecStart read back as %q", pad, f["Service"]["ExecStart"])
		}
	}
}

func TestServiceJSON(t *testing.T) {
	const in = `{
		"description": "d", "after": ["a"], "wants": ["w"], "requires": ["r"],
		"wanted_by": ["multi-user.target"], "exec_start": "/bin/x",
		"exec_start_pre": ["/bin/p"], "exec_reload": null, "type": "oneshot",
		"restart": "always", "user": "u", "group": null, "working_directory": "/w",
		"environment": {"K": "V"}, "enable": true, "restart_if_changed": false,
		"reload_if_changed": true, "stop_on_removal": true,
		"restart_triggers": ["a"], "reload_triggers": ["b", "c"],
		"unit_config": {"U": "1"}, "service_config": {"S": "2"}, "install_config": {"I": "3"}
	}`
	var got unit.Service
	dec := json.NewDecoder(strings.NewReader(in))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatal(err)
	}
	want := unit.Service{
		Description: "d", After: []string{"a"}, Wants: []string{"w"}, Requires: []string{"r"},
		WantedBy: []string{"multi-user.target"}, ExecStart: ptr("/bin/x"),
		ExecStartPre: []string{"/bin/p"}, Type: "oneshot", Restart: "always",
		User: ptr("u"), WorkingDirectory: ptr("/w"), Environment: map[string]string{"K": "V"},
		Enable: true, ReloadIfChanged: true, StopOnRemoval: true,
		RestartTriggers: []string{"a"}, ReloadTriggers: []string{"b", "c"},
		UnitConfig: map[string]string{"U": "1"}, ServiceConfig: map[string]string{"S": "2"},
		InstallConfig: map[string]string{"I": "3"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("decoded\n%+v\nwant\n%+v", got, want)
	}
}

func TestTriggersHash(t *testing.T) {
	if h := unit.TriggersHash(nil); h != "" {
		t.Errorf("TriggersHash(nil) = %q, want \"\"", h)
	}
	if h := unit.TriggersHash([]string{}); h != "" {
		t.Errorf("TriggersHash([]) = %q, want \"\"", h)
	}
	// Lists that a plain concatenation or join would confuse.
	lists := [][]string{
		{""}, {"", ""}, {"a"}, {"ab"}, {"a", "b"}, {"b", "a"}, {"a,b"}, {"1:a,"}, {"1:a,", ""},
		{"a\nb"}, {"a", "\nb"},
	}
	seen := map[string][]string{}
	for _, l := range lists {
		h := unit.TriggersHash(l)
		if len(h) != 64 || strings.Trim(h, "0123456789abcdef") != "" {
			t.Errorf("TriggersHash(%q) = %q, want 64 hex digits", l, h)
		}
		if other, ok := seen[h]; ok {
			t.Errorf("TriggersHash(%q) = TriggersHash(%q)", l, other)
		}
		seen[h] = l
		if again := unit.TriggersHash(append([]string(nil), l...)); again != h {
			t.Errorf("TriggersHash(%q) is not stable: %q, %q", l, h, again)
		}
	}
}
