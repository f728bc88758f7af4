package packages

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/internal/macfake"
	"github.com/gocfg/gocfg/modules"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/internal/providertest"
	"github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/macos"
	"github.com/gocfg/gocfg/platform/system"
)

// brewLine is how the fake logs the start of every brew command, up to
// the brew program.
const brewLine = "/usr/bin/env HOMEBREW_NO_AUTO_UPDATE=1 HOMEBREW_NO_INSTALL_CLEANUP=1 HOMEBREW_NO_ENV_HINTS=1 PATH=/opt/homebrew/bin:/opt/homebrew/sbin:/usr/bin:/bin:/usr/sbin:/sbin /opt/homebrew/bin/brew"

// newMac is a fake Mac with Homebrew (state s) and the user alice (uid
// 501); gocfg runs as self.
func newMac(t *testing.T, self string, s macfake.BrewState) *macfake.Fake {
	t.Helper()
	f := macfake.New(system.NewRooted(t.TempDir(), system.NewReal()), self)
	if err := f.AddUser(macfake.UserRecord{Name: "alice", UID: 501, GID: 20}); err != nil {
		t.Fatal(err)
	}
	if err := f.SeedBrew(s); err != nil {
		t.Fatal(err)
	}
	return f
}

// lookupIn finds users in the fake's directory.
func lookupIn(f *macfake.Fake) func(context.Context, string) (macos.User, error) {
	return func(_ context.Context, name string) (macos.User, error) {
		us, err := f.Users()
		if err != nil {
			return macos.User{}, err
		}
		u, ok := us[name]
		if !ok {
			return macos.User{}, fmt.Errorf("user %s: no such user in the local directory", name)
		}
		return macos.User{Name: u.Name, UID: u.UID, GID: u.GID, Home: u.Home}, nil
	}
}

// rootLayout is gocfg run with sudo on the fake Mac; userLayout as alice.
func rootLayout(f *macfake.Fake) *machine.Machine {
	return &machine.Machine{Sys: f, Privileged: true, OS: "darwin", LookupMac: lookupIn(f)}
}

func userLayout(f *macfake.Fake) *machine.Machine { return &machine.Machine{Sys: f, OS: "darwin"} }

// brewLog returns the commands logged since the last call, brew's long
// prefix shortened to "brew"; changing only keeps the ones that change
// the machine.
func brewLog(t *testing.T, f *macfake.Fake, changing bool) []string {
	t.Helper()
	lines := providertest.TakeLog(t, f)
	var out []string
	for _, l := range lines {
		l = strings.Replace(l, brewLine, "brew", 1)
		if changing {
			_, cmd, _ := strings.Cut(l, "brew ")
			if strings.HasPrefix(cmd, "list") || strings.HasPrefix(cmd, "info") || cmd == "tap" {
				continue
			}
		}
		out = append(out, l)
	}
	return out
}

// planLines shows the plan's changes but the hidden ones, with their ops
// described.
func planLines(p *platform.Plan) []string { return providertest.Lines{Describe: true}.Of(p.Changes) }

