package providertest

import (
	"context"
	"strings"
	"testing"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/system"
)

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

// OneSetting checks the part of a provider that manages one setting and
// keeps its original (the host name, the key mapping). With changed, the
// part has exactly one change (else the test stops), which it returns for
// the caller to check. Without, every change it has is a hidden Forget (a
// record dropped while the setting is left alone: no ops), which comes
// only with a warning. With warning, the part has one warning, which
// contains it.
func OneSetting(t testing.TB, part *platform.Part, changed bool, warning string) platform.Change {
	t.Helper()
	var c platform.Change
	if !changed {
		for _, c := range part.Changes {
			if !c.Hidden || len(c.Ops) != 0 || warning == "" {
				t.Errorf("changes = %+v, want none (or a hidden forget with the warning)", part.Changes)
			}
		}
	} else {
		if len(part.Changes) != 1 {
			t.Fatalf("changes = %+v, want one", part.Changes)
		}
		c = part.Changes[0]
	}
	if warning != "" && (len(part.Warnings) != 1 || !strings.Contains(part.Warnings[0], warning)) {
		t.Errorf("warnings = %q, want one with %q", part.Warnings, warning)
	}
	return c
}

// PlanPart plans provider p against the records it applied (nil: none);
// the plan must be made.
func PlanPart(t testing.TB, p platform.Provider, applied json.RawMessage) *platform.Part {
	t.Helper()
	part, err := p.Plan(context.Background(), applied)
	if err != nil {
		t.Fatal(err)
	}
	return part
}

// A CommandLog is a fake machine that logs the commands it runs
// (macfake.Fake).
type CommandLog interface {
	Log() ([]string, error)
	ClearLog() error
}

// TakeLog returns the commands f logged since the last call and forgets
// them.
func TakeLog(t testing.TB, f CommandLog) []string {
	t.Helper()
	lines, err := f.Log()
	if err != nil {
		t.Fatal(err)
	}
	if err := f.ClearLog(); err != nil {
		t.Fatal(err)
	}
	return lines
}
