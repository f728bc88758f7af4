package secrets

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gocfg/gocfg/platform/system"
)

// TestRemoveMadeLeavesOthers (tester S): the undo of a secret's link or
// of a home secret's folders removes the folders it made only while
// they are empty folders: a file another account put at one of those
// paths since the plan stays.
func TestRemoveMadeLeavesOthers(t *testing.T) {
	dir := t.TempDir()
	made := []string{filepath.Join(dir, "new"), filepath.Join(dir, "new/deep")}
	if err := os.WriteFile(made[0], []byte("IMPORTANT-DATA"), 0o644); err != nil {
		t.Fatal(err)
	}
	removeMade(system.NewReal(), made)
	if b, err := os.ReadFile(made[0]); err != nil || string(b) != "IMPORTANT-DATA" {
		t.Errorf("her file at a folder's path: %q, %v", b, err)
	}

	other := t.TempDir()
	made = []string{filepath.Join(other, "a"), filepath.Join(other, "a/b")}
	if err := os.MkdirAll(made[1], 0o755); err != nil {
		t.Fatal(err)
	}
	removeMade(system.NewReal(), made)
	if _, err := os.Lstat(made[0]); !os.IsNotExist(err) {
		t.Errorf("the empty folders made are still there: %v", err)
	}
}