func TestBrewPlanDecisions(t *testing.T) {
	tests := []struct {
		name    string
		brew    macfake.BrewState
		cfg     Config
		applied *Records
		changes []string
		records string
		notes   []string
		warning string
		err     string
	}{
		{name: "nothing declared", records: `{"packages":[],"installed":[]}`},
		{name: "missing formulae install in one batch", brew: macfake.BrewState{Formulae: []string{"git"}},
			cfg:     Config{SystemPackages: []string{"wget", "git", "jq", "wget"}},
			changes: []string{"+ packages:install  → brew: install 2 packages: jq, wget [packages.brew-install brew: install jq, wget]"},
			records: `{"manager":"brew","packages":["git","jq","wget"],"installed":["jq","wget"],"brew_user":"alice"}`},
		{name: "installed by hand is adopted, not gocfg's", brew: macfake.BrewState{Formulae: []string{"git", "jq"}, Casks: []string{"firefox"}, Taps: []string{"hashicorp/tap"}},
			cfg:     Config{SystemPackages: []string{"git", "jq"}, Casks: []string{"firefox"}, Taps: []string{"hashicorp/homebrew-tap"}},
			records: `{"manager":"brew","packages":["git","jq"],"installed":[],"casks":{"names":["firefox"],"installed":[]},"taps":{"names":["hashicorp/tap"],"installed":[]},"brew_user":"alice"}`},
		{name: "a tap gocfg added, written another way, stays", brew: macfake.BrewState{Taps: []string{"hashicorp/tap"}},
			cfg:     Config{Taps: []string{"HashiCorp/homebrew-tap"}},
			applied: &Records{Manager: "brew", Packages: []string{}, Installed: []string{}, Taps: &Set{Names: []string{"hashicorp/tap"}, Installed: []string{"hashicorp/tap"}}},
			records: `{"manager":"brew","packages":[],"installed":[],"taps":{"names":["hashicorp/tap"],"installed":["hashicorp/tap"]},"brew_user":"alice"}`},
		{name: "an alias is installed under its formula's name", brew: macfake.BrewState{Formulae: []string{"python@3.12"}},
			cfg:     Config{SystemPackages: []string{"python3"}},
			records: `{"manager":"brew","packages":["python3"],"installed":[],"brew_user":"alice"}`},
		{name: "a missing alias is installed by its formula's name",
			cfg:     Config{SystemPackages: []string{"python3"}},
			changes: []string{"+ packages:install  → brew: install 1 package: python3 [packages.brew-install brew: install python@3.12]"},
			records: `{"manager":"brew","packages":["python3"],"installed":["python3"],"brew_user":"alice"}`},
		{name: "dropped ones gocfg installed are removed; others never", brew: macfake.BrewState{Formulae: []string{"git", "jq", "wget"}, Casks: []string{"firefox", "iterm2"}, Taps: []string{"hashicorp/tap", "oven-sh/bun"}},
			cfg:     Config{SystemPackages: []string{"git"}},
			applied: &Records{Manager: "brew", Packages: []string{"git", "jq", "wget"}, Installed: []string{"jq"}, Casks: &Set{Names: []string{"firefox", "iterm2"}, Installed: []string{"iterm2"}}, Taps: &Set{Names: []string{"hashicorp/tap", "oven-sh/bun"}, Installed: []string{"oven-sh/bun"}}},
			changes: []string{
				"- packages:casks-remove brew: remove 1 cask: iterm2 →  [packages.brew-remove brew: uninstall --cask iterm2]",
				"- packages:remove brew: remove 1 package: jq →  [packages.brew-remove brew: uninstall jq]",
				"- packages:taps-remove brew: remove 1 tap: oven-sh/bun →  [packages.brew-remove brew: untap oven-sh/bun]",
			},
			records: `{"manager":"brew","packages":["git"],"installed":[],"brew_user":"alice"}`},
		{name: "removed by hand since gocfg installed them", brew: macfake.BrewState{},
			cfg:     Config{SystemPackages: []string{"jq"}},
			applied: &Records{Manager: "brew", Packages: []string{"jq", "wget"}, Installed: []string{"jq", "wget"}},
			changes: []string{
				"- packages:remove brew: 1 package: wget →  [] drift: removed by hand already: wget",
				"+ packages:install  → brew: install 1 package: jq [packages.brew-install brew: install jq] drift: removed by hand since gocfg installed them: jq",
			},
			records: `{"manager":"brew","packages":["jq"],"installed":["jq"],"brew_user":"alice"}`},
		{name: "taps come before formulae and casks; a qualified name brings its tap",
			cfg: Config{SystemPackages: []string{"jq", "hashicorp/tap/terraform"}, Casks: []string{"firefox"}, Taps: []string{"oven-sh/bun"}},
			changes: []string{
				"+ packages:taps-add  → brew: add 2 taps: hashicorp/tap, oven-sh/bun [packages.brew-install brew: tap hashicorp/tap, oven-sh/bun]",
				"+ packages:casks-install  → brew: install 1 cask: firefox [packages.brew-install brew: install --cask firefox]",
				"+ packages:install  → brew: install 2 packages: hashicorp/tap/terraform, jq [packages.brew-install brew: install hashicorp/tap/terraform, jq]",
			},
			notes:   []string{"environment.system_packages: hashicorp/tap/terraform is not checked before the switch: its tap hashicorp/tap is added by the switch first"},
			records: `{"manager":"brew","packages":["hashicorp/tap/terraform","jq"],"installed":["hashicorp/tap/terraform","jq"],"casks":{"names":["firefox"],"installed":["firefox"]},"taps":{"names":["hashicorp/tap","oven-sh/bun"],"installed":["hashicorp/tap","oven-sh/bun"]},"brew_user":"alice"}`},
		{name: "a qualified formula installed by hand compares by its last segment", brew: macfake.BrewState{Formulae: []string{"terraform"}, Taps: []string{"hashicorp/tap"}},
			cfg:     Config{SystemPackages: []string{"hashicorp/tap/terraform"}},
			records: `{"manager":"brew","packages":["hashicorp/tap/terraform"],"installed":[],"taps":{"names":["hashicorp/tap"],"installed":[]},"brew_user":"alice"}`},
		{name: "unknown formulae fail the plan with brew's messages", cfg: Config{SystemPackages: []string{"jq", "nosuch", "nope"}},
			err: "environment.system_packages: brew cannot install nope, nosuch:\n    Error: No available formula with the name \"nope\".\n    Error: No available formula with the name \"nosuch\"."},
		{name: "an unknown cask fails the plan with brew's message", cfg: Config{Casks: []string{"firefox", "nosuch"}},
			err: "macos.homebrew.casks: brew cannot install nosuch:\n    Error: Cask 'nosuch' is unavailable: No Cask with this name exists."},
		{name: "bad formula name", cfg: Config{SystemPackages: []string{"user/repo"}}, err: `environment.system_packages: "user/repo" is not a formula name`},
		{name: "bad tap name", cfg: Config{Taps: []string{"hashicorp"}}, err: `macos.homebrew.taps: "hashicorp" is not a tap name`},
		{name: "bad tap names", cfg: Config{Taps: []string{"hashicorp", "a/b", "x/y/z"}}, err: `macos.homebrew.taps: "hashicorp" and "x/y/z" are not tap names`},
		{name: "bad cask name", cfg: Config{Casks: []string{"--force"}}, err: `macos.homebrew.casks: "--force" is not a cask name`},
		{name: "another manager's packages are let go", brew: macfake.BrewState{Formulae: []string{"jq"}},
			cfg:     Config{SystemPackages: []string{"jq"}},
			applied: &Records{Manager: "apt", Packages: []string{"jq"}, Installed: []string{"jq"}},
			records: `{"manager":"brew","packages":["jq"],"installed":[],"brew_user":"alice"}`, warning: "changed from apt to brew"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newMac(t, "root", tt.brew)
			cfg := tt.cfg
			cfg.BrewUser = "alice"
			p, err := platform.MakePlan(context.Background(), platform.Applied{"packages": providertest.Encode(t, tt.applied)}, &Provider{Machine: rootLayout(f), Config: &cfg})
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error = %v\nwant %q", err, tt.err)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if got := brewLog(t, f, true); len(got) > 0 {
				t.Errorf("planning ran %q", got)
			}
			if tt.err != "" {
				return
			}
			providertest.EqualLines(t, "changes", planLines(p), tt.changes)
			wantOpposites(t, p.Changes)
			if r := string(providertest.Encode(t, p.Records["packages"])); r != tt.records {
				t.Errorf("records = %s\nwant      %s", r, tt.records)
			}
			if !slices.Equal(p.Notes, tt.notes) {
				t.Errorf("notes = %q, want %q", p.Notes, tt.notes)
			}
			if tt.warning != "" && (len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0], tt.warning)) {
				t.Errorf("warnings = %q", p.Warnings)
			}
			if tt.warning == "" && len(p.Warnings) > 0 {
				t.Errorf("warnings = %q", p.Warnings)
			}
		})
	}
}

