package files

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/gocfg/gocfg/platform/system"
)

// TestConfineTree: before a recovery's undo, every folder below /etc
// that another account may change is confined, deep or not, and a link
// in one of them that leads out is not followed; root's own folders are
// not.
func TestConfineTree(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("chown needs root")
	}
	dir := t.TempDir()
	etc, victim := filepath.Join(dir, "etc"), filepath.Join(dir, "victim")
	for _, d := range []string{filepath.Join(etc, "postgresql/15/main"), filepath.Join(etc, "app"), victim} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// Debian's /etc/postgresql/15/main belongs to postgres: deep, and
	// below root's folders.
	if err := os.Chown(filepath.Join(etc, "postgresql/15/main"), 1000, 1000); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(victim, filepath.Join(etc, "postgresql/15/main/conf.d")); err != nil {
		t.Fatal(err)
	}
	// root's own folder with root's link out: followed as before.
	if err := os.Symlink(victim, filepath.Join(etc, "app/shared")); err != nil {
		t.Fatal(err)
	}
	sys := system.NewReal()
	if err := ConfineTree(sys, etc); err != nil {
		t.Fatal(err)
	}
	err := sys.WriteFile(filepath.Join(etc, "postgresql/15/main/conf.d/x.conf"), []byte("x\n"), 0o644)
	if !errors.Is(err, system.ErrOutside) {
		t.Errorf("write through the account's link: err = %v, want ErrOutside", err)
	}
	if _, err := os.Lstat(filepath.Join(victim, "x.conf")); err == nil {
		t.Error("a file was written where the account's link leads")
	}
	if err := sys.WriteFile(filepath.Join(etc, "app/shared/y.conf"), []byte("y\n"), 0o644); err != nil {
		t.Errorf("write through root's link: %v", err)
	}
}
