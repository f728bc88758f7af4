package system

import (
	"runtime"
	"testing"
)

// TestBootID: the same within one boot, and not empty where gocfg runs.
func TestBootID(t *testing.T) {
	a, b := BootID(), BootID()
	if a != b || (a == "" && (runtime.GOOS == "linux" || runtime.GOOS == "darwin")) {
		t.Errorf("BootID = %q, then %q", a, b)
	}
}
