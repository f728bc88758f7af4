package generations

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform/system"
)

// TestSettledKept: the settled-folders cache is written by
// SaveSignatures when it changed, private to root, and read back by the
// next process; lines it did not write are skipped.
func TestSettledKept(t *testing.T) {
	dir := tempStoreDir(t)
	links := strings.Repeat("ab", 32)
	odd := "/home/al ice/.config/new\nline \"q\""
	s := New(system.NewReal(), dir)
	if _, ok := s.Settled("/home/alice"); ok {
		t.Fatal("a missing cache knows a folder")
	}
	want := map[string]SettledFolder{
		"/home/alice": {Dev: 26, Ino: 7, Mtime: 1796329665431509880, Ctime: 1796329665431509881, Links: links},
		odd:           {Dev: 26, Ino: 8, Mtime: -1, Ctime: 2, Links: links},
	}
	for d, f := range want {
		s.Settle(d, f, true)
	}
	s.Settle("/gone", want["/home/alice"], true)
	s.Settle("/gone", SettledFolder{}, false)
	s.SaveSignatures()
	p := filepath.Join(dir, storeDir, settledCacheFile.name)
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatalf("not written: %v", err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	// Lines it did not write are skipped, the others kept.
	data, _ := os.ReadFile(p)
	data = append(data, "26 9 1 2 short \"/x\"\n26 9 1 2 "+links+" relative\nnot a line\n"...)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	s = New(system.NewReal(), dir)
	for d, f := range want {
		if got, ok := s.Settled(d); !ok || got != f {
			t.Errorf("%q: read back %+v, %v; want %+v", d, got, ok, f)
		}
	}
	for _, d := range []string{"/gone", "/x", "relative"} {
		if _, ok := s.Settled(d); ok {
			t.Errorf("%q: known after it was forgotten or damaged", d)
		}
	}
	// Unchanged: not written again.
	before, _ := os.Stat(p)
	s.Settle("/home/alice", want["/home/alice"], true)
	s.SaveSignatures()
	if after, _ := os.Stat(p); !after.ModTime().Equal(before.ModTime()) || after.Size() != before.Size() {
		t.Error("an unchanged cache was written again")
	}
	// A damaged header: an empty cache.
	if err := os.WriteFile(p, []byte("gocfg settled 0\n"+string(data)), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, ok := New(system.NewReal(), dir).Settled("/home/alice"); ok {
		t.Error("a cache with another header is read")
	}
}