// TestBrewUnknownHint checks the hint an unknown formula gets.
func TestBrewUnknownHint(t *testing.T) {
	f := newMac(t, "alice", macfake.BrewState{})
	_, err := (&Provider{Machine: userLayout(f), Config: &Config{SystemPackages: []string{"nosuch"}}}).Plan(context.Background(), nil)
	var ue *UnknownError
	if !errors.As(err, &ue) || ue.Hint() != "check the name with brew search; nothing was changed" {
		t.Errorf("error %v, hint %q", err, ue.Hint())
	}
}

// TestBrewAsRootAndAsUser checks how brew is run: behind `sudo -u
// <user> -H --` when gocfg runs as root, directly as a user, and never as
// root.
func TestBrewAsRootAndAsUser(t *testing.T) {
	ctx := context.Background()
	cfg := &Config{SystemPackages: []string{"jq"}, BrewUser: "alice"}
	f := newMac(t, "root", macfake.BrewState{})
	p, err := (&Provider{Machine: rootLayout(f), Config: cfg}).Plan(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Changes[0].Ops[0].Apply(ctx, f); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"[alice] /usr/bin/sudo -u alice -H -- brew list --formula -1",
		"[alice] /usr/bin/sudo -u alice -H -- brew info --json=v2 --formula jq",
		"[alice] /usr/bin/sudo -u alice -H -- brew list --formula -1",
		"[alice] /usr/bin/sudo -u alice -H -- brew install --formula jq",
	}
	providertest.EqualLines(t, "as root ran", brewLog(t, f, false), want)

	f = newMac(t, "alice", macfake.BrewState{})
	p, err = (&Provider{Machine: userLayout(f), Config: cfg}).Plan(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Changes[0].Ops[0].Apply(ctx, f); err != nil {
		t.Fatal(err)
	}
	want = []string{"[alice] brew list --formula -1", "[alice] brew info --json=v2 --formula jq", "[alice] brew list --formula -1", "[alice] brew install --formula jq"}
	providertest.EqualLines(t, "as alice ran", brewLog(t, f, false), want)

	// Homebrew refuses root, and so does the plan.
	f = newMac(t, "root", macfake.BrewState{})
	if _, err := (brew{Path: macfake.BrewPath}).ask(ctx, f, "list", "--formula", "-1"); err == nil || !strings.Contains(err.Error(), "Running Homebrew as root is extremely dangerous") {
		t.Errorf("brew as root: %v", err)
	}
	for _, tt := range []struct{ user, err string }{
		{"", "macos.homebrew.user: Homebrew does not run as root, and no other user is set to run brew as"},
		{"root", "macos.homebrew.user: Homebrew does not run as root"},
		{"bob", "macos.homebrew.user: brew runs as bob: user bob: no such user in the local directory"},
	} {
		_, err := (&Provider{Machine: rootLayout(f), Config: &Config{SystemPackages: []string{"jq"}, BrewUser: tt.user}}).Plan(ctx, nil)
		if err == nil || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("user %q: error %v, want %q", tt.user, err, tt.err)
		}
		var ce *platform.ConfigError
		if tt.user != "bob" && (!errors.As(err, &ce) || !strings.Contains(ce.Hint, "who owns /opt/homebrew")) {
			t.Errorf("user %q: hint of %v", tt.user, err)
		}
	}
}

