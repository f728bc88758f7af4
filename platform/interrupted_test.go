package platform

import "testing"

// TestInterruptedAttribute: the differences an interrupted switch's steps
// made are named as its own; a change keyed by what it does is the
// switch's when the switch ran its opposite; what it did not run, and
// everything once current flipped, keeps the hand's words.
func TestInterruptedAttribute(t *testing.T) {
	const cause = "changed by the interrupted switch"
	const hand = "removed by hand since gocfg installed them: hello"
	tests := []struct {
		name    string
		ran     []string
		flipped bool
		change  Change
		want    string
	}{
		{"the same ID ran", []string{"file:~alice/.old"}, false, Change{ID: "file:~alice/.old", Drift: hand}, cause},
		{"another ID ran", []string{"file:~alice/.zshrc"}, false, Change{ID: "file:~alice/.old", Drift: hand}, hand},
		{"its opposite ran", []string{"packages:remove"}, false, Change{ID: "packages:install", Opposite: "packages:remove", Drift: hand}, cause},
		{"no opposite, nothing ran of it", []string{"packages:remove"}, false, Change{ID: "packages:install", Drift: hand}, hand},
		{"an empty opposite is no ID", []string{""}, false, Change{ID: "packages:install", Drift: hand}, hand},
		{"flipped: the plan is against To", []string{"packages:remove"}, true, Change{ID: "packages:install", Opposite: "packages:remove", Drift: hand}, hand},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := &Interrupted{Flipped: tt.flipped, Ran: map[string]bool{}}
			for _, id := range tt.ran {
				in.Ran[id] = true
			}
			p := &Plan{Changes: []Change{tt.change}}
			in.Attribute(p, cause)
			if got := p.Changes[0].Drift; got != tt.want {
				t.Errorf("drift %q, want %q", got, tt.want)
			}
		})
	}
}
