package generations

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform/system"
)

// interruptedSystem records the renames, syncs and removals of the
// store, and, while interrupt is set, makes a RemoveAll stop half way,
// as a crash or Ctrl-C would: it removes resources.json of the folder
// alone, then fails.
type interruptedSystem struct {
	system.System
	interrupt bool
	ops       []string
}

var errInterrupted = errors.New("interrupted")

func (s *interruptedSystem) Rename(oldpath, newpath string) error {
	s.ops = append(s.ops, "rename "+filepath.Base(oldpath)+" "+filepath.Base(newpath))
	return s.System.Rename(oldpath, newpath)
}

func (s *interruptedSystem) Sync(name string) error {
	s.ops = append(s.ops, "sync "+filepath.Base(name))
	return s.System.Sync(name)
}

func (s *interruptedSystem) RemoveAll(name string) error {
	s.ops = append(s.ops, "remove "+filepath.Base(name))
	if !s.interrupt {
		return s.System.RemoveAll(name)
	}
	if err := os.Chmod(name, 0o755); err != nil {
		return err
	}
	if err := os.Remove(filepath.Join(name, "resources.json")); err != nil {
		return err
	}
	return errInterrupted
}

// threeGenerations writes generations 1 to 3 of a store on sys, 3
// current, and returns the store and its state folder.
func threeGenerations(t *testing.T, sys system.System) (*Store, string) {
	t.Helper()
	dir := tempState(t)
	s := New(sys, dir)
	for n := 1; n <= 3; n++ {
		if err := s.Write(gen(n, []Entry{entry("etc", "motd", fmt.Sprintf("%d\n", n), false)})); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Flip(3); err != nil {
		t.Fatal(err)
	}
	return s, dir
}

// generationEntries are the names in generations/ of the state folder
// dir.
func generationEntries(t *testing.T, dir string) []string {
	t.Helper()
	return entryNames(t, filepath.Join(dir, generationsDir))
}

// TestDeleteRenamesFirst: Delete renames the generation's folder out of
// the generations, syncs, and only then removes it; nothing is left and
// nothing is listed.
func TestDeleteRenamesFirst(t *testing.T) {
	sys := &interruptedSystem{System: system.NewReal()}
	s, dir := threeGenerations(t, sys)
	sys.ops = nil
	if err := s.Delete(1); err != nil {
		t.Fatal(err)
	}
	want := []string{"rename 1 .tmp-deleting-1", "sync generations", "remove .tmp-deleting-1"}
	if !slices.Equal(sys.ops, want) {
		t.Errorf("Delete(1) did %q, want %q", sys.ops, want)
	}
	if nums, err := s.Numbers(); err != nil || !slices.Equal(nums, []int{2, 3}) {
		t.Errorf("Numbers() = %v, %v; want [2 3]", nums, err)
	}
	if got := generationEntries(t, dir); !slices.Equal(got, []string{"2", "3"}) {
		t.Errorf("generations/ holds %q after Delete(1), want [2 3]", got)
	}
	if _, err := s.Meta(1); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Meta(1) = %v after Delete(1), want not exist", err)
	}
}

// TestDeleteInterrupted: a Delete interrupted while it removes the
// generation (tester BI #10) leaves a folder that is no generation:
// not listed, not read, and removed by the next Delete, or by GC.
func TestDeleteInterrupted(t *testing.T) {
	for _, tc := range []struct {
		name  string
		clean func(s *Store) error
		left  []int // the numbers left
	}{
		{"next delete", func(s *Store) error { return s.Delete(2) }, []int{3}},
		{"gc", func(s *Store) error { _, err := s.GC(); return err }, []int{2, 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sys := &interruptedSystem{System: system.NewReal()}
			s, dir := threeGenerations(t, sys)
			sys.interrupt = true
			if err := s.Delete(1); !errors.Is(err, errInterrupted) {
				t.Fatalf("Delete(1) = %v, want it interrupted", err)
			}
			sys.interrupt = false
			leftover := filepath.Join(dir, generationsDir, ".tmp-deleting-1")
			if _, err := os.Lstat(filepath.Join(leftover, "meta.json")); err != nil {
				t.Fatalf("the interrupted removal left no half-removed folder: %v", err)
			}
			if nums, err := s.Numbers(); err != nil || !slices.Equal(nums, []int{2, 3}) {
				t.Errorf("Numbers() = %v, %v with a leftover; want [2 3]", nums, err)
			}
			if next, err := s.Next(); err != nil || next != 4 {
				t.Errorf("Next() = %d, %v with a leftover; want 4", next, err)
			}
			if err := tc.clean(s); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Lstat(leftover); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("%s: still there (%v)", leftover, err)
			}
			if nums, err := s.Numbers(); err != nil || !slices.Equal(nums, tc.left) {
				t.Errorf("Numbers() = %v, %v; want %v", nums, err, tc.left)
			}
		})
	}
}

