package dotgen_test

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/gocfg/gocfg/bench/dotgen"
)

func TestRel(t *testing.T) {
	for i, want := range map[int]string{
		0: "app_0/sub_0/file_0", 9: "app_0/sub_0/file_9", 10: "app_0/sub_1/file_0",
		1234: "app_12/sub_3/file_4", 9999: "app_99/sub_9/file_9",
	} {
		if got := dotgen.Rel(i); got != want {
			t.Errorf("Rel(%d) = %q, want %q", i, got, want)
		}
	}
}

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	const n = 250
	entry, err := dotgen.Write(dir, n)
	if err != nil {
		t.Fatal(err)
	}
	if entry != filepath.Join(dir, dotgen.EntryFile) {
		t.Errorf("entry = %s", entry)
	}
	if got, err := os.ReadFile(entry); err != nil || !bytes.Equal(got, dotgen.Entry()) {
		t.Errorf("%s = %q, %v", entry, got, err)
	}
	seen := map[string]string{}
	count := 0
	err = filepath.WalkDir(filepath.Join(dir, dotgen.SourceDir), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		count++
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if other, dup := seen[string(b)]; dup {
			t.Errorf("%s and %s have the same content", p, other)
		}
		seen[string(b)] = p
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if count != n {
		t.Errorf("%d files, want %d", count, n)
	}
	for _, i := range []int{0, 99, 100, n - 1} {
		if got, err := os.ReadFile(dotgen.Source(dir, i)); err != nil || !bytes.Equal(got, dotgen.Content(i)) {
			t.Errorf("file %d = %q, %v; want %q", i, got, err, dotgen.Content(i))
		}
	}
	if _, err := dotgen.Write(dir, 0); err == nil {
		t.Error("Write(dir, 0) succeeded")
	}
}
