package generations

import (
	"os"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform/system"
)

// TestSourcesKept: the source-signatures cache is written by SaveSettled
// (a switch with nothing to do) and read back by the next process;
// SaveSignatures (what Write, GC and Repair call) does not write it; it
// keeps what the last such switch used or learnt, so one that needed
// none of it empties it. (The file's format: cachefile_test.go.)
func TestSourcesKept(t *testing.T) {
	dir := tempStoreDir(t)
	hash := strings.Repeat("cd", 32)
	odd := "/home/al ice/dots/new\nline \"q\""
	want := map[string]SourceSig{
		"/home/alice/dots/vimrc": {Size: 12, Mtime: 1796329665431509880, Ctime: 1796329665431509881, Ino: 77, Hash: hash},
		odd:                      {Size: 0, Mtime: -1, Ctime: 2, Ino: 78, Hash: hash},
	}
	s := New(system.NewReal(), dir)
	p := s.cachePath(sourcesCacheFile)
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

	s = New(system.NewReal(), dir)
	for src, f := range want {
		if got, ok := s.KnownSource(src); !ok || got != f {
			t.Errorf("%q: read back %+v, %v; want %+v", src, got, ok, f)
		}
	}
	if _, ok := s.KnownSource("relative/dots/vimrc"); ok {
		t.Error("a relative source path was kept")
	}

	// Used as it is: not written again.
	before, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	s.LearnSource("relative/dots/vimrc", want["/home/alice/dots/vimrc"]) // not kept: no change
	s.SaveSettled()
	if after, _ := os.Stat(p); !after.ModTime().Equal(before.ModTime()) || after.Size() != before.Size() {
		t.Error("an unchanged cache was written again")
	}

	// A switch that needed none of it (the records have the
	// signatures now) empties it.
	New(system.NewReal(), dir).SaveSettled()
	if b, _ := os.ReadFile(p); string(b) != sourcesCacheFile.header+"\n" {
		t.Errorf("after a switch that needed no source of it, the cache is %q; want it empty", b)
	}
}
