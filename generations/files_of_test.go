package generations

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/internal/testfs"
)

// TestWriteFilesOf: a generation written with FilesOf has the files tree
// of that generation (every root at the same object, /etc and a home),
// its own meta, config and resources, and writes no object; deleting the
// first generation and collecting leaves its files whole.
func TestWriteFilesOf(t *testing.T) {
	s, dir := tempStore(t)
	files := append(nested(2, 2, 2, plain), entry("etc", "motd", "hello\n", false))
	if err := s.Write(gen(1, files)); err != nil {
		t.Fatal(err)
	}
	before := append(objects(t, dir, "home-alice"), objects(t, dir, "system")...)
	g := gen(3, nil)
	g.Areas, g.FilesOf = nil, 1
	g.Resources = []byte(`{"version":1,"records":{}}`)
	if err := s.Write(g); err != nil {
		t.Fatal(err)
	}
	for _, root := range []string{"etc", "home/alice"} {
		h1, err1 := s.TreeHash(1, root)
		h3, err3 := s.TreeHash(3, root)
		if err1 != nil || err3 != nil || h1 == "" || h3 != h1 {
			t.Errorf("%s: tree of generation 3 = %q (%v), want generation 1's %q (%v)", root, h3, err3, h1, err1)
		}
	}
	if after := append(objects(t, dir, "home-alice"), objects(t, dir, "system")...); !slices.Equal(after, before) {
		t.Errorf("objects after the write: %v, want %v (none written)", after, before)
	}
	if got := testfs.Read(t, filepath.Join(s.Path(3), "resources.json")); got != string(g.Resources) {
		t.Errorf("resources.json = %q, want %q", got, g.Resources)
	}
	if m, err := s.Meta(3); err != nil || m.Number != 3 {
		t.Errorf("Meta(3) = %+v, %v", m, err)
	}
	if err := s.Flip(3); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(1); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GC(); err != nil {
		t.Fatal(err)
	}
	for _, e := range files {
		if got := testfs.Read(t, s.CurrentFilePath(e.Root, e.Rel)); got != plainOr(e) {
			t.Errorf("%s/%s = %q after generation 1 was collected", e.Root, e.Rel, got)
		}
	}
}

// plainOr is the fixture content of e: hello for /etc/motd.
func plainOr(e Entry) string {
	if e.Root == "etc" {
		return "hello\n"
	}
	return plain(e.Rel)
}

func TestWriteFilesOfRefused(t *testing.T) {
	s, dir := tempStore(t)
	if err := s.Write(gen(1, nested(1, 1, 1, plain))); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name  string
		setup func()
		g     func() NewGeneration
		want  string
	}{
		{
			name: "files of its own in a root it has",
			g: func() NewGeneration {
				g := gen(2, nested(1, 1, 1, plain))
				g.FilesOf = 1
				return g
			},
			want: "generation 2 would have files root home/alice of its own beside home/alice of generation 1",
		},
		{
			name: "files of its own in a root below one it has",
			g: func() NewGeneration {
				g := gen(2, []Entry{entry("home/alice/x", "f", "x\n", false)})
				g.FilesOf, g.Areas = 1, map[string]Area{"home/alice/x": {Name: "home-alice", UID: -1, GID: -1, Private: true}}
				return g
			},
			want: "generation 2 would have files root home/alice/x of its own beside home/alice of generation 1",
		},
		{
			name: "no such generation",
			g: func() NewGeneration {
				g := gen(2, nil)
				g.Areas, g.FilesOf = nil, 7
				return g
			},
			want: "the files of generation 7: ",
		},
		{
			name: "an object missing from the store",
			setup: func() {
				h, err := s.TreeHash(1, "home/alice")
				if err != nil {
					t.Fatal(err)
				}
				obj := filepath.Join(dir, "store", "home-alice", h)
				if err := os.Rename(obj, obj+".gone"); err != nil {
					t.Fatal(err)
				}
			},
			g: func() NewGeneration {
				g := gen(2, nil)
				g.Areas, g.FilesOf = nil, 1
				return g
			},
			want: "is not in the store",
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if tt.setup != nil {
				tt.setup()
			}
			err := s.Write(tt.g())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Write = %v, want an error with %q", err, tt.want)
			}
			if _, err := os.Lstat(s.Path(2)); err == nil {
				t.Errorf("%s exists after the refused write", s.Path(2))
			}
		})
	}
}

