package providertest

import (
	"reflect"
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

// Encode is the JSON of records r as a generation keeps them, or nil (no
// records) for nil or a nil pointer.
func Encode(t testing.TB, r any) json.RawMessage {
	t.Helper()
	if v := reflect.ValueOf(r); !v.IsValid() || v.Kind() == reflect.Pointer && v.IsNil() {
		return nil
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
