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

// TestContentHashGrownAfterLstat: the size from the Lstat is no bound.
// A file that its account swaps for a sparse terabyte between the
// Lstat and the open (tester I, with renameat2 in a loop) is read only
// up to maxLiveHash: a tooLargeHash, not hours of reading.
func TestContentHashGrownAfterLstat(t *testing.T) {
	sys := system.NewReal()
	p := filepath.Join(t.TempDir(), "swapped")
	if err := os.WriteFile(p, []byte("copy\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	lv, err := readLive(sys, p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(p, 1<<40); err != nil {
		t.Fatal(err)
	}
	h, err := lv.contentHash(sys, p)
	if err != nil || !isTooLarge(h) {
		t.Errorf("a file grown to 1 TiB after its Lstat: %q, %v, want a too-large hash", h, err)
	}
}
