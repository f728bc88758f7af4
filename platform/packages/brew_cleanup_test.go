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

// TestBrewCleanup switches macos.homebrew.cleanup on the fake Mac: the
// plan lists the removals, the switch runs them, and undoing the ops
// installs them again.
func TestBrewCleanup(t *testing.T) {
	mac := macfake.BrewState{Formulae: []string{"git", "jq", "wget", "python@3.12", "pcre2"}, Dependencies: []string{"pcre2"},
		Casks: []string{"firefox", "iterm2"}}
	tests := []struct {
		name    string
		cleanup string
		changes []string
		ran     []string
		left    []string
		zapped  []string
	}{
		{name: "none leaves them", cleanup: "none", left: []string{"firefox", "git", "iterm2", "jq", "pcre2", "python@3.12", "wget"}},
		{name: "unset leaves them", left: []string{"firefox", "git", "iterm2", "jq", "pcre2", "python@3.12", "wget"}},
		{name: "uninstall: never a dependency, never a wanted alias", cleanup: "uninstall",
			changes: []string{
				"- packages:cleanup-casks brew: uninstall 1 cask not in the configuration: iterm2 →  [packages.brew-remove brew: uninstall --cask iterm2]",
				"- packages:cleanup-formulae brew: uninstall 2 formulae not in the configuration: jq, wget →  [packages.brew-remove brew: uninstall jq, wget]",
			},
			ran:  []string{"[alice] sudo -u alice -H -- brew uninstall --cask iterm2", "[alice] sudo -u alice -H -- brew uninstall --formula jq wget"},
			left: []string{"firefox", "git", "pcre2", "python@3.12"}},
		{name: "zap removes the casks' files", cleanup: "zap",
			changes: []string{
				"- packages:cleanup-casks brew: zap (uninstall with their files) 1 cask not in the configuration: iterm2 →  [packages.brew-remove brew: uninstall --cask --zap iterm2]",
				"- packages:cleanup-formulae brew: uninstall 2 formulae not in the configuration: jq, wget →  [packages.brew-remove brew: uninstall jq, wget]",
			},
			ran:    []string{"[alice] sudo -u alice -H -- brew uninstall --cask --zap iterm2", "[alice] sudo -u alice -H -- brew uninstall --formula jq wget"},
			left:   []string{"firefox", "git", "pcre2", "python@3.12"},
			zapped: []string{"iterm2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			f := newMac(t, "root", mac)
			cfg := &Config{SystemPackages: []string{"git", "python3"}, Casks: []string{"firefox"}, BrewUser: "alice", Cleanup: tt.cleanup}
			p, err := platform.MakePlan(ctx, nil, &Provider{Machine: rootLayout(f), Config: cfg})
			if err != nil {
				t.Fatal(err)
			}
			if got := changingBrew(t, f); len(got) > 0 {
				t.Errorf("planning ran %q", got)
			}
			providertest.EqualLines(t, "changes", planLines(p), tt.changes)
			if tt.changes != nil && (len(p.Notes) != 1 || !strings.Contains(p.Notes[0], "best effort")) {
				t.Errorf("notes = %q, want the best-effort undo said", p.Notes)
			}
			var ops []platform.Op
			for _, c := range p.Changes {
				ops = append(ops, c.Ops...)
			}
			for _, op := range ops {
				if err := op.Apply(ctx, f); err != nil {
					t.Fatal(err)
				}
			}
			var ran []string
			for _, l := range changingBrew(t, f) {
				ran = append(ran, strings.Replace(l, "/usr/bin/sudo -u alice -H -- brew", "sudo -u alice -H -- brew", 1))
			}
			providertest.EqualLines(t, "commands", ran, tt.ran)
			s, err := f.Brew()
			if err != nil {
				t.Fatal(err)
			}
			left := append(append([]string(nil), s.Formulae...), s.Casks...)
			slices.Sort(left)
			if !slices.Equal(left, tt.left) || !slices.Equal(s.Zapped, tt.zapped) {
				t.Errorf("left %q, zapped %q; want %q, %q", left, s.Zapped, tt.left, tt.zapped)
			}
			// Undo (a failed switch) installs them again.
			for i := len(ops) - 1; i >= 0; i-- {
				if err := ops[i].Undo(ctx, f); err != nil {
					t.Fatal(err)
				}
			}
			if s, _ = f.Brew(); len(s.Formulae)+len(s.Casks) != 7 {
				t.Errorf("after undo: %q %q", s.Formulae, s.Casks)
			}
		})
	}
}

// changingBrew is brewLog's commands that change the Mac (brew leaves
// asks only).
func changingBrew(t *testing.T, f *macfake.Fake) []string {
	return slices.DeleteFunc(brewLog(t, f, true), func(l string) bool { return strings.Contains(l, "brew leaves ") })
}
