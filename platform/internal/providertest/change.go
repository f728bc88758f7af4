package providertest

import (
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform"
)

// Change returns the change of id in plan p; the test stops if p has
// none, listing the changes it has.
func Change(t testing.TB, p *platform.Plan, id string) platform.Change {
	t.Helper()
	for _, c := range p.Changes {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("no change %s in the plan:\n%s", id, strings.Join(Lines{Describe: true, Hidden: true}.Of(p.Changes), "\n"))
	return platform.Change{}
}
