package files

import (
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/machine"
)

func etc(files map[string]EtcFile) func(*fixture) *Config {
	return func(*fixture) *Config { return &Config{Etc: files} }
}

// hooksOf returns the scripts of the hooks of change id in p.
func hooksOf(t *testing.T, p *platform.Plan, id string) []string {
	t.Helper()
	c, ok := changeByID(p.Changes, id)
	if !ok {
		t.Fatalf("no change %s in %q", id, ids(p.Changes))
	}
	var out []string
	for _, h := range c.Hooks {
		if h.Home != "" || h.UID != -1 || h.GID != -1 {
			t.Errorf("%s: hook %+v, want root's (-1 unprivileged), without a home", id, h)
		}
		out = append(out, h.Script)
	}
	return out
}

// TestEtcOnChange: environment.etc.<path>.on_change runs after a switch
// that creates, changes or removes the file (the removed file's recorded
// script), as root, and not when nothing changes; a home file's does not
// run on removal.
func TestEtcOnChange(t *testing.T) {
	conf := func(content string) func(*fixture) *Config {
		return etc(map[string]EtcFile{"sysctl.d/60-gocfg.conf": {Text: ptr(content), OnChange: ptr("sysctl --system")}})
	}
	const id = "file:/etc/sysctl.d/60-gocfg.conf"
	tests := []struct {
		name   string
		before []func(*fixture) *Config // switched to first
		cfg    func(*fixture) *Config
		want   []string // scripts run, nil: none
		empty  bool     // the plan is empty
	}{
		{name: "created", cfg: conf("a=1"), want: []string{"sysctl --system"}},
		{name: "changed", before: []func(*fixture) *Config{conf("a=1")}, cfg: conf("a=2"), want: []string{"sysctl --system"}},
		{name: "unchanged", before: []func(*fixture) *Config{conf("a=1")}, cfg: conf("a=1"), empty: true},
		{name: "removed: the recorded script runs", before: []func(*fixture) *Config{conf("a=1")}, cfg: etc(nil), want: []string{"sysctl --system"}},
		{name: "copy changed", before: []func(*fixture) *Config{etc(map[string]EtcFile{"x": {Text: ptr("1"), Mode: ptr("0600"), OnChange: ptr("echo x")}})},
			cfg: etc(map[string]EtcFile{"x": {Text: ptr("2"), Mode: ptr("0600"), OnChange: ptr("echo x")}}), want: []string{"echo x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t)
			for _, b := range tt.before {
				fx.switchTo(b(fx))
			}
			p, _, err := fx.plan(tt.cfg(fx))
			if err != nil {
				t.Fatal(err)
			}
			if tt.empty {
				if !p.Empty() {
					t.Errorf("plan %q, want none", ids(p.Changes))
				}
				return
			}
			cid := id
			if tt.name == "copy changed" {
				cid = "file:/etc/x"
			}
			if got := hooksOf(t, p, cid); strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("hooks %q, want %q", got, tt.want)
			}
		})
	}

	t.Run("a home file's on_change does not run on removal", func(t *testing.T) {
		fx := newFixture(t)
		fx.switchTo(home(map[string]HomeFile{".zshrc": {Text: ptr("x"), OnChange: ptr("echo changed")}}))
		p, _, err := fx.plan(home(nil))
		if err != nil {
			t.Fatal(err)
		}
		if got := hooksOf(t, p, "file:~alice/.zshrc"); len(got) != 0 {
			t.Errorf("hooks %q, want none", got)
		}
	})
}