func TestBrewSkippedAndMissing(t *testing.T) {
	ctx := context.Background()
	f := newMac(t, "root", macfake.BrewState{})
	applied := providertest.Encode(t, &Records{Manager: "brew", Packages: []string{"jq"}, Installed: []string{"jq"}, Casks: &Set{Names: []string{"firefox"}, Installed: []string{"firefox"}}})
	cfg := &Config{SystemPackages: []string{"jq"}, Casks: []string{"firefox"}, BrewUser: "alice"}
	for _, tt := range []struct {
		layout *machine.Machine
		note   string
	}{
		{&machine.Machine{Sys: f, Offline: true, Privileged: true, OS: "darwin"}, "environment.system_packages, macos.homebrew.casks: Homebrew needs the live machine; skipped under --root"},
		{&machine.Machine{Sys: system.NewDryRun(f), Privileged: true, OS: "darwin"}, "Machine.Query is not set"},
	} {
		part, err := (&Provider{Machine: tt.layout, Config: cfg}).Plan(ctx, applied)
		if err != nil {
			t.Fatal(err)
		}
		if len(part.Changes) != 0 || len(part.Notes) != 1 || !strings.Contains(part.Notes[0], tt.note) {
			t.Errorf("changes %+v, notes %q, want %q", part.Changes, part.Notes, tt.note)
		}
		if string(providertest.Encode(t, part.Records)) != string(applied) {
			t.Errorf("skipped plan records %s, want the applied ones", providertest.Encode(t, part.Records))
		}
	}
	if got := brewLog(t, f, false); len(got) > 0 {
		t.Errorf("ran %q", got)
	}
	// Under --dry-run, brew is asked through Query.
	part, err := (&Provider{Machine: &machine.Machine{Sys: system.NewDryRun(f), Query: f, Privileged: true, OS: "darwin", LookupMac: lookupIn(f)}, Config: cfg}).Plan(ctx, applied)
	if err != nil || len(part.Changes) != 2 {
		t.Errorf("dry run with Query: %v, %+v", err, part)
	}

	// No Homebrew: an error with a hint when something is wanted ...
	if err := f.Remove(macfake.BrewPath); err != nil {
		t.Fatal(err)
	}
	_, err = (&Provider{Machine: rootLayout(f), Config: &Config{Casks: []string{"firefox"}, BrewUser: "alice"}}).Plan(ctx, nil)
	var ce *platform.ConfigError
	if !errors.As(err, &ce) || ce.Option != "macos.homebrew.casks" || !strings.Contains(ce.Msg, "Homebrew is not installed") || !strings.Contains(ce.Hint, "https://brew.sh") {
		t.Errorf("no brew: %v", err)
	}
	// ... and forgetting what gocfg installed with it when nothing is.
	part, err = (&Provider{Machine: rootLayout(f), Config: &Config{BrewUser: "alice"}}).Plan(ctx, applied)
	if err != nil {
		t.Fatal(err)
	}
	if len(part.Changes) != 2 || !part.Changes[0].Hidden || part.Changes[0].ID != RemoveID || part.Changes[1].ID != CaskRemoveID ||
		len(part.Warnings) != 1 || !strings.Contains(part.Warnings[0], "forgets what it installed with it: jq, firefox") {
		t.Errorf("brew gone: %+v, %q", part.Changes, part.Warnings)
	}
	if r := string(providertest.Encode(t, part.Records)); r != `{"manager":"brew","packages":[],"installed":[],"brew_user":"alice"}` {
		t.Errorf("brew gone: records %s", r)
	}

	// Homebrew is for macOS.
	fa := newFakeApt(t, nil, []string{"hello"})
	_, err = (&Provider{Machine: &machine.Machine{Sys: fa, Privileged: true, OS: "linux"}, Config: &Config{SystemPackages: []string{"hello"}, PackageManager: "brew"}}).Plan(ctx, nil)
	if !errors.As(err, &ce) || ce.Option != "environment.package_manager" || !strings.Contains(ce.Msg, "macOS only") {
		t.Errorf("brew on linux: %v", err)
	}
	part, err = (&Provider{Machine: &machine.Machine{Sys: fa, Privileged: true, OS: "linux"}, Config: &Config{SystemPackages: []string{"hello"}, Casks: []string{"firefox"}}}).Plan(ctx, nil)
	if err != nil || len(part.Changes) != 1 || len(part.Notes) != 1 || !strings.Contains(part.Notes[0], "ignored on linux") {
		t.Errorf("casks on linux: %v, %+v", err, part)
	}
}

