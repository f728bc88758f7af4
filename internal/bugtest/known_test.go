package bugtest

import (
	"testing"
)

// A fake testing.TB that records whether it was failed or skipped.
type outcome struct {
	testing.TB
	failed, skipped bool
	msg             string
}

func (o *outcome) Helper()                           {}
func (o *outcome) Fatalf(format string, a ...any)    { o.failed, o.msg = true, format }
func (o *outcome) Skipf(format string, a ...any)     { o.skipped, o.msg = true, format }
func (o *outcome) Logf(format string, args ...any)   {}
func (o *outcome) Errorf(format string, args ...any) {}

// TestKnown: a body that still fails skips; one that passes fails with
// "bug fixed"; Fatal inside the body stops only the body.
func TestKnown(t *testing.T) {
	o := &outcome{TB: t}
	Known(o, "still broken", func(t testing.TB) { t.Errorf("wrong") })
	if !o.skipped || o.failed {
		t.Errorf("a failing body: %+v, want skipped", o)
	}
	o = &outcome{TB: t}
	reached := false
	Known(o, "fatal", func(t testing.TB) { t.Fatal("stop"); reached = true })
	if !o.skipped || reached {
		t.Errorf("a fatal body: %+v reached=%v, want skipped and stopped", o, reached)
	}
	o = &outcome{TB: t}
	Known(o, "fixed", func(t testing.TB) {})
	if !o.failed || o.skipped {
		t.Errorf("a passing body: %+v, want failed", o)
	}
}