// TestEtcCheck: environment.etc.<path>.check runs at plan time on the new
// content (on stdin, %s = /dev/stdin), and a failure is a ConfigError on
// the file's option with the command's output; content already applied
// is not checked again.
func TestEtcCheck(t *testing.T) {
	const opt = `environment.etc."sudoers.d/gocfg"`
	file := func(content, check string) func(*fixture) *Config {
		return etc(map[string]EtcFile{"sudoers.d/gocfg": {Text: ptr(content), Check: ptr(check)}})
	}
	// The check greps its file argument: it reads the content given.
	const grep = `c=$(cat %s); [ "$c" = ok ] || { echo "$c: syntax error" >&2; exit 1; }`
	tests := []struct {
		name   string
		before func(*fixture) *Config
		cfg    func(*fixture) *Config
		err    func(t *testing.T, err error) // nil: the plan succeeds
		hint   string
	}{
		{name: "passes", cfg: file("ok", grep)},
		{name: "fails", cfg: file("broken", grep), err: configError(opt, "fails its check"), hint: "fix the content"},
		{name: "the output is in the message", cfg: file("broken", grep), err: configError(opt, "broken: syntax error")},
		{name: "without %s the content is on stdin", cfg: file("broken", `grep -q '^ok$'`), err: configError(opt, "fails its check")},
		{name: "a source's content", cfg: func(fx *fixture) *Config {
			return &Config{Etc: map[string]EtcFile{"sudoers.d/gocfg": {Source: ptr(fx.source("rules", "broken")), Check: ptr(grep)}}}
		}, err: configError(opt, "broken: syntax error")},
		{name: "unchanged content is not checked again", before: file("ok", grep), cfg: file("ok", "exit 1")},
		{name: "changed content is", before: file("ok", grep), cfg: file("ok2", grep), err: configError(opt, "ok2: syntax error")},
		// Tester BC: sshd's check, a script of 10 lines, was printed
		// whole, and "/dev/stdin line 3" named a line of a file she had
		// never seen.
		{name: "a script is named by its size; the lines its output names are quoted", cfg: file("ok\nbroken\r\nok\n", "x=1\necho '/dev/stdin line 2: bad' >&2; exit 1"),
			err: configError(opt, "fails its check (a script of 2 lines):\n/dev/stdin line 2: bad\nline 2 of the new content: \"broken\"")},
		{name: "file:line: output, each line once, none beyond the content", cfg: file("a\nb\n", "echo '/dev/stdin:1:3: x'; echo '/dev/stdin:1: y'; echo '/dev/stdin:9: z'; exit 1"),
			err: configError(opt, "/dev/stdin:9: z\nline 1 of the new content: \"a\"")},
		{name: "command not found", cfg: file("ok", "no-such-checker-e2e -f %s"), err: configError(opt, "command not found"), hint: "install the program"},
		{name: "no check on a symlink", cfg: etc(map[string]EtcFile{"localtime": {SymlinkTo: ptr("/etc"), Check: ptr("true")}}),
			err: configError(`environment.etc."localtime".check`, "nothing to check")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t)
			if tt.before != nil {
				fx.switchTo(tt.before(fx))
			}
			before := fx.snapshot("/")
			_, _, err := fx.plan(tt.cfg(fx))
			if tt.err == nil {
				if err != nil {
					t.Fatalf("plan: %v", err)
				}
				return
			}
			wantPlanError(t, err, tt.err, tt.hint)
			if d := diffSnapshots(before, fx.snapshot("/")); d != "" {
				t.Errorf("a failed plan changed the machine:\n%s", d)
			}
		})
	}

	t.Run("every failing check is reported", func(t *testing.T) {
		fx := newFixture(t)
		_, _, err := fx.plan(&Config{Etc: map[string]EtcFile{"a": {Text: ptr("x"), Check: ptr("exit 1")}, "b": {Text: ptr("y"), Check: ptr("exit 1")}}})
		if err == nil || !strings.Contains(err.Error(), "/etc/a") || !strings.Contains(err.Error(), "/etc/b") {
			t.Errorf("err = %v, want both files", err)
		}
	})
}

