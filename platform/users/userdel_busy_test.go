package users

import (
	"errors"
	"strings"
	"testing"
)

// TestUserBusy: userdel's refusal of an account in use gets a hint that
// says how to end her processes; other errors are left as they are.
func TestUserBusy(t *testing.T) {
	busy := errors.New("run userdel: exit status 8 (userdel: user alice is currently used by process 1036)")
	err := userBusy("alice", busy)
	var h interface{ Hint() string }
	if !errors.As(err, &h) || !strings.Contains(h.Hint(), "loginctl terminate-user alice") || !errors.Is(err, busy) {
		t.Errorf("userBusy(%v) = %v, want a hint naming loginctl terminate-user alice, wrapping it", busy, err)
	}
	other := errors.New("run userdel: exit status 6")
	if got := userBusy("alice", other); got != other {
		t.Errorf("userBusy(%v) = %v, want it unchanged", other, got)
	}
}
