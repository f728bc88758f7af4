package generations

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform/system"
)

// TestSourcesKept: the source-signatures cache is written by SaveSettled
// (a switch with nothing to do), private, and read back by the next
// process; lines it did not write are skipped; it keeps what the last
// such switch used or learnt, so one that needed none of it empties it;
// SaveSignatures (what Write, GC and Repair call) does not write it.
func TestSourcesKept(t *testing.T) {
	dir := tempState(t)
	if err := os.MkdirAll(filepath.Join(dir, storeDir), 0o755); err != nil {
		t.Fatal(err)
	}
	hash := strings.Repeat("cd", 32)
	odd := "/home/al ice/dots/new\nline \"q\""
	want := map[string]SourceSig{
		"/home/alice/dots/vimrc": {Size: 12, Mtime: 1796329665431509880, Ctime: 1796329665431509881, Ino: 77, Hash: hash},
		odd:                      {Size: 0, Mtime: -1, Ctime: 2, Ino: 78, Hash: hash},
	}
	p := filepath.Join(dir, storeDir, sourcesFile)

	s := New(system.NewReal(), dir)
	if _, ok := s.KnownSource("/home/alice/dots/vimrc"); ok {
		t.Fatal("a missing cache knows a source")
	}
	for src, f := range want {
		s.LearnSource(src, f)
	}
	s.LearnSource("relative/dots/vimrc", want["/home/alice/dots/vimrc"])
	s.SaveSignatures()
	if _, err := os.Stat(p); !os.IsNotExist(err) {
		t.Fatalf("SaveSignatures wrote the sources cache: %v", err)
	}
	s.SaveSettled()
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatalf("not written: %v", err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}

	// Lines it did not write are skipped, the others kept.
	data, _ := os.ReadFile(p)
	data = append(data, "1 2 3 4 short \"/x\"\n1 2 3 4 "+hash+" relative\nnot a line\n"...)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	s = New(system.NewReal(), dir)
	for src, f := range want {
		if got, ok := s.KnownSource(src); !ok || got != f {
			t.Errorf("%q: read back %+v, %v; want %+v", src, got, ok, f)
		}
	}
	for _, src := range []string{"/x", "relative", "relative/dots/vimrc"} {
		if _, ok := s.KnownSource(src); ok {
			t.Errorf("%q: known from a damaged line", src)
		}
	}
	// Unchanged: not written again.
	before, _ := os.Stat(p)
	s = New(system.NewReal(), dir)
	for src := range want {
		s.KnownSource(src)
	}
	s.LearnSource("relative/dots/vimrc", want["/home/alice/dots/vimrc"]) // not kept: no change
	s.SaveSettled()
	if after, _ := os.Stat(p); !after.ModTime().Equal(before.ModTime()) || after.Size() != before.Size() {
		t.Error("an unchanged cache was written again")
	}

	// A switch that needed none of it (the records have the
	// signatures now) empties it.
	New(system.NewReal(), dir).SaveSettled()
	if b, _ := os.ReadFile(p); string(b) != sourcesHeader+"\n" {
		t.Errorf("after a switch that needed no source of it, the cache is %q; want it empty", b)
	}

	// A damaged header: an empty cache.
	if err := os.WriteFile(p, []byte("gocfg sources 0\n"+string(data[len(sourcesHeader)+1:])), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, ok := New(system.NewReal(), dir).KnownSource("/home/alice/dots/vimrc"); ok {
		t.Error("a cache with another header is read")
	}
}
