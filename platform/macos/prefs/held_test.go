package prefs_test

import (
	"slices"
	"strings"
	"testing"
)

// TestHeldUserKeysAreLeftAsTheyAre: a switch that holds alice
// (machine.Switch.Hold: a step in her home failed) writes none of her
// keys, nor her -currentHost ones, and restarts nothing of hers; the
// system domain switches. Her records are carried: a key she no longer
// sets is not restored while she is held, and the next switch without
// the hold writes her keys and restores that one. Before, her keys were
// written in a held home.
func TestHeldUserKeysAreLeftAsTheyAre(t *testing.T) {
	r := newRig(t)
	seedMac(r)
	r.switchTo(firstConfig(r))
	r.log()

	second := r.config(
		map[string]any{
			"com.apple.dock": map[string]any{"autohide": false, "tilesize": int64(48)},
			"NSGlobalDomain": map[string]any{"KeyRepeat": int64(2), "AppleInterfaceStyle": "Dark"},
		},
		map[string]any{"com.apple.screensaver": map[string]any{"idleTime": int64(300)}},
		map[string]any{"com.apple.loginwindow": map[string]any{"GuestEnabled": true}},
	)
	r.hold = map[string]string{"alice": "a step in her home failed"}
	p := r.switchTo(second)
	want := []string{`update system-defaults:com.apple.loginwindow:GuestEnabled: false -> true`}
	if got := shown(p); !slices.Equal(got, want) {
		t.Fatalf("held plan:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	log := r.log()
	for _, l := range log {
		if strings.HasPrefix(l, "[alice]") || strings.Contains(l, "-currentHost write") {
			t.Errorf("a held user's command ran: %s", l)
		}
	}
	if dock, _ := r.read(dockFile); dock["autohide"] != true || dock["orientation"] != "left" {
		t.Errorf("held dock = %v: want her keys as the first switch left them", dock)
	}

	r.hold = nil
	p = r.switchTo(second)
	want = []string{
		`restore defaults:alice:com.apple.dock:orientation: "left" -> (absent)`,
		`update defaults:alice:com.apple.dock:autohide: true -> false`,
		`update host-defaults:alice:com.apple.screensaver:idleTime: 600 -> 300`,
	}
	if got := shown(p); !slices.Equal(got, want) {
		t.Fatalf("plan after the hold:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if dock, _ := r.read(dockFile); dock["autohide"] != false || dock["orientation"] != nil {
		t.Errorf("dock after the hold = %v: want autohide false and orientation restored (absent)", dock)
	}
}