// brewRig switches the provider on the fake Mac through the engine, with
// generations in a state folder inside the fake (sw).
type brewRig struct {
	t  *testing.T
	f  *macfake.Fake
	sw *providertest.Switcher
}

func newBrewRig(t *testing.T, s macfake.BrewState) *brewRig {
	f := newMac(t, "root", s)
	if err := f.MkdirAll("/var/lib/gocfg", 0o700); err != nil {
		t.Fatal(err)
	}
	return &brewRig{t: t, f: f, sw: &providertest.Switcher{T: t, Sys: f, Store: generations.New(f, "/var/lib/gocfg"), Host: "mbp"}}
}

func (r *brewRig) current() int { return r.sw.Current() }

func (r *brewRig) plan(p *Provider) *platform.Plan {
	r.t.Helper()
	return r.sw.Plan(p)
}

// switchTo plans cfg and applies it as a new generation.
func (r *brewRig) switchTo(cfg *Config) (*platform.Plan, error) {
	r.t.Helper()
	cfg.BrewUser = "alice"
	p := r.plan(&Provider{Machine: rootLayout(r.f), Config: cfg})
	_, err := r.sw.Run(r.sw.SwitchNext(p))
	return p, err
}

// rollback makes generation n current again, desired from its records.
func (r *brewRig) rollback(n int) *platform.Plan {
	r.t.Helper()
	recs, err := DecodeRecords(r.sw.Records(n, "packages"))
	if err != nil {
		r.t.Fatal(err)
	}
	p := r.plan(&Provider{Machine: rootLayout(r.f), Records: recs})
	if _, err := r.sw.Run(r.sw.Rollback(p, n)); err != nil {
		r.t.Fatalf("rollback: %v", err)
	}
	return p
}

func (r *brewRig) state() macfake.BrewState {
	r.t.Helper()
	s, err := r.f.Brew()
	if err != nil {
		r.t.Fatal(err)
	}
	return s
}

func (r *brewRig) wantState(formulae, casks, taps []string) {
	r.t.Helper()
	s := r.state()
	if !slices.Equal(s.Formulae, formulae) || !slices.Equal(s.Casks, casks) || !slices.Equal(s.Taps, taps) {
		r.t.Errorf("brew has formulae %q, casks %q, taps %q; want %q, %q, %q", s.Formulae, s.Casks, s.Taps, formulae, casks, taps)
	}
}

// TestBrewSwitch switches, plans again (nothing), drops things, rolls
// back, and undoes a switch that failed halfway.
func TestBrewSwitch(t *testing.T) {
	r := newBrewRig(t, macfake.BrewState{Formulae: []string{"git"}, Casks: []string{"iterm2"}})
	cfg1 := func() *Config {
		return &Config{SystemPackages: []string{"git", "jq", "hashicorp/tap/terraform"}, Casks: []string{"firefox", "iterm2"}, Taps: []string{"oven-sh/bun"}}
	}
	if _, err := r.switchTo(cfg1()); err != nil {
		t.Fatal(err)
	}
	sudo := "[alice] /usr/bin/sudo -u alice -H -- brew "
	want := []string{sudo + "tap hashicorp/tap", sudo + "tap oven-sh/bun", sudo + "install --cask firefox", sudo + "install --formula hashicorp/tap/terraform jq"}
	providertest.EqualLines(t, "switch 1 ran", brewLog(t, r.f, true), want)
	r.wantState([]string{"git", "jq", "terraform"}, []string{"firefox", "iterm2"}, []string{"hashicorp/tap", "oven-sh/bun"})
	if r.current() != 1 {
		t.Fatalf("current = %d", r.current())
	}

	// The same configuration again: nothing to do, only reads.
	cfg := cfg1()
	cfg.BrewUser = "alice"
	if p := r.plan(&Provider{Machine: rootLayout(r.f), Config: cfg}); !p.Empty() || len(p.Notes) > 0 {
		t.Errorf("second plan: %q, notes %q", planLines(p), p.Notes)
	}
	want = []string{sudo + "tap", sudo + "list --formula -1", sudo + "list --cask -1"}
	providertest.EqualLines(t, "second plan ran", brewLog(t, r.f, false), want)

	// Dropping everything removes what gocfg installed, formulae and
	// casks before their taps; git and iterm2 were there before.
	if _, err := r.switchTo(&Config{}); err != nil {
		t.Fatal(err)
	}
	want = []string{sudo + "uninstall --cask firefox", sudo + "uninstall --formula hashicorp/tap/terraform jq", sudo + "untap hashicorp/tap", sudo + "untap oven-sh/bun"}
	providertest.EqualLines(t, "switch 2 ran", brewLog(t, r.f, true), want)
	r.wantState([]string{"git"}, []string{"iterm2"}, []string{})

	// Rolling back to generation 1 installs them again.
	r.rollback(1)
	r.wantState([]string{"git", "jq", "terraform"}, []string{"firefox", "iterm2"}, []string{"hashicorp/tap", "oven-sh/bun"})
	brewLog(t, r.f, true)
	if r.current() != 1 {
		t.Fatalf("current = %d", r.current())
	}

	// A switch whose cask install fails is undone: the tap and formula
	// it added are removed again.
	s := r.state()
	s.Available.Casks = append(s.Available.Casks, "broken")
	if err := r.f.SeedBrew(s); err != nil {
		t.Fatal(err)
	}
	cfg = cfg1()
	cfg.BrewUser = "alice"
	cfg.SystemPackages = append(cfg.SystemPackages, "wget")
	cfg.Casks = append(cfg.Casks, "broken")
	cfg.Taps = append(cfg.Taps, "oven-sh/bun", "hashicorp/tap")
	p := r.plan(&Provider{Machine: rootLayout(r.f), Config: cfg})
	s.Available.Casks = slices.DeleteFunc(s.Available.Casks, func(c string) bool { return c == "broken" })
	if err := r.f.SeedBrew(s); err != nil {
		t.Fatal(err)
	}
	brewLog(t, r.f, true)
	_, err := r.sw.Engine().Switch(context.Background(), platform.Switch{From: 1, To: 3, Plan: p, Command: "switch",
		Generation: &generations.NewGeneration{Meta: generations.Meta{Number: 3, Time: time.Now(), Version: "test"}, Config: []byte("{}"), Resources: []byte(`{"version":1,"records":{}}`)}})
	var ae *platform.ApplyError
	if !errors.As(err, &ae) || !strings.Contains(err.Error(), "Error: Cask 'broken' is unavailable") || len(ae.UndoErrs) > 0 {
		t.Fatalf("failed switch: %v", err)
	}
	// The cask install comes before the formulae's (ID order): only it ran.
	want = []string{sudo + "install --cask broken"}
	providertest.EqualLines(t, "failed switch ran", brewLog(t, r.f, true), want)
	r.wantState([]string{"git", "jq", "terraform"}, []string{"firefox", "iterm2"}, []string{"hashicorp/tap", "oven-sh/bun"})
}

