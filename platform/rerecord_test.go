package platform

import (
	"bytes"
	"testing"

	json "github.com/goccy/go-json"
)

// TestEncodeRerecorded: the rerecorded provider's records are the plan's,
// the others the target generation's, in a resources.json that reads
// back.
func TestEncodeRerecorded(t *testing.T) {
	target := Applied{
		"files": json.RawMessage(`{"files":[{"path":"/home/alice/.zshrc"}]}`),
		"users": json.RawMessage(`{"users":[{"name":"carol","uid":1000}]}`),
	}
	p := &Plan{
		Records: map[string]any{
			"files": map[string]any{"files": []any{}}, // not rerecorded: ignored
			"users": map[string]any{"users": []any{map[string]any{"name": "carol", "uid": 1001}}},
		},
		Rerecorded: map[string][]string{"users": {"users.carol: uid 1000 is taken"}},
	}
	data, err := p.EncodeRerecorded(target)
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodeApplied(data)
	if err != nil {
		t.Fatalf("DecodeApplied(%s): %v", data, err)
	}
	for name, want := range map[string]string{
		"files": `{"files":[{"path":"/home/alice/.zshrc"}]}`,
		"users": `{"users":[{"name":"carol","uid":1001}]}`,
	} {
		var b bytes.Buffer
		if err := json.Compact(&b, got[name]); err != nil {
			t.Fatal(err)
		}
		if b.String() != want {
			t.Errorf("%s records = %s, want %s", name, b.String(), want)
		}
	}
	if len(got) != 2 {
		t.Errorf("records of %d providers, want 2: %s", len(got), data)
	}
}
