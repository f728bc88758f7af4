package prefs_test

import (
	"reflect"
	"testing"
	"time"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/platform/macos/prefs"
)

func TestEqual(t *testing.T) {
	when := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		a, b any
		want bool
	}{
		{int64(48), uint64(48), true},
		{int64(48), float64(48), true}, // <integer>48 is the preference a <real>48 is
		{int64(48), int64(49), false},
		{0.15, float32(0.15), true}, // read back from a 4-byte real
		{0.15, 0.16, false},
		{int64(-1), uint64(18446744073709551615), false},
		{true, int64(1), false},
		{"1", int64(1), false},
		{when, when.Add(300 * time.Millisecond), true},
		{[]byte{1}, []byte{1}, true},
		{[]any{int64(1), "a"}, []any{uint64(1), "a"}, true},
		{[]any{int64(1), "a"}, []any{"a", int64(1)}, false},
		{map[string]any{"a": int64(1)}, map[string]any{"a": float64(1)}, true},
		{map[string]any{"a": int64(1)}, map[string]any{"a": int64(1), "b": true}, false},
	}
	for _, tt := range tests {
		if got := prefs.Equal(tt.a, tt.b); got != tt.want {
			t.Errorf("Equal(%#v, %#v) = %v", tt.a, tt.b, got)
		}
		if got := prefs.Equal(tt.b, tt.a); got != tt.want {
			t.Errorf("Equal(%#v, %#v) = %v (swapped)", tt.b, tt.a, got)
		}
	}
}

func TestShow(t *testing.T) {
	for v, want := range map[any]string{
		true: "true", int64(48): "48", float64(8): "8.0", 0.5: "0.5", "Nlsv": `"Nlsv"`, nil: "(absent)",
	} {
		if got := prefs.Show(v); got != want {
			t.Errorf("Show(%#v) = %q, want %q", v, got, want)
		}
	}
	if got := prefs.Show(map[string]any{"b": []any{int64(1)}, "a": "x"}); got != `{a = "x", b = [1]}` {
		t.Errorf("dict: %q", got)
	}
}

// Records keep every plist type through JSON.
func TestValueJSONKeepsTypes(t *testing.T) {
	in := map[string]any{
		"i": int64(48), "r": float64(48), "b": true, "s": "x", "d": time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC),
		"data": []byte{0, 1, 2}, "a": []any{int64(1), map[string]any{"k": 0.5}},
	}
	data, err := json.Marshal(prefs.Value{V: in})
	if err != nil {
		t.Fatal(err)
	}
	var out prefs.Value
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(out.V, in) {
		t.Fatalf("round trip: %#v\nwant %#v", out.V, in)
	}
}