// TestBrewSwitchUndone checks that the engine undoes taps and formulae
// when a later op fails.
func TestBrewSwitchUndone(t *testing.T) {
	r := newBrewRig(t, macfake.BrewState{})
	cfg := &Config{SystemPackages: []string{"jq"}, Casks: []string{"firefox"}, Taps: []string{"oven-sh/bun"}, BrewUser: "alice"}
	p := r.plan(&Provider{Machine: rootLayout(r.f), Config: cfg})
	// Someone installs firefox by hand before the switch: the cask op
	// refuses, and the tap added before it is removed again.
	s := r.state()
	s.Casks = []string{"firefox"}
	if err := r.f.SeedBrew(s); err != nil {
		t.Fatal(err)
	}
	brewLog(t, r.f, true)
	_, err := r.sw.Engine().Switch(context.Background(), platform.Switch{From: 0, To: 1, Plan: p, Command: "switch",
		Generation: &generations.NewGeneration{Meta: generations.Meta{Number: 1, Time: time.Now(), Version: "test"}, Config: []byte("{}"), Resources: []byte(`{"version":1,"records":{}}`)}})
	if !errors.Is(err, platform.ErrUnchanged) || !strings.Contains(err.Error(), "firefox: installed since the plan was made") {
		t.Fatalf("switch: %v", err)
	}
	sudo := "[alice] /usr/bin/sudo -u alice -H -- brew "
	want := []string{sudo + "tap oven-sh/bun", sudo + "untap oven-sh/bun"}
	providertest.EqualLines(t, "ran", brewLog(t, r.f, true), want)
	r.wantState([]string{}, []string{"firefox"}, []string{})
}

func TestBrewOps(t *testing.T) {
	ctx := context.Background()
	f := newMac(t, "alice", macfake.BrewState{Formulae: []string{"git"}})
	brewOpsFormulae(ctx, t, f)
	brewOpsTaps(ctx, t, f)
	brewOpsCask(ctx, t, f)
	brewOpsJournal(ctx, t, f)
}

// brewHas reports whether the fake Mac's brew has n of the kind.
func brewHas(t *testing.T, f *macfake.Fake, kind, n string) bool {
	t.Helper()
	s, err := f.Brew()
	if err != nil {
		t.Fatal(err)
	}
	l := map[string][]string{kindFormula: s.Formulae, kindCask: s.Casks, kindTap: s.Taps}[kind]
	return slices.Contains(l, n)
}

