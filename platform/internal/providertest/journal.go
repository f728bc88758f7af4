package providertest

import (
	"reflect"
	"testing"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/platform"
)

// JournalRoundTrip encodes op as the journal does and decodes it into a
// new op of its type, which it returns; the test fails (Errorf) unless
// the decoded op is equal to op, every field kept.
func JournalRoundTrip(t testing.TB, op platform.Op) platform.Op {
	t.Helper()
	data, err := json.Marshal(op)
	if err != nil {
		t.Fatal(err)
	}
	back := reflect.New(reflect.TypeOf(op).Elem()).Interface().(platform.Op)
	if err := json.Unmarshal(data, back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(op, back) {
		t.Errorf("%s: %s decodes as %+v", platform.OpName(op), data, back)
	}
	return back
}
