package packages

import (
	"strings"
	"testing"
)

// TestDiffHomebrew: generations diff shows App Store apps declared in one
// generation and not the other, one gocfg installed in only one, and a
// change of macos.homebrew.cleanup.
func TestDiffHomebrew(t *testing.T) {
	a := &Records{Manager: "brew", Mas: &MasSet{Apps: map[string]int{"Xcode": 497799835, "Keynote": 409183694}, Installed: []int{409183694}}}
	b := &Records{Manager: "brew", Cleanup: "zap", Mas: &MasSet{Apps: map[string]int{"Keynote": 409183694, "Things": 904280696}, Installed: []int{409183694, 904280696}}}
	var got []string
	for _, c := range Diff(a, b) {
		line := c.ID + " " + string(c.Action)
		for _, f := range c.Fields {
			line += " " + f.Name + ":" + f.Before + "→" + f.After
		}
		got = append(got, line)
	}
	all := strings.Join(got, "\n")
	for _, want := range []string{"app:Things ", "app:Xcode ", "packages:brew ", "cleanup:(none)→zap"} {
		if !strings.Contains(all, want) {
			t.Errorf("diff lacks %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, "app:Keynote") {
		t.Errorf("Keynote is the same in both:\n%s", all)
	}
	if d := Diff(b, b); len(d) != 0 {
		t.Errorf("a generation differs from itself: %+v", d)
	}
}
