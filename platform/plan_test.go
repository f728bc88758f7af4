package platform

import (
	"testing"

	"github.com/gocfg/gocfg/generations"
)

// TestPlanSummary: what the plan's last line counts, by action; hidden
// changes are not counted.
func TestPlanSummary(t *testing.T) {
	p := &Plan{Changes: []Change{
		{ID: "a", Action: Create},
		{ID: "b", Action: Create},
		{ID: "c", Action: Update},
		{ID: "d", Action: Delete},
		{ID: "e", Action: Restore},
		{ID: "f", Action: Restore},
		{ID: "g", Action: Create, Hidden: true},
		{ID: "h", Action: Delete, Hidden: true},
	}}
	if got, want := p.Summary(), (generations.Summary{Add: 2, Change: 1, Remove: 3}); got != want {
		t.Errorf("Summary = %+v, want %+v", got, want)
	}
}
