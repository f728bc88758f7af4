//go:build linux || darwin

package evalcache

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestReadMappedTruncated: an entry file truncated under its mapping
// makes reading it a miss (readMapped false), not a crash; a fault
// elsewhere still panics.
func TestReadMappedTruncated(t *testing.T) {
	path := filepath.Join(t.TempDir(), "e.evc")
	want := bytes.Repeat([]byte("entry"), 10000)
	if err := os.WriteFile(path, want, 0o600); err != nil {
		t.Fatal(err)
	}
	b, release, ok := readPrivate(path)
	if !ok {
		t.Fatal("readPrivate failed")
	}
	defer release()
	if !bytes.Equal(b, want) {
		t.Fatal("mapped bytes differ from the file's")
	}
	var sum int
	if !readMapped(b, func() { sum = int(b[len(b)-1]) }) || sum != int('y') {
		t.Fatalf("reading the whole file: finished false or read %d", sum)
	}
	if err := os.Truncate(path, 0); err != nil {
		t.Fatal(err)
	}
	if readMapped(b, func() { sum += int(b[len(b)-1]) }) {
		t.Error("reading past the truncated end finished")
	}

	defer func() {
		if recover() == nil {
			t.Error("a nil dereference inside readMapped did not panic")
		}
	}()
	var p *[2]byte
	readMapped(b, func() { sum += int(p[1]) })
}

// TestEntryClose: Get's entry is mapped until Close, which may be called
// again; the Outputs read before it were the entry's.
func TestEntryClose(t *testing.T) {
	f := newFixture(t)
	want := f.evaluate()
	e, ok := f.cache.Get(f.key, f.getenv)
	if !ok {
		t.Fatal("miss")
	}
	if e.release == nil {
		t.Fatal("the entry is not mapped")
	}
	if js := string(e.Outputs["json"]); js != want {
		t.Errorf("json output %q, want %q", js, want)
	}
	e.Close()
	e.Close()
	if e.release != nil {
		t.Error("Close left the mapping")
	}
}
