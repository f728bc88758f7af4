package unit_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform/systemd/unit"
)

func ptr(s string) *string { return &s }

// wantError checks that err is an *unit.Error for unit, section and key
// wrapping target, and that its message names all three.
func wantError(t *testing.T, err error, u, section, key string, target error) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %v", target)
	}
	var ue *unit.Error
	if !errors.As(err, &ue) {
		t.Fatalf("error %T %q is not a *unit.Error", err, err)
	}
	if !errors.Is(err, target) {
		t.Errorf("error %q does not wrap %q", err, target)
	}
	if ue.Unit != u || ue.Section != section || ue.Key != key {
		t.Errorf("error names %q [%s] %s, want %q [%s] %s", ue.Unit, ue.Section, ue.Key, u, section, key)
	}
	msg := err.Error()
	prefix := u + ": "
	if section != "" {
		prefix += "[" + section + "] "
	}
	if key != "" {
		prefix += key + ": "
	}
	if !strings.HasPrefix(msg, prefix) {
		t.Errorf("error %q does not start with %q", msg, prefix)
	}
}

// mustParse parses a unit file or fails the test.
func mustParse(t *testing.T, text string) unit.File {
	t.Helper()
	f, err := unit.Parse([]byte(text))
	if err != nil {
		t.Fatalf("Parse(%q): %v", text, err)
	}
	return f
}
