package platform

import (
	"strings"
	"testing"
)

// TestViewPlanNothingChanges: the line a plan that changes nothing
// prints names what the machine matches: the configuration for a switch,
// the generation a rollback returns to.
func TestViewPlanNothingChanges(t *testing.T) {
	hidden := &Plan{Changes: []Change{Forget("user:bob", "user")}}
	for _, tt := range []struct {
		name string
		plan *Plan
		to   int
		want string
	}{
		{"switch, empty", &Plan{}, 0, "No changes: the machine matches the configuration.\n"},
		{"rollback, empty", &Plan{}, 3, "No changes: the machine matches generation 3.\n"},
		{"switch, hidden changes only", hidden, 0, "No changes to the machine; the next generation records what gocfg stops managing.\n"},
		{"rollback, hidden changes only", hidden, 3, "No changes to the machine; gocfg stops managing what generation 3 does not record.\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			if err := (View{Out: &b, RollbackTo: tt.to}).Plan(tt.plan, "title:"); err != nil {
				t.Fatal(err)
			}
			if b.String() != tt.want {
				t.Errorf("got %q, want %q", b.String(), tt.want)
			}
		})
	}
}