// brewOpsFormulae: TestBrewOps's install of formulae, its undo, a partial
// undo, and an install refused over a hand install.
func brewOpsFormulae(ctx context.Context, t *testing.T, f *macfake.Fake) {
	in := &BrewInstallOp{Kind: kindFormula, Names: []string{"jq", "wget"}, Brew: macfake.BrewPath}
	if err := in.Undo(ctx, f); err != nil || len(brewLog(t, f, true)) != 0 {
		t.Fatalf("undo before apply: %v", err)
	}
	if err := in.Apply(ctx, f); err != nil || !brewHas(t, f, kindFormula, "jq") || !brewHas(t, f, kindFormula, "wget") {
		t.Fatalf("install: %v", err)
	}
	if err := in.Undo(ctx, f); err != nil || brewHas(t, f, kindFormula, "jq") || brewHas(t, f, kindFormula, "wget") || !brewHas(t, f, kindFormula, "git") {
		t.Fatalf("undo: %v", err)
	}
	if got := brewLog(t, f, true); !slices.Equal(got, []string{"[alice] brew install --formula jq wget", "[alice] brew uninstall --formula jq wget"}) {
		t.Errorf("ran %q", got)
	}
	// Partly applied: only what is there is undone.
	if _, err := f.Run(ctx, (brew{Path: macfake.BrewPath}).install(kindFormula, []string{"jq"})); err != nil {
		t.Fatal(err)
	}
	brewLog(t, f, true)
	if err := in.Undo(ctx, f); err != nil || brewHas(t, f, kindFormula, "jq") {
		t.Fatalf("undo of a partial install: %v", err)
	}
	if got := brewLog(t, f, true); !slices.Equal(got, []string{"[alice] brew uninstall --formula jq"}) {
		t.Errorf("ran %q", got)
	}
	// Installed by someone since the plan: refused, nothing changed.
	if _, err := f.Run(ctx, (brew{Path: macfake.BrewPath}).install(kindFormula, []string{"wget"})); err != nil {
		t.Fatal(err)
	}
	brewLog(t, f, true)
	if err := in.Apply(ctx, f); !errors.Is(err, platform.ErrUnchanged) || len(brewLog(t, f, true)) != 0 {
		t.Errorf("install over a hand install: %v", err)
	}
}

// brewOpsTaps: TestBrewOps's taps, one command each; their undo.
func brewOpsTaps(ctx context.Context, t *testing.T, f *macfake.Fake) {
	tap := &BrewInstallOp{Kind: kindTap, Names: []string{"hashicorp/tap", "oven-sh/bun"}, Brew: macfake.BrewPath}
	if err := tap.Apply(ctx, f); err != nil || !brewHas(t, f, kindTap, "hashicorp/tap") || !brewHas(t, f, kindTap, "oven-sh/bun") {
		t.Fatalf("tap: %v", err)
	}
	if err := tap.Undo(ctx, f); err != nil || brewHas(t, f, kindTap, "hashicorp/tap") {
		t.Fatalf("untap: %v", err)
	}
	if got := brewLog(t, f, true); !slices.Equal(got, []string{"[alice] brew tap hashicorp/tap", "[alice] brew tap oven-sh/bun", "[alice] brew untap hashicorp/tap", "[alice] brew untap oven-sh/bun"}) {
		t.Errorf("ran %q", got)
	}
	// A tap that does not exist fails with git's message.
	bad := &BrewInstallOp{Kind: kindTap, Names: []string{"nobody/nothing"}, Brew: macfake.BrewPath}
	if err := bad.Apply(ctx, f); err == nil || !strings.Contains(err.Error(), "brew: tap nobody/nothing") || !strings.Contains(err.Error(), "exited with 128") {
		t.Errorf("unknown tap: %v", err)
	}
}

// brewOpsCask: TestBrewOps removing a cask and undoing it.
func brewOpsCask(ctx context.Context, t *testing.T, f *macfake.Fake) {
	cask := &BrewInstallOp{Kind: kindCask, Names: []string{"firefox"}, Brew: macfake.BrewPath}
	if err := cask.Apply(ctx, f); err != nil || !brewHas(t, f, kindCask, "firefox") {
		t.Fatalf("cask: %v", err)
	}
	rm := &BrewRemoveOp{Kind: kindCask, Names: []string{"firefox"}, Brew: macfake.BrewPath}
	if err := rm.Apply(ctx, f); err != nil || brewHas(t, f, kindCask, "firefox") {
		t.Fatalf("remove cask: %v", err)
	}
	if err := rm.Apply(ctx, f); err != nil {
		t.Fatalf("remove cask twice: %v", err)
	}
	if err := rm.Undo(ctx, f); err != nil || !brewHas(t, f, kindCask, "firefox") {
		t.Fatalf("undo remove cask: %v", err)
	}
	if got := brewLog(t, f, true); !slices.Equal(got, []string{"[alice] brew tap nobody/nothing", "[alice] brew install --cask firefox", "[alice] brew uninstall --cask firefox", "[alice] brew install --cask firefox"}) {
		t.Errorf("ran %q", got)
	}
}

