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

// TestUIDBusy (tester BH): usermod's refusal to change the uid of an
// account in use gets the same hint, saying what usermod refuses.
func TestUIDBusy(t *testing.T) {
	busy := errors.New("run usermod: exit status 8 (usermod: user lena is currently used by process 74)")
	var h interface{ Hint() string }
	if err := uidBusy("lena", busy); !errors.As(err, &h) || !strings.Contains(h.Hint(), "usermod does not change the uid of an account in use: end them") || !errors.Is(err, busy) {
		t.Errorf("uidBusy(%v) = %v, want a hint saying what usermod refuses, wrapping it", busy, err)
	}
	other := errors.New("run usermod: exit status 6")
	if got := uidBusy("lena", other); got != other {
		t.Errorf("uidBusy(%v) = %v, want it unchanged", other, got)
	}
}
