package unit_test

import (
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform/systemd/unit"
)

const base = `[Unit]
Description=Hello
After=network.target
After=postgresql.service

[Service]
Type=simple
ExecStartPre=/bin/a
ExecStartPre=/bin/b
ExecStart=/bin/hello
Environment="A=1"
Environment="B=2"

[Install]
WantedBy=multi-user.target
`

func TestClassify(t *testing.T) {
	tests := []struct {
		name string
		old  string
		new  string
		want unit.Change
	}{
		{"identical", base, base, unit.Same},
		{
			"sections reordered",
			base,
			"[Install]\nWantedBy=multi-user.target\n[Service]\nType=simple\nExecStartPre=/bin/a\nExecStartPre=/bin/b\nExecStart=/bin/hello\nEnvironment=\"A=1\"\nEnvironment=\"B=2\"\n[Unit]\nDescription=Hello\nAfter=network.target\nAfter=postgresql.service\n",
			unit.Same,
		},
		{
			"different keys reordered, comments and whitespace",
			base,
			"# comment\n[Unit]\nAfter=network.target\n  Description = Hello\nAfter=postgresql.service\n\n\n[Service]\nExecStartPre=/bin/a\nExecStart=/bin/hello   \nEnvironment=\"A=1\"\nType=simple\nExecStartPre=/bin/b\nEnvironment=\"B=2\"\n[Install]\n; comment\nWantedBy=multi-user.target\n",
			unit.Same,
		},
		{"empty assignment is absence", base, strings.Replace(base, "[Service]\n", "[Service]\nUser=\n", 1), unit.Same},
		{"empty section is absence", base, base + "[X-Extra]\n", unit.Same},

		{"description changed", base, strings.Replace(base, "Description=Hello", "Description=Hello, world", 1), unit.Cosmetic},
		{"description removed", base, strings.Replace(base, "Description=Hello\n", "", 1), unit.Cosmetic},
		{"documentation added", base, strings.Replace(base, "[Unit]\n", "[Unit]\nDocumentation=man:hello(1)\n", 1), unit.Cosmetic},
		{"on_failure changed", strings.Replace(base, "[Unit]\n", "[Unit]\nOnFailure=a.service\n", 1), strings.Replace(base, "[Unit]\n", "[Unit]\nOnFailure=b.service\n", 1), unit.Cosmetic},
		{
			"unit section holding only cosmetic keys removed",
			"[Unit]\nDescription=x\nDocumentation=y\n[Service]\nExecStart=/bin/x\n",
			"[Service]\nExecStart=/bin/x\n",
			unit.Cosmetic,
		},

		{"wanted_by changed", base, strings.Replace(base, "WantedBy=multi-user.target", "WantedBy=default.target", 1), unit.InstallOnly},
		{"wanted_by added", base, base + "WantedBy=graphical.target\n", unit.InstallOnly},
		{"install section removed", base, strings.Replace(base, "[Install]\nWantedBy=multi-user.target\n", "", 1), unit.InstallOnly},
		{"install section added", strings.Replace(base, "[Install]\nWantedBy=multi-user.target\n", "", 1), base, unit.InstallOnly},
		{
			"wanted_by and description changed",
			base,
			strings.Replace(strings.Replace(base, "WantedBy=multi-user.target", "WantedBy=default.target", 1), "Description=Hello", "Description=Bye", 1),
			unit.InstallOnly,
		},

		{"exec_start changed", base, strings.Replace(base, "ExecStart=/bin/hello", "ExecStart=/bin/hello -v", 1), unit.Changed},
		{"exec_start_pre reordered", base, strings.Replace(base, "ExecStartPre=/bin/a\nExecStartPre=/bin/b", "ExecStartPre=/bin/b\nExecStartPre=/bin/a", 1), unit.Changed},
		{"after reordered", base, strings.Replace(base, "After=network.target\nAfter=postgresql.service", "After=postgresql.service\nAfter=network.target", 1), unit.Changed},
		{"after added", base, strings.Replace(base, "[Unit]\n", "[Unit]\nAfter=x.service\n", 1), unit.Changed},
		{"environment value changed", base, strings.Replace(base, `"B=2"`, `"B=3"`, 1), unit.Changed},
		{"environment of different variables reordered", base, strings.Replace(base, "Environment=\"A=1\"\nEnvironment=\"B=2\"", "Environment=\"B=2\"\nEnvironment=\"A=1\"", 1), unit.Changed},
		{"key added to service", base, strings.Replace(base, "[Service]\n", "[Service]\nNice=10\n", 1), unit.Changed},
		{"description in another section", base, strings.Replace(base, "[Service]\n", "[Service]\nDescription=x\n", 1), unit.Changed},
		{"x-reload-triggers added", base, strings.Replace(base, "[Unit]\n", "[Unit]\nX-Reload-Triggers=abc\n", 1), unit.Reload},
		{
			"x-reload-triggers changed",
			strings.Replace(base, "[Unit]\n", "[Unit]\nX-Reload-Triggers=abc\n", 1),
			strings.Replace(base, "[Unit]\n", "[Unit]\nX-Reload-Triggers=abd\n", 1),
			unit.Reload,
		},
		{
			"x-reload-triggers and description changed",
			base,
			strings.Replace(base, "Description=Hello\n", "Description=Bye\nX-Reload-Triggers=abc\n", 1),
			unit.Reload,
		},
		{
			"x-reload-triggers and wanted_by changed",
			base,
			strings.Replace(strings.Replace(base, "WantedBy=multi-user.target", "WantedBy=default.target", 1), "[Unit]\n", "[Unit]\nX-Reload-Triggers=abc\n", 1),
			unit.Reload,
		},
		{
			"x-reload-triggers and exec_start changed",
			base,
			strings.Replace(strings.Replace(base, "ExecStart=/bin/hello", "ExecStart=/bin/bye", 1), "[Unit]\n", "[Unit]\nX-Reload-Triggers=abc\n", 1),
			unit.Changed,
		},
		{
			"x-reload-triggers and x-restart-triggers changed",
			base,
			strings.Replace(base, "[Unit]\n", "[Unit]\nX-Reload-Triggers=abc\nX-Restart-Triggers=abc\n", 1),
			unit.Changed,
		},
		{"x-reload-triggers in another section", base, strings.Replace(base, "[Service]\n", "[Service]\nX-Reload-Triggers=abc\n", 1), unit.Changed},
		{"x-restart-triggers", base, strings.Replace(base, "[Unit]\n", "[Unit]\nX-Restart-Triggers=abc\n", 1), unit.Changed},
		{"section renamed", "[Service]\nExecStart=/bin/x\n", "[Socket]\nExecStart=/bin/x\n", unit.Changed},
		{"service section removed", base, strings.Replace(base, "[Service]\n", "[X]\n", 1), unit.Changed},
		{
			"exec_start, wanted_by and description changed",
			base,
			strings.NewReplacer("ExecStart=/bin/hello", "ExecStart=/bin/bye", "WantedBy=multi-user.target", "WantedBy=default.target", "Description=Hello", "Description=Bye").Replace(base),
			unit.Changed,
		},
		{"new unit", "", base, unit.Changed},
		{"timer calendar changed", "[Timer]\nOnCalendar=daily\n", "[Timer]\nOnCalendar=weekly\n", unit.Changed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old, new := mustParse(t, tt.old), mustParse(t, tt.new)
			if got := unit.Classify(old, new); got != tt.want {
				t.Errorf("Classify = %v, want %v", got, tt.want)
			}
			if got := unit.Classify(new, old); got != tt.want {
				t.Errorf("Classify reversed = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestClassifyNoRestartKeys checks every [Unit] key NixOS's
// switch-to-configuration-ng compares as needing no restart.
func TestClassifyNoRestartKeys(t *testing.T) {
	for _, key := range []string{
		"Description", "Documentation", "OnFailure", "OnSuccess",
		"OnFailureJobMode", "IgnoreOnIsolate", "StopWhenUnneeded",
		"RefuseManualStart", "RefuseManualStop", "AllowIsolate",
		"CollectMode", "SourcePath",
	} {
		old := mustParse(t, "[Unit]\n"+key+"=a\n[Service]\nExecStart=/bin/x\n")
		new := mustParse(t, "[Unit]\n"+key+"=b\n[Service]\nExecStart=/bin/x\n")
		if got := unit.Classify(old, new); got != unit.Cosmetic {
			t.Errorf("%s changed: %v, want cosmetic", key, got)
		}
		if got := unit.Classify(old, mustParse(t, "[Service]\nExecStart=/bin/x\n")); got != unit.Cosmetic {
			t.Errorf("%s removed: %v, want cosmetic", key, got)
		}
	}
}

func TestClassifyNil(t *testing.T) {
	if got := unit.Classify(nil, nil); got != unit.Same {
		t.Errorf("Classify(nil, nil) = %v", got)
	}
	if got := unit.Classify(nil, unit.File{}); got != unit.Same {
		t.Errorf("Classify(nil, {}) = %v", got)
	}
	if got := unit.Classify(nil, unit.File{"Install": {"WantedBy": {"x"}}}); got != unit.InstallOnly {
		t.Errorf("Classify(nil, install) = %v", got)
	}
	if got := unit.Classify(unit.File{"Unit": {"After": nil}}, nil); got != unit.Same {
		t.Errorf("Classify(key without values, nil) = %v", got)
	}
}

// A serviceEdit edits a service; its rendering, against the original's,
// is classified as want.
type serviceEdit struct {
	name string
	edit func(*unit.Service)
	want unit.Change
}

// classifyEdits classifies the rendering of orig edited by each test
// against the rendering of orig.
func classifyEdits(t *testing.T, orig unit.Service, tests []serviceEdit) {
	t.Helper()
	old, err := unit.RenderService("hello.service", orig)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := orig
			tt.edit(&s)
			new, err := unit.RenderService("hello.service", s)
			if err != nil {
				t.Fatal(err)
			}
			if got := unit.Classify(mustParse(t, string(old)), mustParse(t, string(new))); got != tt.want {
				t.Errorf("Classify = %v, want %v\nold:\n%s\nnew:\n%s", got, tt.want, old, new)
			}
		})
	}
}

// TestClassifyRendered classifies renderings of edited services against
// the rendering of the original.
func TestClassifyRendered(t *testing.T) {
	orig := defaults()
	orig.Description = "Hello"
	orig.After = []string{"network.target"}
	orig.WantedBy = []string{"multi-user.target"}
	orig.Environment = map[string]string{"A": "1", "B": "two words"}
	orig.ServiceConfig = map[string]string{"Nice": "5"}

	tests := []serviceEdit{
		{"nothing", func(*unit.Service) {}, unit.Same},
		{"gocfg-only flags", func(s *unit.Service) {
			s.RestartIfChanged = false
			s.ReloadIfChanged = true
			s.StopOnRemoval = false
			s.Enable = false
		}, unit.Same},
		{"environment rebuilt", func(s *unit.Service) { s.Environment = map[string]string{"B": "two words", "A": "1"} }, unit.Same},
		{"description", func(s *unit.Service) { s.Description = "Hi" }, unit.Cosmetic},
		{"documentation", func(s *unit.Service) { s.UnitConfig = map[string]string{"Documentation": "man:x(1)"} }, unit.Cosmetic},
		{"wanted_by", func(s *unit.Service) { s.WantedBy = []string{"default.target"} }, unit.InstallOnly},
		{"install_config", func(s *unit.Service) { s.InstallConfig = map[string]string{"Alias": "x.service"} }, unit.InstallOnly},
		{"exec_start", func(s *unit.Service) { s.ExecStart = ptr("/usr/bin/hello -v") }, unit.Changed},
		{"environment", func(s *unit.Service) { s.Environment = map[string]string{"A": "1", "B": "two  words"} }, unit.Changed},
		{"service_config", func(s *unit.Service) { s.ServiceConfig = map[string]string{"Nice": "6"} }, unit.Changed},
		{"after", func(s *unit.Service) { s.After = nil }, unit.Changed},
		{"type", func(s *unit.Service) { s.Type = "exec" }, unit.Changed},
		{"restart_triggers added", func(s *unit.Service) { s.RestartTriggers = []string{"worker_processes 2;"} }, unit.Changed},
		{"reload_triggers added", func(s *unit.Service) {
			s.ExecReload = ptr("/bin/kill -HUP $MAINPID")
			s.ReloadTriggers = []string{"worker_processes 2;"}
		}, unit.Changed}, // exec_reload is new too
	}
	classifyEdits(t, orig, tests)
}

func TestChangeString(t *testing.T) {
	for c, want := range map[unit.Change]string{
		unit.Same: "same", unit.Cosmetic: "cosmetic", unit.InstallOnly: "install-only",
		unit.Reload: "reload", unit.Changed: "changed", unit.Change(7): "Change(7)",
	} {
		if got := c.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", int(c), got, want)
		}
	}
	if !(unit.Same < unit.Cosmetic && unit.Cosmetic < unit.InstallOnly && unit.InstallOnly < unit.Reload && unit.Reload < unit.Changed) {
		t.Error("Change values are not ordered by the work they need")
	}
}

// TestClassifyTriggers classifies renderings of a service whose trigger
// values change, and nothing else.
func TestClassifyTriggers(t *testing.T) {
	orig := defaults()
	orig.ExecReload = ptr("/bin/kill -HUP $MAINPID")
	orig.RestartTriggers = []string{"listen 80;"}
	orig.ReloadTriggers = []string{"worker_processes 2;"}
	tests := []serviceEdit{
		{"same values", func(s *unit.Service) {
			s.RestartTriggers = []string{"listen 80;"}
			s.ReloadTriggers = []string{"worker_processes 2;"}
		}, unit.Same},
		{"reload trigger changed", func(s *unit.Service) { s.ReloadTriggers = []string{"worker_processes 4;"} }, unit.Reload},
		{"reload trigger added", func(s *unit.Service) { s.ReloadTriggers = []string{"worker_processes 2;", "x"} }, unit.Reload},
		{"reload triggers removed", func(s *unit.Service) { s.ReloadTriggers = nil }, unit.Reload},
		{"reload trigger and description changed", func(s *unit.Service) {
			s.ReloadTriggers = []string{"worker_processes 4;"}
			s.Description = "nginx"
		}, unit.Reload},
		{"reload trigger and wanted_by changed", func(s *unit.Service) {
			s.ReloadTriggers = []string{"worker_processes 4;"}
			s.WantedBy = []string{"multi-user.target"}
		}, unit.Reload},
		{"restart trigger changed", func(s *unit.Service) { s.RestartTriggers = []string{"listen 8080;"} }, unit.Changed},
		{"restart triggers removed", func(s *unit.Service) { s.RestartTriggers = []string{} }, unit.Changed},
		{"both changed", func(s *unit.Service) {
			s.RestartTriggers = []string{"listen 8080;"}
			s.ReloadTriggers = []string{"worker_processes 4;"}
		}, unit.Changed},
		{"reload trigger and environment changed", func(s *unit.Service) {
			s.ReloadTriggers = []string{"worker_processes 4;"}
			s.Environment = map[string]string{"A": "1"}
		}, unit.Changed},
	}
	classifyEdits(t, orig, tests)
}
