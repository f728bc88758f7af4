package providertest

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/system"
)

// PartRecords is the JSON of the records a provider's part keeps: what
// the next generation records for it, and what the provider reads back as
// applied.
func PartRecords(t testing.TB, part *platform.Part) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(part.Records)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// ApplyOps applies every op of the part with sys, in order, as the engine
// does; the test stops at the first that fails.
func ApplyOps(t testing.TB, sys system.System, part *platform.Part) {
	t.Helper()
	for _, c := range part.Changes {
		for _, op := range c.Ops {
			if err := op.Apply(context.Background(), sys); err != nil {
				t.Fatal(err)
			}
		}
	}
}
