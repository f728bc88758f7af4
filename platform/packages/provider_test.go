package packages

import (
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/internal/providertest"
	"github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/system"
)

// changeLines shows every change of a part or plan, hidden ones too, with
// its ops described.
var changeLines = providertest.Lines{Describe: true, Hidden: true}

// wantOpposites checks that each install change names its removal as its
// opposite and the reverse, and that no other change names one: a status
// after a switch killed past its removal names the switch, not a hand
// (Interrupted.Attribute).
func wantOpposites(t *testing.T, changes []platform.Change) {
	t.Helper()
	opposite := map[string]string{}
	for _, pair := range [][2]string{{InstallID, RemoveID}, {CaskInstallID, CaskRemoveID}, {TapAddID, TapRemoveID}, {MasInstallID, MasRemoveID}} {
		opposite[pair[0]], opposite[pair[1]] = pair[1], pair[0]
	}
	for _, c := range changes {
		if c.Opposite != opposite[c.ID] {
			t.Errorf("%s: opposite %q, want %q", c.ID, c.Opposite, opposite[c.ID])
		}
	}
}

func TestPlanDecisions(t *testing.T) {
	tests := []struct {
		name      string
		installed []string
		known     []string
		want      []string
		manager   string
		applied   *Records
		changes   []string
		records   string
		err       string
		warning   string
	}{
		{name: "nothing declared", records: `{"packages":[],"installed":[]}`},
		{name: "installed already: nothing to do, not gocfg's", installed: []string{"git"}, want: []string{"git"},
			records: `{"manager":"apt","packages":["git"],"installed":[]}`},
		{name: "missing ones install in one batch", installed: []string{"git"}, known: []string{"hello", "ripgrep", "jq"}, want: []string{"ripgrep", "git", "hello", "jq", "hello"},
			changes: []string{"+ packages:install  → apt: install 3 packages: hello, jq, ripgrep [packages.install apt: install hello, jq, ripgrep]"},
			records: `{"manager":"apt","packages":["git","hello","jq","ripgrep"],"installed":["hello","jq","ripgrep"]}`},
		{name: "an unknown package fails the plan with apt's message", known: []string{"hello"}, want: []string{"hello", "no-such-thing"},
			err: "environment.system_packages: apt cannot install no-such-thing:\n    E: Unable to locate package no-such-thing"},
		{name: "dropped packages gocfg installed are removed; others never", installed: []string{"git", "hello", "vim"}, want: []string{"git"},
			applied: &Records{Manager: "apt", Packages: []string{"git", "hello", "vim"}, Installed: []string{"hello"}},
			changes: []string{"- packages:remove apt: remove 1 package: hello →  [packages.remove apt: remove hello]"},
			records: `{"manager":"apt","packages":["git"],"installed":[]}`},
		{name: "a package gocfg installed and someone removed", installed: []string{"git"}, known: []string{"hello", "jq"}, want: []string{"hello"},
			applied: &Records{Manager: "apt", Packages: []string{"hello", "jq"}, Installed: []string{"hello", "jq"}},
			changes: []string{
				"- packages:remove apt: 1 package: jq →  [] drift: removed by hand already: jq",
				"+ packages:install  → apt: install 1 package: hello [packages.install apt: install hello] drift: removed by hand since gocfg installed them: hello",
			},
			records: `{"manager":"apt","packages":["hello"],"installed":["hello"]}`},
		{name: "still wanted and installed stays gocfg's", installed: []string{"hello"}, want: []string{"hello"},
			applied: &Records{Manager: "apt", Packages: []string{"hello"}, Installed: []string{"hello"}},
			records: `{"manager":"apt","packages":["hello"],"installed":["hello"]}`},
		{name: "another manager's packages are let go", installed: []string{"hello"}, want: []string{"hello"},
			applied: &Records{Manager: "pacman", Packages: []string{"hello"}, Installed: []string{"hello"}},
			records: `{"manager":"apt","packages":["hello"],"installed":[]}`, warning: "changed from pacman to apt"},
		{name: "bad name", want: []string{"-y"}, err: `environment.system_packages: "-y" is not a package name`},
		{name: "every bad name, once, in the order written", want: []string{"-y", "ok", "a b", "-y", ""}, err: `environment.system_packages: "-y", "a b" and "" are not package names`},
		{name: "unknown manager", want: []string{"x"}, manager: "zypper", err: "unknown package manager"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeApt(t, tt.installed, tt.known)
			p := &Provider{Machine: &machine.Machine{Sys: f, Privileged: true, OS: "linux"}, Config: &Config{SystemPackages: tt.want, PackageManager: tt.manager}}
			part, err := p.Plan(context.Background(), providertest.Encode(t, tt.applied))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error = %v, want %q", err, tt.err)
				}
				if got := f.changes(); len(got) > 0 {
					t.Errorf("planning ran %q", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			providertest.EqualLines(t, "changes", changeLines.Of(part.Changes), tt.changes)
			wantOpposites(t, part.Changes)
			if r := string(providertest.Encode(t, part.Records)); r != tt.records {
				t.Errorf("records = %s\nwant      %s", r, tt.records)
			}
			if tt.warning != "" && (len(part.Warnings) != 1 || !strings.Contains(part.Warnings[0], tt.warning)) {
				t.Errorf("warnings = %q", part.Warnings)
			}
			// The packages it installs are a fact for the providers after
			// it (a unit one of them ships).
			var installs []string
			if part.Facts != nil {
				installs = part.Facts.Installs
			}
			if want := installsOf(tt.changes); strings.Join(installs, ", ") != want {
				t.Errorf("facts: installs %q, want %q", installs, want)
			}
			if got := f.changes(); len(got) > 0 {
				t.Errorf("planning ran %q", got)
			}
		})
	}
}

