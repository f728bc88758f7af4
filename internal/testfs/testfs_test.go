package testfs

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWriteTreeRead(t *testing.T) {
	dir := Tree(t, t.TempDir(), map[string]string{"a/b/c": "c\n", "d": ""})
	if got := Read(t, filepath.Join(dir, "a/b/c")); got != "c\n" {
		t.Errorf("a/b/c = %q", got)
	}
	for p, want := range map[string]os.FileMode{"a/b/c": 0o644, "d": 0o644} {
		fi, err := os.Stat(filepath.Join(dir, p))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode() != want {
			t.Errorf("%s: mode %v, want %v", p, fi.Mode(), want)
		}
	}
	p := filepath.Join(dir, "x/secret")
	WriteMode(t, p, "s", 0o600)
	WriteMode(t, p, "s", 0o666)
	if fi, err := os.Stat(p); err != nil || fi.Mode() != 0o666 {
		t.Errorf("x/secret: %v, %v; want mode 0666 whatever the umask", fi.Mode(), err)
	}
}
