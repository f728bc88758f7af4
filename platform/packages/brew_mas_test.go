package packages

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/internal/macfake"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/internal/providertest"
)

// TestBrewMas plans and applies macos.homebrew.mas_apps on the fake Mac.
func TestBrewMas(t *testing.T) {
	tests := []struct {
		name      string
		formulae  []string
		installed []macfake.MasApp
		apps      map[string]int
		applied   *Records
		cleanup   string
		changes   []string
		notes     []string
		ran       []string
		after     []int
		// mine are the ids the records say gocfg installed.
		mine []int
	}{
		{name: "mas is added and installed first; the apps after it", apps: map[string]int{"Xcode": 497799835},
			changes: []string{
				"+ packages:install  → brew: install 1 package: mas [packages.brew-install brew: install mas]",
				"+ packages:mas-install  → mas: install Xcode (497799835) [packages.mas-install mas: install 497799835]",
			},
			notes: []string{"macos.homebrew.mas_apps: not checked before the switch: mas is installed by the switch first"},
			ran:   []string{"[alice] brew install --formula mas", "[alice] mas install 497799835"},
			after: []int{497799835}, mine: []int{497799835}},
		{name: "installed apps are left as they are", formulae: []string{"mas"}, installed: []macfake.MasApp{{ID: 497799835, Name: "Xcode"}},
			apps:    map[string]int{"Xcode": 497799835, "Things": 904280696},
			changes: []string{"+ packages:mas-install  → mas: install Things (904280696) [packages.mas-install mas: install 904280696]"},
			ran:     []string{"[alice] mas install 904280696"},
			after:   []int{497799835, 904280696}, mine: []int{904280696}},
		{name: "a dropped app gocfg installed stays without cleanup", formulae: []string{"mas"}, installed: []macfake.MasApp{{ID: 904280696, Name: "Things 3"}},
			applied: &Records{Manager: "brew", Packages: []string{"mas"}, Installed: []string{}, Mas: &MasSet{Apps: map[string]int{"Things": 904280696}, Installed: []int{904280696}}},
			notes:   []string{"macos.homebrew.mas_apps: App Store apps 904280696 are no longer declared; left installed (set macos.homebrew.cleanup to remove them)"},
			after:   []int{904280696}},
		{name: "with cleanup it is uninstalled as root; never one installed by hand", formulae: []string{"mas"}, cleanup: "uninstall",
			installed: []macfake.MasApp{{ID: 904280696, Name: "Things 3"}, {ID: 409183694, Name: "Keynote"}},
			applied:   &Records{Manager: "brew", Packages: []string{"mas"}, Installed: []string{}, Mas: &MasSet{Apps: map[string]int{"Things": 904280696}, Installed: []int{904280696}}},
			changes:   []string{"- packages:mas-remove mas: uninstall 904280696 (installed by gocfg, no longer declared) →  [packages.mas-remove mas: uninstall 904280696]"},
			ran:       []string{"[root] mas uninstall 904280696"},
			after:     []int{409183694}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			f := newMac(t, "root", macfake.BrewState{Formulae: tt.formulae})
			if err := f.SeedMas(macfake.MasState{Installed: tt.installed}); err != nil {
				t.Fatal(err)
			}
			cfg := &Config{SystemPackages: []string{"mas"}, MasApps: tt.apps, BrewUser: "alice", Cleanup: tt.cleanup}
			if tt.apps != nil {
				cfg.SystemPackages = nil
			}
			p, err := platform.MakePlan(ctx, platform.Applied{"packages": providertest.Encode(t, tt.applied)}, &Provider{Machine: rootLayout(f), Config: cfg})
			if err != nil {
				t.Fatal(err)
			}
			providertest.EqualLines(t, "changes", planLines(p), tt.changes)
			wantOpposites(t, p.Changes)
			var mine []int
			if m := p.Records["packages"].(*Records).Mas; m != nil {
				mine = m.Installed
			}
			if !slices.Equal(mine, tt.mine) {
				t.Errorf("records: gocfg installed %v, want %v", mine, tt.mine)
			}
			if !slices.Equal(p.Notes, tt.notes) {
				t.Errorf("notes = %q\nwant %q", p.Notes, tt.notes)
			}
			if got := masChanging(t, f); len(got) > 0 {
				t.Errorf("planning ran %q", got)
			}
			for _, c := range p.Changes {
				for _, op := range c.Ops {
					if err := op.Apply(ctx, f); err != nil {
						t.Fatal(err)
					}
				}
			}
			providertest.EqualLines(t, "commands", masChanging(t, f), tt.ran)
			s, err := f.Mas()
			if err != nil {
				t.Fatal(err)
			}
			var ids []int
			for _, a := range s.Installed {
				ids = append(ids, a.ID)
			}
			if !slices.Equal(ids, tt.after) {
				t.Errorf("installed = %v, want %v", ids, tt.after)
			}
		})
	}
}

// masChanging shortens the log to the commands that change the Mac:
// "[user] brew ..." or "[user] mas ...".
func masChanging(t *testing.T, f *macfake.Fake) []string {
	var out []string
	for _, l := range brewLog(t, f, true) {
		l = strings.Replace(l, "/usr/bin/sudo -u alice -H -- ", "", 1)
		l = strings.Replace(l, strings.Replace(brewLine, "/opt/homebrew/bin/brew", "/opt/homebrew/bin/mas", 1), "mas", 1)
		if strings.Contains(l, "mas list") || strings.Contains(l, "brew leaves") {
			continue
		}
		out = append(out, l)
	}
	return out
}
