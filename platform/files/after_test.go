package files

import (
	"slices"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/internal/providertest"
	"github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/packages"
)

// TestEtcAfterInstalls: when the plan installs packages, the changes of
// /etc files and folders wait for packages:install; home files, and
// every file of a plan that installs nothing, do not.
func TestEtcAfterInstalls(t *testing.T) {
	cfg := func() *Config {
		return &Config{
			Etc:  map[string]EtcFile{"motd": {Text: ptr("hi\n")}, "sudoers.d/gocfg": {Text: ptr("x\n"), Mode: ptr("0440")}},
			Home: map[string]HomeConfig{"alice": {Files: map[string]HomeFile{".zshrc": text("z")}}},
		}
	}
	tests := []struct {
		name     string
		installs []string
		want     map[string]bool // change ID → waits for packages:install
	}{
		{name: "installs", installs: []string{"sudo"},
			want: map[string]bool{"file:/etc/motd": true, "file:/etc/sudoers.d/gocfg": true, "dir:/etc/sudoers.d": true, "file:~alice/.zshrc": false}},
		{name: "nothing to install",
			want: map[string]bool{"file:/etc/motd": false, "file:/etc/sudoers.d/gocfg": false, "dir:/etc/sudoers.d": false, "file:~alice/.zshrc": false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t)
			fx.mkdir("/etc")
			fx.installs = tt.installs
			plan, _, err := fx.plan(cfg())
			if err != nil {
				t.Fatal(err)
			}
			for id, want := range tt.want {
				ch, ok := changeByID(plan.Changes, id)
				if !ok {
					t.Errorf("no change %s in %v", id, ids(plan.Changes))
					continue
				}
				if got := slices.Contains(ch.Deps, packages.InstallID); got != want {
					t.Errorf("%s: deps %v, waits for %s = %v, want %v", id, ch.Deps, packages.InstallID, got, want)
				}
			}
		})
	}
}

// TestEtcAppearedUnderForce: an /etc path absent when the plan was made
// that a package makes before the file's op runs is set aside and kept
// for a file with force = true (link or copy), and put back when the
// option goes; without force, or without packages to install, the op
// refuses it (compare and swap) and the switch is undone.
func TestEtcAppearedUnderForce(t *testing.T) {
	tests := []struct {
		name     string
		file     EtcFile
		installs []string
		takes    bool // the switch takes the path over
	}{
		{name: "link, force", file: EtcFile{Text: ptr("gocfg\n"), Force: ptr(true)}, installs: []string{"locales"}, takes: true},
		{name: "copy, force", file: EtcFile{Text: ptr("gocfg\n"), Force: ptr(true), Mode: ptr("0600")}, installs: []string{"locales"}, takes: true},
		{name: "without force", file: EtcFile{Text: ptr("gocfg\n")}, installs: []string{"locales"}},
		{name: "nothing installed", file: EtcFile{Text: ptr("gocfg\n"), Force: ptr(true)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t)
			fx.mkdir("/etc")
			fx.installs = tt.installs
			plan, l, err := fx.plan(&Config{Etc: map[string]EtcFile{"locale.gen": tt.file}})
			if err != nil {
				t.Fatal(err)
			}
			providertest.NoConflicts(t, plan)
			// The package's postinst, between the plan and the op.
			fx.Write("/etc/locale.gen", "package\n")
			err = fx.applyErr(plan, l.Current, l.To)
			if !tt.takes {
				if err == nil || !strings.Contains(err.Error(), "changed since the plan was made") {
					t.Fatalf("switch: %v, want it refused", err)
				}
				if got := fx.Read("/etc/locale.gen"); got != "package\n" {
					t.Errorf("/etc/locale.gen = %q after the undone switch, want the package's", got)
				}
				if fx.Exists("/etc/locale.gen" + appearedSuffix) {
					t.Error("something was kept aside")
				}
				return
			}
			if err != nil {
				t.Fatalf("switch: %v", err)
			}
			if got := fx.Read("/etc/locale.gen"); got != "gocfg\n" {
				t.Errorf("/etc/locale.gen = %q, want gocfg's", got)
			}
			if got := fx.Read("/etc/locale.gen" + appearedSuffix); got != "package\n" {
				t.Errorf("kept = %q, want the package's", got)
			}
			// The option goes: the package's file is back.
			fx.installs = nil
			fx.switchTo(&Config{})
			if got := fx.Read("/etc/locale.gen"); got != "package\n" {
				t.Errorf("/etc/locale.gen = %q after the option went, want the package's", got)
			}
			if fx.Exists("/etc/locale.gen" + appearedSuffix) {
				t.Error("the kept file is still there")
			}
		})
	}

	t.Run("nothing appeared: nothing kept, nothing put back", func(t *testing.T) {
		fx := newFixture(t)
		fx.mkdir("/etc")
		fx.installs = []string{"locales"}
		fx.switchTo(&Config{Etc: map[string]EtcFile{"locale.gen": {Text: ptr("gocfg\n"), Force: ptr(true)}}})
		if got := fx.Read("/etc/locale.gen"); got != "gocfg\n" {
			t.Errorf("/etc/locale.gen = %q", got)
		}
		fx.installs = nil
		fx.switchTo(&Config{})
		if fx.Exists("/etc/locale.gen") || fx.Exists("/etc/locale.gen"+appearedSuffix) {
			t.Error("a file is left")
		}
	})

	t.Run("undone switch puts the package's file back", func(t *testing.T) {
		fx := newFixture(t)
		fx.mkdir("/etc")
		fx.installs = []string{"locales"}
		plan, l, err := fx.plan(&Config{Etc: map[string]EtcFile{
			"locale.gen": {Text: ptr("gocfg\n"), Force: ptr(true)},
			"motd":       {Text: ptr("gocfg\n")},
		}})
		if err != nil {
			t.Fatal(err)
		}
		fx.Write("/etc/locale.gen", "package\n")
		fx.Write("/etc/motd", "package\n") // no force: refused, the switch undone
		if err := fx.applyErr(plan, l.Current, l.To); err == nil {
			t.Fatal("switch succeeded")
		}
		for _, p := range []string{"/etc/locale.gen", "/etc/motd"} {
			if got := fx.Read(p); got != "package\n" {
				t.Errorf("%s = %q after the undone switch, want the package's", p, got)
			}
		}
		if fx.Exists("/etc/locale.gen" + appearedSuffix) {
			t.Error("the kept file is still there")
		}
	})
}

