package system

import "testing"

// TestSkippedForGood: a start skipped by conditions that hold while the
// machine runs is for good; one skipped by a path is not; after a
// daemon-reload (each condition's state 0 again) only a unit whose
// conditions are all fixed ones is (reviewer).
func TestSkippedForGood(t *testing.T) {
	cond := func(kind string, state int32) []any { return []any{kind, false, false, "x", state} }
	for _, c := range []struct {
		name  string
		props map[string]any
		want  bool
	}{
		{"never started", map[string]any{"ConditionResult": false, "ConditionTimestampMonotonic": uint64(0)}, false},
		{"started", map[string]any{"ConditionResult": true, "ConditionTimestampMonotonic": uint64(5)}, false},
		{"virtualization failed", map[string]any{"ConditionResult": false, "ConditionTimestampMonotonic": uint64(5),
			"Conditions": [][]any{cond("ConditionVirtualization", -1), cond("ConditionCapability", 1)}}, true},
		{"a path failed", map[string]any{"ConditionResult": false, "ConditionTimestampMonotonic": uint64(5),
			"Conditions": [][]any{cond("ConditionVirtualization", 1), cond("ConditionPathExists", -1)}}, false},
		{"the host failed", map[string]any{"ConditionResult": false, "ConditionTimestampMonotonic": uint64(5),
			"Conditions": [][]any{cond("ConditionHost", -1)}}, false},
		{"after a reload, all fixed", map[string]any{"ConditionResult": false, "ConditionTimestampMonotonic": uint64(5),
			"Conditions": [][]any{cond("ConditionVirtualization", 0), cond("ConditionCapability", 0)}}, true},
		{"after a reload, a path among them", map[string]any{"ConditionResult": false, "ConditionTimestampMonotonic": uint64(5),
			"Conditions": [][]any{cond("ConditionVirtualization", 0), cond("ConditionPathExists", 0)}}, false},
	} {
		if got := skippedForGood(c.props); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
