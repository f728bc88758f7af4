package files

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/system"
)

// dotfilesTree writes a source folder with what a walk meets: plain
// files (one executable, one larger than what hashing keeps), folders,
// links to a file and to a folder, and a FIFO, which is passed over.
func dotfilesTree(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	write := func(rel, content string, mode os.FileMode) {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
	}
	write("a", "a\n", 0o644)
	write("bin/run", "#!/bin/sh\n", 0o755)
	write("big/blob", strings.Repeat("x", keepFileMax+1), 0o644)
	write("deep/er/c", "c\n", 0o600)
	for link, target := range map[string]string{"to-a": "a", "to-deep": "deep"} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "deep/fifo"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestWalkTypesHashesAsStat: a first switch's walk, which takes no
// file's stat and hashes each from its open (hashUnstated), finds the
// same files with the same hash, signature, executable bit and mode as
// the walk that stats every entry.
func TestWalkTypesHashesAsStat(t *testing.T) {
	dir := dotfilesTree(t)
	l := &site{Machine: &machine.Machine{Sys: system.NewReal()}}
	now := time.Now().Add(time.Hour) // past the racily-clean second
	statRels, statInfos, err := l.walkParallel(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	rels, infos, err := l.walkParallel(dir, true)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a", "big/blob", "bin/run", "deep/er/c", "to-a", "to-deep/er/c"}
	if !reflect.DeepEqual(statRels, want) || !reflect.DeepEqual(rels, want) {
		t.Fatalf("walks found %q and %q, want %q", statRels, rels, want)
	}
	for i, r := range rels {
		// Only what a link names is stat'ed by the walk (the files under
		// a linked folder are listed as any).
		if linked := r == "to-a"; (infos[i] != nil) != linked {
			t.Errorf("%s: the walk's Stat is %v", r, infos[i])
		}
		var byStat, byOpen File
		byStat.Source, byOpen.Source = dir+"/"+r, dir+"/"+r
		cache := newHashCache(&Records{}, map[string]*File{}, nil)
		fiStat, err := l.hashFile(&byStat, statInfos[i], nil, cache, now)
		if err != nil {
			t.Fatal(err)
		}
		fiOpen, err := l.hashFile(&byOpen, infos[i], nil, cache, now)
		if err != nil {
			t.Fatal(err)
		}
		if byOpen.Hash != byStat.Hash || byOpen.Exec != byStat.Exec || !reflect.DeepEqual(byOpen.Sig, byStat.Sig) || byOpen.Sig == nil {
			t.Errorf("%s: from the open %s %v %+v, from the stat %s %v %+v", r, byOpen.Hash, byOpen.Exec, byOpen.Sig, byStat.Hash, byStat.Exec, byStat.Sig)
		}
		if fiOpen.Mode() != fiStat.Mode() || fiOpen.Size() != fiStat.Size() {
			t.Errorf("%s: mode and size from the open %v %d, from the stat %v %d", r, fiOpen.Mode(), fiOpen.Size(), fiStat.Mode(), fiStat.Size())
		}
		if (byOpen.kept == nil) != (r == "big/blob") {
			t.Errorf("%s: kept %d bytes", r, len(byOpen.kept))
		}
	}
}

// TestHashUnstatedNotRegular: a listed file that is a folder when it is
// opened is an error naming it, as the walk that stats it skips it.
func TestHashUnstatedNotRegular(t *testing.T) {
	dir := t.TempDir()
	cache := newHashCache(&Records{}, map[string]*File{}, nil)
	if _, _, _, _, err := hashUnstated(system.NewReal(), cache, "", dir, time.Now()); err == nil || !strings.Contains(err.Error(), dir) {
		t.Errorf("hashUnstated(a folder) = %v, want an error naming it", err)
	}
}

// TestKnowsNone: only a cache without recorded files and without learnt
// sources lets the walk skip the stats.
func TestKnowsNone(t *testing.T) {
	dir := t.TempDir()
	src, fi := writeSource(t, dir, "learnt")
	learnt := newStateDir(t, dir, "learnt")
	recorded := &Records{Files: []*File{{Path: "/h/f", Source: src, Hash: "h"}}}
	learn := generations.New(system.NewReal(), learnt)
	// A no-op switch with files recorded learns a source.
	if _, _, _, err := hashSource(system.NewReal(), newHashCache(recorded, map[string]*File{}, learn), "", src, fi, fi.ModTime().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	learn.SaveSettled()
	empty := newStateDir(t, dir, "empty")
	for _, tc := range []struct {
		name  string
		cache *hashCache
		want  bool
	}{
		{"nothing", newHashCache(&Records{}, map[string]*File{}, nil), true},
		{"an empty store", newHashCache(&Records{}, map[string]*File{}, generations.New(system.NewReal(), empty)), true},
		{"files recorded", newHashCache(recorded, map[string]*File{}, nil), false},
		{"a learnt source", newHashCache(&Records{}, map[string]*File{}, generations.New(system.NewReal(), learnt)), false},
	} {
		if got := tc.cache.knowsNone(); got != tc.want {
			t.Errorf("%s: knowsNone() = %v, want %v", tc.name, got, tc.want)
		}
	}
}