// TestEtcSymlinkTo: environment.etc.<path>.symlink_to links /etc/<path>
// to a fixed machine path that must exist (else the plan fails with close
// names); with force = true what was there is replaced, kept, and put
// back when the option goes.
func TestEtcSymlinkTo(t *testing.T) {
	zone := func(z string, force bool) func(*fixture) *Config {
		return etc(map[string]EtcFile{"localtime": {SymlinkTo: ptr("/usr/share/zoneinfo/" + z), Force: ptr(force)}})
	}
	setup := func(fx *fixture) {
		fx.mkdir("/etc")
		for _, z := range []string{"Europe/Paris", "Europe/Berlin", "Etc/UTC", "America/New_York"} {
			fx.Write("/usr/share/zoneinfo/"+z, "TZif "+z)
		}
	}
	// Not under --root (a privileged run, planned only).
	online := func(l *machine.Machine) { l.Offline, l.Privileged = false, true }
	const id = "file:/etc/localtime"
	runPlanCases(t, []planCase{
		{name: "created", setup: setup, cfg: zone("Europe/Paris", false),
			changes: []wantChange{{id: id, action: platform.Create, ops: []string{"file.link"}}},
			check: func(t *testing.T, fx *fixture, p *platform.Plan) {
				if o := op[*LinkOp](t, p, id); o.Target != "/usr/share/zoneinfo/Europe/Paris" {
					t.Errorf("target %q", o.Target)
				}
			}},
		{name: "what is there stops it without force", setup: func(fx *fixture) { setup(fx); fx.symlink("/usr/share/zoneinfo/Etc/UTC", "/etc/localtime") },
			cfg:       zone("Europe/Paris", false),
			conflicts: []wantConflict{{id: id, problem: "a symlink (→ /usr/share/zoneinfo/Etc/UTC) is in the way", remedies: []string{`set force = true on environment.etc."localtime"`}}}},
		{name: "force replaces it and keeps it", setup: func(fx *fixture) { setup(fx); fx.symlink("/usr/share/zoneinfo/Etc/UTC", "/etc/localtime") },
			cfg:     zone("Europe/Paris", true),
			changes: []wantChange{{id: id, action: platform.Update, note: "kept, and put back", ops: []string{"file.link"}}},
			check: func(t *testing.T, fx *fixture, p *platform.Plan) {
				if r := record(t, p, "/etc/localtime"); r.Original == nil || r.Original.Target != "/usr/share/zoneinfo/Etc/UTC" {
					t.Errorf("original %+v", r.Original)
				}
			}},
		{name: "already the link: adopted", setup: func(fx *fixture) { setup(fx); fx.symlink("/usr/share/zoneinfo/Europe/Paris", "/etc/localtime") },
			cfg: zone("Europe/Paris", false), changes: []wantChange{{id: id, action: platform.Update, note: "adopted"}}},
		{name: "a missing target under --root, its folder missing too, is a note", setup: setup, cfg: zone("Mars/Olympus", false),
			changes: []wantChange{{id: id, action: platform.Create, ops: []string{"file.link"}}},
			notes:   []string{"/usr/share/zoneinfo/Mars/Olympus does not exist in the tree"}},
	})

	errCases := []struct {
		name string
		cfg  func(*fixture) *Config
		err  func(t *testing.T, err error)
		hint string
	}{
		{name: "missing target", cfg: zone("Europe/Pari", false), err: configError(`environment.etc."localtime".symlink_to`, "/usr/share/zoneinfo/Europe/Pari does not exist"),
			hint: "did you mean /usr/share/zoneinfo/Europe/Paris?"},
		{name: "missing folder", cfg: zone("Eurpe/Paris", false), err: configError(`environment.etc."localtime".symlink_to`, "does not exist"),
			hint: "/usr/share/zoneinfo/Europe"},
		{name: "nothing close", cfg: zone("Europe/Xyzzyplugh", false), err: configError(`environment.etc."localtime".symlink_to`, "does not exist"),
			hint: "no name in /usr/share/zoneinfo/Europe is close"},
		{name: "relative", cfg: etc(map[string]EtcFile{"localtime": {SymlinkTo: ptr("zoneinfo/UTC")}}), err: configError(`environment.etc."localtime".symlink_to`, "not a clean absolute path")},
		{name: "with text", cfg: etc(map[string]EtcFile{"localtime": {SymlinkTo: ptr("/etc"), Text: ptr("x")}}), err: configError(`environment.etc."localtime"`, "only one of text, source and symlink_to")},
		{name: "with a mode", cfg: etc(map[string]EtcFile{"localtime": {SymlinkTo: ptr("/etc"), Mode: ptr("0600")}}), err: configError(`environment.etc."localtime"`, "do not apply")},
	}
	t.Run("a missing target in an existing folder under --root is an error", func(t *testing.T) {
		fx := newFixture(t)
		setup(fx)
		_, _, err := fx.plan(zone("Europe/Pari", false)(fx))
		configError(`environment.etc."localtime".symlink_to`, "does not exist")(t, err)
	})
	for _, tt := range errCases {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t)
			setup(fx)
			fx.edit = online
			_, _, err := fx.plan(tt.cfg(fx))
			wantPlanError(t, err, tt.err, tt.hint)
		})
	}

	t.Run("switch, change, let go: the original comes back", func(t *testing.T) {
		fx := newFixture(t)
		setup(fx)
		fx.symlink("/usr/share/zoneinfo/Etc/UTC", "/etc/localtime")
		fx.switchTo(zone("Europe/Paris", true)(fx))
		if got := fx.readlink("/etc/localtime"); got != "/usr/share/zoneinfo/Europe/Paris" {
			t.Errorf("localtime → %q", got)
		}
		if p, _, err := fx.plan(zone("Europe/Paris", true)(fx)); err != nil || !p.Empty() {
			t.Errorf("second plan: %v %q", err, ids(p.Changes))
		}
		fx.switchTo(zone("Europe/Berlin", true)(fx))
		if got := fx.readlink("/etc/localtime"); got != "/usr/share/zoneinfo/Europe/Berlin" {
			t.Errorf("localtime → %q", got)
		}
		p := fx.switchTo(etc(nil)(fx))
		if c, _ := changeByID(p.Changes, id); c.Action != platform.Restore {
			t.Errorf("removal %s, want restore", c.Action)
		}
		if got := fx.readlink("/etc/localtime"); got != "/usr/share/zoneinfo/Etc/UTC" {
			t.Errorf("localtime → %q after letting go, want the original", got)
		}
	})
}
