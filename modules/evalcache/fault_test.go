//go:build linux || darwin

package evalcache

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"unsafe"
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
	e, _, ok := f.cache.Get(f.key, f.getenv)
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

// TestStatEachTruncated: the workers of statEach read the paths from the
// mapped entry too; a truncation under them is a false from statEach
// through the guard, not a crash.
func TestStatEachTruncated(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	const n, size = 4 * minStatsPerWorker, 16
	path := filepath.Join(t.TempDir(), "e.evc")
	if err := os.WriteFile(path, bytes.Repeat([]byte("/no/such/file.x\x00"), n), 0o600); err != nil {
		t.Fatal(err)
	}
	b, release, ok := readPrivate(path)
	if !ok {
		t.Fatal("readPrivate failed")
	}
	defer release()
	at := func(i int) string { return unsafe.String(&b[i*size], size-1) }
	absent := func(_ int, st statResult) bool { return st.err != nil }
	guard := func(f func()) bool { return readMapped(b, f) }
	if !statEach(n, at, absent, guard) {
		t.Fatal("mapped paths, not truncated: statEach said false")
	}
	if err := os.Truncate(path, 0); err != nil {
		t.Fatal(err)
	}
	if statEach(n, at, absent, guard) {
		t.Error("mapped paths truncated: statEach said true")
	}
}
