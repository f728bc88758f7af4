package files

import (
	"strings"
	"testing"
)

// TestOtherGocfgProblem names root's gocfg by its state folder.
func TestOtherGocfgProblem(t *testing.T) {
	if got := otherGocfgProblem("/var/lib/gocfg"); !strings.HasPrefix(got, "a link of root's gocfg (state folder /var/lib/gocfg)") {
		t.Errorf("root's: %q", got)
	}
	if got := otherGocfgProblem("/home/alice/.local/state/gocfg"); !strings.HasPrefix(got, "a link of another gocfg (state folder /home/alice/.local/state/gocfg)") {
		t.Errorf("a user's: %q", got)
	}
}
