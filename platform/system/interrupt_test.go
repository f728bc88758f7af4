package system

import (
	"errors"
	"testing"
)

// TestInterruptedIsErrJobInterrupted: the error of a wait an interrupt
// ended says so, and wraps ErrJobInterrupted, which callers can test.
func TestInterruptedIsErrJobInterrupted(t *testing.T) {
	err := (&dbusUnits{}).interrupted(7, "app.service", "restart", nil)
	if !errors.Is(err, ErrJobInterrupted) || err.Error() != "unit app.service: restart: "+ErrJobInterrupted.Error() {
		t.Errorf("interrupted: %v", err)
	}
}