// TestEtcDeferredCheck: a check whose program is not on the machine fails
// the plan, unless the plan installs packages: then it runs at the switch
// right before the file's write, and a refusal undoes the switch.
func TestEtcDeferredCheck(t *testing.T) {
	const opt = `environment.etc."sudoers.d/gocfg"`
	// The "program" a package brings: a script the test makes between
	// the plan and the switch.
	checker := func(fx *fixture) string { return fx.Host("/usr/local/bin") + "/e2e-visudo-fake" }
	tests := []struct {
		name     string
		content  string
		installs []string
		planErr  string // the plan fails with this
		applyErr string // the switch fails with this
	}{
		{name: "not installed by the plan", content: "ok", planErr: "command not found"},
		{name: "deferred, passes", content: "ok", installs: []string{"sudo"}},
		{name: "deferred, refused", content: "broken", installs: []string{"sudo"}, applyErr: "fails its check"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t)
			fx.mkdir("/etc")
			fx.mkdir("/usr/local/bin")
			fx.installs = tt.installs
			fx.edit = func(m *machine.Machine) { m.Offline, m.Privileged = false, true }
			fx.switchTo(&Config{Etc: map[string]EtcFile{"motd": {Text: ptr("old\n")}}})
			check := checker(fx) + " %s"
			cfg := &Config{Etc: map[string]EtcFile{
				"motd":            {Text: ptr("new\n")},
				"sudoers.d/gocfg": {Text: ptr(tt.content), Mode: ptr("0440"), Check: ptr(check)},
			}}
			plan, l, err := fx.plan(cfg)
			if tt.planErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.planErr) {
					t.Fatalf("plan: %v, want %q", err, tt.planErr)
				}
				configError(opt, tt.planErr)(t, err)
				return
			}
			if err != nil {
				t.Fatalf("plan: %v", err)
			}
			ch, ok := changeByID(plan.Changes, "file:/etc/sudoers.d/gocfg")
			if !ok {
				t.Fatalf("no change for the file: %v; conflicts %v", ids(plan.Changes), plan.Conflicts)
			}
			if ops := opsOf(ch); len(ops) == 0 || ops[0] != "file.check" {
				t.Errorf("ops %v, want file.check first", ops)
			}
			if !strings.Contains(ch.Note, "runs at the switch") {
				t.Errorf("note %q", ch.Note)
			}
			// The package installs the program.
			fx.Write("/usr/local/bin/e2e-visudo-fake", "#!/bin/sh\nc=$(cat \"$1\"); [ \"$c\" = ok ] || { echo \"$c: syntax error\" >&2; exit 1; }\n")
			if err := fx.Real.Chmod(checker(fx), 0o755); err != nil {
				t.Fatal(err)
			}
			before := fx.snapshot("/etc")
			err = fx.applyErr(plan, l.Current, l.To)
			if tt.applyErr == "" {
				if err != nil {
					t.Fatalf("switch: %v", err)
				}
				if got := fx.Read("/etc/sudoers.d/gocfg"); got != tt.content {
					t.Errorf("sudoers = %q", got)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.applyErr) || !strings.Contains(err.Error(), "syntax error") {
				t.Fatalf("switch: %v, want %q", err, tt.applyErr)
			}
			if d := diffSnapshots(before, fx.snapshot("/etc")); d != "" {
				t.Errorf("the refused switch was not undone:\n%s", d)
			}
			if got := fx.Current(); got != l.Current {
				t.Errorf("current generation %d, want %d", got, l.Current)
			}
		})
	}
}

// TestAfterOpsJournal: the check op and an aside for what appears survive
// the journal's JSON encoding.
func TestAfterOpsJournal(t *testing.T) {
	for _, op := range []platform.Op{
		&CheckOp{Path: "/etc/sudoers.d/gocfg", Check: "visudo -c -f %s", Object: "/var/lib/gocfg/x", Hash: "abc"},
		&LinkOp{Path: "/etc/locale.gen", Target: "/t", UID: -1, GID: -1, Aside: &Aside{Path: "/etc/locale.gen.gocfg-orig", Keep: true, IfAppeared: true}},
	} {
		providertest.JournalRoundTrip(t, op)
	}
}