// TestWriteRootsFrom: a generation written with FilesOf and RootsFrom
// has FilesOf's files tree but for the roots RootsFrom names, which are
// the other generation's (a rollback that holds a user's home carries
// the current generation's files for her), or absent where that
// generation has none; no object is written. Without FilesOf it is
// refused.
// TestWriteFilesOfAddedRoots: a generation written with FilesOf has
// that generation's roots, and roots of its own beside them (Files in
// roots it lacks), whose objects are written; it verifies.
func TestWriteFilesOfAddedRoots(t *testing.T) {
	s, _ := tempStore(t)
	if err := s.Write(gen(1, append(nested(1, 1, 2, plain), entry("etc", "motd", "one\n", false)))); err != nil {
		t.Fatal(err)
	}
	g := gen(2, []Entry{entry("age-home/alice", "netrc", "cipher\n", false)})
	g.FilesOf, g.Areas = 1, map[string]Area{"age-home/alice": {Name: "age", UID: -1, GID: -1, Private: true}}
	if err := s.Write(g); err != nil {
		t.Fatal(err)
	}
	for _, root := range []string{"etc", "home/alice"} {
		want, err := s.TreeHash(1, root)
		got, err2 := s.TreeHash(2, root)
		if err != nil || err2 != nil || got != want {
			t.Errorf("%s: tree of generation 2 = %q (%v), want generation 1's %q (%v)", root, got, err2, want, err)
		}
	}
	if data, err := os.ReadFile(s.FilePath(2, "age-home/alice", "netrc")); err != nil || string(data) != "cipher\n" {
		t.Errorf("the added root's file: %q, %v", data, err)
	}
	r, err := s.Verify(VerifyOptions{})
	if err != nil || len(r.Damaged) != 0 {
		t.Errorf("verify: %v, %+v", err, r)
	}
}

func TestWriteRootsFrom(t *testing.T) {
	s, dir := tempStore(t)
	if err := s.Write(gen(1, append(nested(1, 1, 2, plain), entry("etc", "motd", "one\n", false)))); err != nil {
		t.Fatal(err)
	}
	if err := s.Write(gen(2, []Entry{entry("home/alice", "pin", "two\n", false), entry("etc", "motd", "two\n", false)})); err != nil {
		t.Fatal(err)
	}
	if err := s.Write(gen(4, []Entry{entry("etc", "motd", "four\n", false)})); err != nil {
		t.Fatal(err)
	}
	before := append(objects(t, dir, "home-alice"), objects(t, dir, "system")...)
	g := gen(3, nil)
	g.Areas, g.FilesOf, g.RootsFrom = nil, 1, map[string]int{"home/alice": 2}
	if err := s.Write(g); err != nil {
		t.Fatal(err)
	}
	for root, from := range map[string]int{"etc": 1, "home/alice": 2} {
		want, err := s.TreeHash(from, root)
		got, err3 := s.TreeHash(3, root)
		if err != nil || err3 != nil || want == "" || got != want {
			t.Errorf("%s: tree of generation 3 = %q (%v), want generation %d's %q (%v)", root, got, err3, from, want, err)
		}
	}
	if after := append(objects(t, dir, "home-alice"), objects(t, dir, "system")...); !slices.Equal(after, before) {
		t.Errorf("objects after the write: %v, want %v (none written)", after, before)
	}
	// Generation 4 has no home of alice's: neither has generation 5.
	g = gen(5, nil)
	g.Areas, g.FilesOf, g.RootsFrom = nil, 1, map[string]int{"home/alice": 4}
	if err := s.Write(g); err != nil {
		t.Fatal(err)
	}
	if h, err := s.TreeHash(5, "home/alice"); err == nil && h != "" {
		t.Errorf("home/alice: tree of generation 5 = %q, want none", h)
	}
	g = gen(6, []Entry{entry("etc", "motd", "six\n", false)})
	g.RootsFrom = map[string]int{"home/alice": 2}
	if err := s.Write(g); err == nil || !strings.Contains(err.Error(), "without FilesOf") {
		t.Errorf("Write with RootsFrom and no FilesOf = %v, want it refused", err)
	}
}