// brewOpsJournal: TestBrewOps's journal round trip, and what a journal
// must not hold.
func brewOpsJournal(ctx context.Context, t *testing.T, f *macfake.Fake) {
	data, _ := json.Marshal(&BrewRemoveOp{Kind: kindCask, Names: []string{"firefox"}, Brew: macfake.BrewPath, User: "alice"})
	var back BrewRemoveOp
	if err := json.Unmarshal(data, &back); err != nil || back.Kind != kindCask || back.User != "alice" || back.Brew != macfake.BrewPath || !slices.Equal(back.Names, []string{"firefox"}) {
		t.Errorf("round trip: %+v, %v", back, err)
	}
	if !slices.Contains(platform.OpTypes(), "packages.brew-install") || !slices.Contains(platform.OpTypes(), "packages.brew-remove") {
		t.Error("brew ops are not registered")
	}
	if err := (&BrewInstallOp{Kind: "bottle", Brew: macfake.BrewPath}).Apply(ctx, f); err == nil {
		t.Error("an unknown kind in the journal was accepted")
	}
}

func TestParseBrewInfo(t *testing.T) {
	out := `Warning: Treating python3 as a formula.
{
  "formulae": [
    {"name": "python@3.12", "full_name": "python@3.12", "aliases": ["python3"], "oldnames": [], "installed": [{"version": "3.12.4"}]},
    {"name": "terraform", "full_name": "hashicorp/tap/terraform", "aliases": [], "oldnames": [], "installed": []}
  ],
  "casks": []
}
`
	got, err := parseBrewInfo([]byte(out), kindFormula, []string{"python3", "hashicorp/tap/terraform"})
	if err != nil || got["python3"] != (brewItem{"python@3.12", true}) || got["hashicorp/tap/terraform"] != (brewItem{"hashicorp/tap/terraform", false}) {
		t.Errorf("formulae: %v, %v", got, err)
	}
	out = `{"formulae": [], "casks": [{"token": "firefox", "full_token": "firefox", "old_tokens": [], "installed": "128.0"}, {"token": "iterm2", "full_token": "iterm2", "installed": null}]}`
	got, err = parseBrewInfo([]byte(out), kindCask, []string{"firefox", "iterm2"})
	if err != nil || got["firefox"] != (brewItem{"firefox", true}) || got["iterm2"] != (brewItem{"iterm2", false}) {
		t.Errorf("casks: %v, %v", got, err)
	}
	if _, err := parseBrewInfo([]byte("Error: oops"), kindCask, []string{"x"}); err == nil {
		t.Error("no JSON was accepted")
	}
	if got := parseLines([]byte("Warning: something\ngit\n\njq\n")); !slices.Equal(got, []string{"git", "jq"}) {
		t.Errorf("lines %q", got)
	}
}

func TestBrewCommand(t *testing.T) {
	c := (brew{Path: "/usr/local/bin/brew", User: "alice"}).install(kindCask, []string{"firefox"})
	want := "/usr/bin/sudo -u alice -H -- /usr/bin/env HOMEBREW_NO_AUTO_UPDATE=1 HOMEBREW_NO_INSTALL_CLEANUP=1 HOMEBREW_NO_ENV_HINTS=1 PATH=/usr/local/bin:/usr/local/sbin:/usr/bin:/bin:/usr/sbin:/sbin /usr/local/bin/brew install --cask firefox"
	if got := c.Path + " " + strings.Join(c.Args, " "); got != want || c.Dir != "/" || c.UID != -1 || c.GID != -1 || c.Env != nil {
		t.Errorf("command %+v\nwant %s", c, want)
	}
	c = (brew{Path: "/opt/homebrew/bin/brew"}).remove(kindTap, []string{"hashicorp/tap"})
	if c.Path != "/usr/bin/env" || c.Args[len(c.Args)-2] != "untap" || c.Dir != "/" {
		t.Errorf("command %+v", c)
	}
}

// TestBrewMacOSLaptop plans examples/macos-laptop's packages against the
// fake Mac: every formula is one brew knows, installed in one batch,
// and a switch leaves nothing to do.
func TestBrewMacOSLaptop(t *testing.T) {
	ev, diags := modules.Load(modules.Options{Entry: filepath.Join("..", "..", "examples", "macos-laptop", "hosts", "mbp.hcl"),
		Host: modules.Host{OS: "darwin", Arch: "arm64", Name: "mbp", User: "alice"}})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	js, diags := ev.JSON("")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	cfg, err := ConfigFromJSON(js)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.PackageManager != "brew" || cfg.BrewUser != "alice" || !slices.Contains(cfg.SystemPackages, "pam-reattach") {
		t.Fatalf("config %+v", cfg)
	}
	r := newBrewRig(t, macfake.BrewState{})
	p, err := r.switchTo(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got := planLines(p); len(got) != 1 || !strings.HasPrefix(got[0], "+ packages:install  → brew: install ") {
		t.Errorf("plan %q", got)
	}
	if got := r.state().Formulae; len(got) != len(cfg.SystemPackages) {
		t.Errorf("installed %q, want %q", got, cfg.SystemPackages)
	}
	if p := r.plan(&Provider{Machine: rootLayout(r.f), Config: cfg}); !p.Empty() {
		t.Errorf("plan after the switch: %q", planLines(p))
	}
}