func TestPlanSkipped(t *testing.T) {
	f := newFakeApt(t, nil, []string{"hello"})
	applied := &Records{Manager: "apt", Packages: []string{"hello"}, Installed: []string{"hello"}}
	for _, tt := range []struct {
		layout  *machine.Machine
		manager string
		note    string
		err     string
	}{
		{layout: &machine.Machine{Sys: f, Offline: true, Privileged: true, OS: "linux"}, note: "package installation needs the live machine"},
		{layout: &machine.Machine{Sys: f, OS: "linux"}, note: "needs root; skipped"},
		{layout: &machine.Machine{Sys: f, Privileged: true, OS: "darwin"}, err: "environment.system_packages: Homebrew is not installed: no /opt/homebrew/bin/brew or /usr/local/bin/brew"},
		{layout: &machine.Machine{Sys: f, Privileged: true, OS: "linux"}, manager: "brew", err: "environment.package_manager: Homebrew is used on macOS only"},
		{layout: &machine.Machine{Sys: f, Privileged: true, OS: "darwin"}, manager: "apt", err: "environment.package_manager: apt is a Linux package manager"},
	} {
		part, err := (&Provider{Machine: tt.layout, Config: &Config{SystemPackages: []string{"hello"}, PackageManager: tt.manager}}).Plan(context.Background(), providertest.Encode(t, applied))
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%+v: error %v, want %q", tt.layout, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if len(part.Changes) != 0 || len(part.Notes) != 1 || !strings.Contains(part.Notes[0], tt.note) {
			t.Errorf("%+v %s: changes %+v, notes %q, want %q", tt.layout, tt.manager, part.Changes, part.Notes, tt.note)
		}
		if r := string(providertest.Encode(t, part.Records)); r != `{"manager":"apt","packages":["hello"],"installed":["hello"]}` {
			t.Errorf("skipped plan records %s, want the applied ones", r)
		}
	}
	if got := f.changes(); len(got) > 0 {
		t.Errorf("ran %q", got)
	}
	// Under --dry-run the database is read through Query.
	dry := system.NewDryRun(f)
	part, err := (&Provider{Machine: &machine.Machine{Sys: dry, Privileged: true, OS: "linux"}, Config: &Config{SystemPackages: []string{"hello"}}}).Plan(context.Background(), nil)
	if err != nil || len(part.Changes) != 0 || len(part.Notes) != 1 || !strings.Contains(part.Notes[0], "Machine.Query") {
		t.Errorf("dry run without Query: %v, %+v, %q", err, part.Changes, part.Notes)
	}
	part, err = (&Provider{Machine: &machine.Machine{Sys: dry, Query: f, Privileged: true, OS: "linux"}, Config: &Config{SystemPackages: []string{"hello"}}}).Plan(context.Background(), nil)
	if err != nil || len(part.Changes) != 1 {
		t.Errorf("dry run with Query: %v, %+v", err, part)
	}
	// auto finds no manager on a machine without one.
	empty := newFakeApt(t, nil, nil)
	if err := empty.Remove("/usr/bin/apt-get"); err != nil {
		t.Fatal(err)
	}
	_, err = (&Provider{Machine: &machine.Machine{Sys: empty, Privileged: true, OS: "linux"}, Config: &Config{SystemPackages: []string{"x"}}}).Plan(context.Background(), nil)
	if err == nil || !strings.Contains(err.Error(), "no apt-get, dnf or pacman") {
		t.Errorf("no manager: %v", err)
	}
}

func TestRollbackFromRecords(t *testing.T) {
	f := newFakeApt(t, []string{"hello", "jq"}, []string{"ripgrep"})
	// Generation 1 wanted hello and ripgrep (gocfg installed both); the
	// current one wants jq only, which gocfg installed.
	gen1 := &Records{Manager: "apt", Packages: []string{"hello", "ripgrep"}, Installed: []string{"hello", "ripgrep"}}
	cur := &Records{Manager: "apt", Packages: []string{"hello", "jq"}, Installed: []string{"jq"}}
	part, err := (&Provider{Machine: &machine.Machine{Sys: f, Privileged: true, OS: "linux"}, Records: gen1}).Plan(context.Background(), providertest.Encode(t, cur))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"- packages:remove apt: remove 1 package: jq →  [packages.remove apt: remove jq]",
		"+ packages:install  → apt: install 1 package: ripgrep [packages.install apt: install ripgrep]",
	}
	providertest.EqualLines(t, "changes", changeLines.Of(part.Changes), want)
}

