package system

import (
	"runtime"
	"testing"
	"time"
)

// TestBootID: the same within one boot, and not empty where gocfg runs.
func TestBootID(t *testing.T) {
	a, b := BootID(), BootID()
	if a != b || (a == "" && (runtime.GOOS == "linux" || runtime.GOOS == "darwin")) {
		t.Errorf("BootID = %q, then %q", a, b)
	}
}

// TestBootTime: in the past, after the year 2000, and the same twice.
func TestBootTime(t *testing.T) {
	a, b := BootTime(), BootTime()
	if a.IsZero() || !a.Before(time.Now()) || a.Year() < 2000 || a.Sub(b).Abs() > 2*time.Second {
		t.Errorf("BootTime = %v, then %v", a, b)
	}
}