// TestDeleteSameNumberAgain: a generation deleted, written again under
// the same number (the highest one, not current), and deleted again
// while the first removal's leftover is still there: the leftover goes
// first, out of the rename's way.
func TestDeleteSameNumberAgain(t *testing.T) {
	sys := &interruptedSystem{System: system.NewReal()}
	s, dir := threeGenerations(t, sys)
	if err := s.Flip(2); err != nil {
		t.Fatal(err)
	}
	sys.interrupt = true
	if err := s.Delete(3); !errors.Is(err, errInterrupted) {
		t.Fatalf("Delete(3) = %v, want it interrupted", err)
	}
	sys.interrupt = false
	next, err := s.Next()
	if err != nil || next != 3 {
		t.Fatalf("Next() = %d, %v; want 3", next, err)
	}
	if err := s.Write(gen(3, nil)); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(3); err != nil {
		t.Fatal(err)
	}
	if got := generationEntries(t, dir); !slices.Equal(got, []string{"1", "2"}) {
		t.Errorf("generations/ holds %q, want [1 2]", got)
	}
}

// TestDryRunDelete: a dry-run Delete records its steps and changes
// nothing.
func TestDryRunDelete(t *testing.T) {
	real := system.NewReal()
	_, dir := threeGenerations(t, real)
	before := snapshot(t, dir)
	dry := system.NewDryRun(real)
	if err := New(dry, dir).Delete(1); err != nil {
		t.Fatal(err)
	}
	if after := snapshot(t, dir); !slices.Equal(before, after) {
		t.Errorf("dry run changed the state folder:\nbefore %q\nafter  %q", before, after)
	}
	log := strings.Join(dry.Log(), "\n")
	gens := filepath.Join(dir, generationsDir)
	for _, want := range []string{"rename " + filepath.Join(gens, "1") + " -> " + filepath.Join(gens, ".tmp-deleting-1"), "remove -r " + filepath.Join(gens, ".tmp-deleting-1")} {
		if !strings.Contains(log, want) {
			t.Errorf("dry-run log %q lacks %q", log, want)
		}
	}
}

// TestMetaNeedsResources: a generation whose resources.json is missing
// or not a file (half removed by an older gocfg's interrupted delete,
// or by hand) is damaged, not a generation as any other; a damaged or
// missing meta.json is reported first.
func TestMetaNeedsResources(t *testing.T) {
	for _, tc := range []struct {
		name   string
		damage func(t *testing.T, gen string)
		path   string // the file the error names, in the generation
		want   string
		ofs    bool // the error is fs.ErrNotExist, not damaged
	}{
		{"intact", func(*testing.T, string) {}, "", "", false},
		{"missing", func(t *testing.T, g string) { mustRemove(t, g, "resources.json") }, "resources.json", "the file is missing", false},
		{"folder", func(t *testing.T, g string) {
			mustRemove(t, g, "resources.json")
			if err := os.Mkdir(filepath.Join(g, "resources.json"), 0o755); err != nil {
				t.Fatal(err)
			}
		}, "resources.json", "it is a folder, not a file", false},
		{"symlink", func(t *testing.T, g string) {
			if err := os.Rename(filepath.Join(g, "resources.json"), filepath.Join(g, "r.json")); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink("r.json", filepath.Join(g, "resources.json")); err != nil {
				t.Fatal(err)
			}
		}, "resources.json", "it is a symlink, not a file", false},
		{"meta.json damaged too", func(t *testing.T, g string) {
			mustRemove(t, g, "resources.json")
			if err := os.WriteFile(filepath.Join(g, "meta.json"), nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}, "meta.json", "the file is empty", false},
		{"meta.json missing too", func(t *testing.T, g string) {
			mustRemove(t, g, "resources.json")
			mustRemove(t, g, "meta.json")
		}, "", "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := threeGenerations(t, system.NewReal())
			g := s.Path(1)
			if err := os.Chmod(g, 0o755); err != nil {
				t.Fatal(err)
			}
			tc.damage(t, g)
			meta, err := s.Meta(1)
			var de *DamagedError
			switch {
			case tc.ofs:
				if !errors.Is(err, fs.ErrNotExist) {
					t.Errorf("Meta(1) = %v, want not exist", err)
				}
			case tc.want == "":
				if err != nil || meta.Number != 1 {
					t.Errorf("Meta(1) = %+v, %v", meta, err)
				}
			case !errors.As(err, &de) || de.Path != filepath.Join(g, tc.path) || de.Err.Error() != tc.want:
				t.Errorf("Meta(1) = %v, want a *DamagedError of %s: %s", err, tc.path, tc.want)
			}
			// The others are as they were.
			if _, err := s.Meta(2); err != nil {
				t.Errorf("Meta(2) = %v", err)
			}
		})
	}
}

// mustRemove removes name in the folder dir.
func mustRemove(t *testing.T, dir, name string) {
	t.Helper()
	if err := os.Remove(filepath.Join(dir, name)); err != nil {
		t.Fatal(err)
	}
}
