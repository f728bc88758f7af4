package pathtrust

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/gocfg/gocfg/platform/system"
)

// TestSources: every read of a source is checked, a folder's entries
// from their listing (a file of hers in a folder of root's, found by
// Info, the no-op switch's way), a link entry where it leads, and a
// folder reached through a link of root's by the way it resolves to.
func TestSources(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to give files to another uid")
	}
	base := t.TempDir()
	do := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	do(os.MkdirAll(filepath.Join(base, "src/sub"), 0o755))
	do(os.WriteFile(filepath.Join(base, "src/a.conf"), []byte("a"), 0o644))
	do(os.WriteFile(filepath.Join(base, "src/sub/hers.conf"), []byte("h"), 0o644))
	do(os.Chown(filepath.Join(base, "src/sub/hers.conf"), 4321, 4321))
	do(os.MkdirAll(filepath.Join(base, "herdir"), 0o755))
	do(os.Chown(filepath.Join(base, "herdir"), 4321, 4321))
	do(os.WriteFile(filepath.Join(base, "herdir/x"), []byte("x"), 0o644))
	do(os.Symlink(filepath.Join(base, "herdir/x"), filepath.Join(base, "src/tohers")))
	do(os.Symlink(filepath.Join(base, "src"), filepath.Join(base, "viasrc")))

	s := NewSources(system.NewReal(), Policy{Trusted: Trusting()})
	untrusted := func(err error) bool { return errors.Is(err, ErrUntrusted) }

	if _, err := s.ReadFile(filepath.Join(base, "src/a.conf")); err != nil {
		t.Errorf("root's file: %v", err)
	}
	if _, err := s.Stat(filepath.Join(base, "src/tohers")); !untrusted(err) {
		t.Errorf("Stat of a link to her folder = %v, want refused", err)
	}
	for _, read := range []func(string) ([]os.DirEntry, error){s.ReadDir, s.ReadDirTypes} {
		es, err := read(filepath.Join(base, "viasrc/sub"))
		if err != nil {
			t.Fatalf("listing root's folder through root's link: %v", err)
		}
		for _, e := range es {
			if _, err := e.Info(); e.Name() == "hers.conf" && !untrusted(err) {
				t.Errorf("Info of her file in root's folder = %v, want refused", err)
			}
		}
	}
	if _, err := s.Open(filepath.Join(base, "src/sub/hers.conf")); !untrusted(err) {
		t.Errorf("Open of her file = %v, want refused", err)
	}
	if _, err := s.ReadDir(filepath.Join(base, "herdir")); !untrusted(err) {
		t.Errorf("ReadDir of her folder = %v, want refused", err)
	}
}
