package files

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gocfg/gocfg/platform/system"
)

// TestContentHashBounded: a live file of more than maxLiveHash bytes (a
// sparse terabyte a user put at a managed path) is not read: it gets a
// tooLargeHash, which is no content's hash; a smaller file is hashed.
func TestContentHashBounded(t *testing.T) {
	sys := system.NewReal()
	p := filepath.Join(t.TempDir(), "big")
	if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	lv, err := readLive(sys, p)
	if err != nil {
		t.Fatal(err)
	}
	if h, err := lv.contentHash(sys, p); err != nil || h != hashBytes([]byte("x")) {
		t.Errorf("small file: %q, %v", h, err)
	}
	if err := os.Truncate(p, 1<<40); err != nil {
		t.Fatal(err)
	}
	lv, err = readLive(sys, p)
	if err != nil {
		t.Fatal(err)
	}
	h, err := lv.contentHash(sys, p)
	if err != nil || h != tooLargeHash(1<<40) || !isTooLarge(h) {
		t.Errorf("1 TiB sparse file: %q, %v, want %q", h, err, tooLargeHash(1<<40))
	}
}
