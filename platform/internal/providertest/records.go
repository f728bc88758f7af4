package providertest

import (
	"testing"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/platform"
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