func TestOps(t *testing.T) {
	ctx := context.Background()
	f := newFakeApt(t, []string{"git"}, []string{"hello", "jq"})
	in := &InstallOp{Manager: "apt", Packages: []string{"hello", "jq"}}
	if err := in.Undo(ctx, f); err != nil || len(f.changes()) != 0 {
		t.Fatalf("undo before apply: %v", err)
	}
	if err := in.Apply(ctx, f); err != nil || !f.has("hello") || !f.has("jq") {
		t.Fatalf("install: %v", err)
	}
	if got := f.changes(); !slices.Equal(got, []string{"apt-get install -y --no-install-recommends -- hello jq"}) {
		t.Errorf("ran %q", got)
	}
	if err := in.Undo(ctx, f); err != nil || f.has("hello") || f.has("jq") || !f.has("git") {
		t.Fatalf("undo: %v", err)
	}
	if got := f.changes(); !slices.Equal(got, []string{"apt-get remove -y -- hello jq"}) {
		t.Errorf("undo ran %q", got)
	}
	// Installed by someone since the plan: refused, nothing changed.
	f.installed["jq"] = true
	if err := in.Apply(ctx, f); !errors.Is(err, platform.ErrUnchanged) || len(f.changes()) != 0 {
		t.Errorf("install over a hand install: %v", err)
	}
	delete(f.installed, "jq")

	rm := &RemoveOp{Manager: "apt", Packages: []string{"git"}}
	if err := rm.Undo(ctx, f); err != nil || len(f.changes()) != 0 {
		t.Fatalf("undo before apply: %v", err)
	}
	if err := rm.Apply(ctx, f); err != nil || f.has("git") {
		t.Fatalf("remove: %v", err)
	}
	if err := rm.Undo(ctx, f); err != nil || !f.has("git") {
		t.Fatalf("undo remove: %v", err)
	}
	if got := f.changes(); !slices.Equal(got, []string{"apt-get remove -y -- git", "apt-get install -y --no-install-recommends -- git"}) {
		t.Errorf("ran %q", got)
	}
	// Journal round trip.
	data, _ := json.Marshal(in)
	var back InstallOp
	if err := json.Unmarshal(data, &back); err != nil || !slices.Equal(back.Packages, in.Packages) || back.Manager != "apt" {
		t.Errorf("round trip: %+v, %v", back, err)
	}
	if err := (&InstallOp{Manager: "zypper"}).Apply(ctx, f); err == nil {
		t.Error("an unknown manager in the journal was accepted")
	}
}

// installsOf reads the packages a packages:install change line names.
func installsOf(changes []string) string {
	for _, c := range changes {
		if _, rest, ok := strings.Cut(c, "packages:install  → apt: install "); ok {
			_, names, _ := strings.Cut(rest, ": ")
			names, _, _ = strings.Cut(names, " [")
			return names
		}
	}
	return ""
}

// TestSudoKeptWhileRootLocked: sudo, which gocfg installed and the
// configuration no longer wants, is left installed and forgotten, with a
// note, while root's password is locked: Debian's sudo refuses its
// removal then, and the switch failed on it (tester W). With a root
// password it is removed.
func TestSudoKeptWhileRootLocked(t *testing.T) {
	for _, tc := range []struct {
		shadow string
		kept   bool
	}{
		{"root:*:19000:0:99999:7:::\n", true},
		{"root:!$y$j9T$abc:19000:0:99999:7:::\n", true},
		{"root:$y$j9T$abc:19000:0:99999:7:::\n", false},
		{"", false}, // no /etc/shadow: the removal is tried
	} {
		f := newFakeApt(t, []string{"sudo", "hello"}, nil)
		if tc.shadow != "" {
			if err := os.MkdirAll(f.root+"/etc", 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(f.root+"/etc/shadow", []byte(tc.shadow), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		p := &Provider{Machine: &machine.Machine{Sys: f, Privileged: true, OS: "linux"}, Config: &Config{SystemPackages: []string{"hello"}}}
		part, err := p.Plan(context.Background(), providertest.Encode(t, &Records{Manager: "apt", Packages: []string{"sudo", "hello"}, Installed: []string{"sudo", "hello"}}))
		if err != nil {
			t.Fatal(err)
		}
		removes := false
		for _, ch := range part.Changes {
			removes = removes || ch.ID == RemoveID && len(ch.Ops) > 0
		}
		noted := len(part.Notes) == 1 && strings.Contains(part.Notes[0], "sudo: left installed, and no longer managed by gocfg")
		if tc.kept && (removes || !noted) || !tc.kept && (!removes || noted) {
			t.Errorf("shadow %q: removes %v, notes %q; want kept %v", tc.shadow, removes, part.Notes, tc.kept)
		}
		if tc.kept && !strings.Contains(string(providertest.Encode(t, part.Records)), `"installed":["hello"]`) {
			t.Errorf("shadow %q: records %s, want sudo forgotten", tc.shadow, providertest.Encode(t, part.Records))
		}
	}
}
