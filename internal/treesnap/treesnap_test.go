package treesnap

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/internal/testfs"
)

func TestTakeAndDiff(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "a/skip"), 0o755); err != nil {
		t.Fatal(err)
	}
	testfs.Write(t, filepath.Join(root, "a/f"), "x")
	if err := os.Symlink("f", filepath.Join(root, "a/l")); err != nil {
		t.Fatal(err)
	}
	before := Take(t, root, "/a", "/a/skip")
	if _, ok := before["/a/skip"]; ok || !strings.Contains(before["/a/l"], "→ f") || !strings.Contains(before["/a/f"], `"x"`) {
		t.Fatalf("snapshot %v", before)
	}
	if d := Diff(before, Take(t, root, "/a", "/a/skip")); d != "" {
		t.Errorf("an unchanged tree differs:\n%s", d)
	}
	testfs.Write(t, filepath.Join(root, "a/f"), "y")
	if d := Diff(before, Take(t, root, "/a", "/a/skip")); !strings.Contains(d, "~ /a/f") {
		t.Errorf("a changed file is not reported:\n%s", d)
	}
	if len(Take(t, root, "/missing")) != 0 {
		t.Error("a missing folder gives entries")
	}
}
