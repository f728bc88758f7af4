package generations

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"syscall"
	"testing"
	"testing/iotest"

	"github.com/gocfg/gocfg/internal/testfs"
	"github.com/gocfg/gocfg/platform/system"
)

func TestFreshState(t *testing.T) {
	s := New(system.NewReal(), tempState(t))
	if n, err := s.Current(); n != 0 || err != nil {
		t.Errorf("Current() = %d, %v; want 0, nil", n, err)
	}
	if nums, err := s.Numbers(); len(nums) != 0 || err != nil {
		t.Errorf("Numbers() = %v, %v; want none", nums, err)
	}
	if n, err := s.Next(); n != 1 || err != nil {
		t.Errorf("Next() = %d, %v; want 1, nil", n, err)
	}
	if h, err := s.TreeHash(1, "etc"); h != "" || err != nil {
		t.Errorf("TreeHash() = %q, %v; want none", h, err)
	}
	if st, err := s.GC(); st != (GCStats{}) || err != nil {
		t.Errorf("GC() = %+v, %v; want nothing", st, err)
	}
}

func TestPaths(t *testing.T) {
	s := New(system.NewReal(), "/var/lib/gocfg/")
	for got, want := range map[string]string{
		s.Dir():                                 "/var/lib/gocfg",
		s.LockPath():                            "/var/lib/gocfg/lock",
		s.JournalPath():                         "/var/lib/gocfg/journal.json",
		s.CurrentPath():                         "/var/lib/gocfg/current",
		s.Path(3):                               "/var/lib/gocfg/generations/3",
		s.FilePath(3, "etc", ""):                "/var/lib/gocfg/generations/3/files/etc",
		s.FilePath(3, "home/alice", ".zshrc"):   "/var/lib/gocfg/generations/3/files/home/alice/.zshrc",
		s.CurrentFilePath("home/alice", ".a/b"): "/var/lib/gocfg/current/files/home/alice/.a/b",
		s.CurrentFilePath("etc", ""):            "/var/lib/gocfg/current/files/etc",
	} {
		if got != want {
			t.Errorf("got %s, want %s", got, want)
		}
	}
}

func TestWriteFlipRoundTrip(t *testing.T) {
	s, dir := tempStore(t)
	g := gen(1, []Entry{
		entry("home/alice", ".config/x", "x content\n", false),
		entry("home/alice", ".local/bin/tool", "#!/bin/sh\n", true),
		entry("etc", "motd", "hello\n", false),
	})
	g.Meta.Held = []string{"bob"}
	if err := s.Write(g); err != nil {
		t.Fatal(err)
	}
	// A switch writes its journal before the generation: with one
	// (recovery pending) a generation without the current link is one
	// never made current; without, the link was lost (TestCurrentLost).
	if err := os.WriteFile(s.JournalPath(), []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	if n, err := s.Current(); n != 0 || err != nil {
		t.Errorf("Current() before Flip, with a journal = %d, %v; want 0, nil", n, err)
	}
	if err := os.Remove(s.JournalPath()); err != nil {
		t.Fatal(err)
	}
	if err := s.Flip(1); err != nil {
		t.Fatal(err)
	}
	if n, err := s.Current(); n != 1 || err != nil {
		t.Errorf("Current() = %d, %v; want 1, nil", n, err)
	}
	if target, _ := os.Readlink(s.CurrentPath()); target != "generations/1" {
		t.Errorf("current -> %s, want generations/1", target)
	}
	if nums, err := s.Numbers(); !slices.Equal(nums, []int{1}) || err != nil {
		t.Errorf("Numbers() = %v, %v; want [1]", nums, err)
	}
	m, err := s.Meta(1)
	if err != nil {
		t.Fatal(err)
	}
	if !m.Time.Equal(g.Meta.Time) {
		t.Errorf("Meta().Time = %v, want %v", m.Time, g.Meta.Time)
	}
	m.Time = g.Meta.Time
	if !reflect.DeepEqual(m, g.Meta) {
		t.Errorf("Meta() = %+v, want %+v", m, g.Meta)
	}
	if b, err := s.ReadFile(1, "config.json"); string(b) != string(g.Config) || err != nil {
		t.Errorf("ReadFile(config.json) = %q, %v", b, err)
	}
	if b, err := s.ReadFile(1, "resources.json"); string(b) != "[]" || err != nil {
		t.Errorf("ReadFile(resources.json) = %q, %v", b, err)
	}
	if _, err := s.ReadFile(1, "../1/meta.json"); err == nil {
		t.Error("ReadFile(../1/meta.json) succeeded")
	}
	if n, err := s.FileSize(1, "config.json"); n != int64(len(g.Config)) || err != nil {
		t.Errorf("FileSize(config.json) = %d, %v; want %d", n, err, len(g.Config))
	}
	if _, err := s.FileSize(1, "../1/meta.json"); err == nil {
		t.Error("FileSize(../1/meta.json) succeeded")
	}
	if _, err := s.FileSize(2, "resources.json"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("FileSize of generation 2 = %v, want fs.ErrNotExist", err)
	}
	for name, want := range map[string]fs.FileMode{"meta.json": 0o644, "config.json": 0o600, "resources.json": 0o600} {
		if got := perm(t, filepath.Join(s.Path(1), name)); got != want {
			t.Errorf("%s: mode %04o, want %04o", name, got, want)
		}
	}

	// Contents through current, read-only.
	if got := testfs.Read(t, s.CurrentFilePath("home/alice", ".config/x")); got != "x content\n" {
		t.Errorf(".config/x = %q", got)
	}
	if got := testfs.Read(t, s.CurrentFilePath("etc", "motd")); got != "hello\n" {
		t.Errorf("motd = %q", got)
	}
	for p, want := range map[string]fs.FileMode{
		s.CurrentFilePath("home/alice", ".config/x"):       0o444,
		s.CurrentFilePath("home/alice", ".local/bin/tool"): 0o555,
		s.CurrentFilePath("home/alice", ".local/bin"):      0o555,
		s.CurrentFilePath("home/alice", ""):                0o555,
		s.CurrentFilePath("etc", ""):                       0o555,
		filepath.Join(dir, "store", "home-alice"):          0o700,
		filepath.Join(dir, "store", "system"):              0o755,
		filepath.Join(s.Path(1), "files"):                  0o555,
		filepath.Join(s.Path(1), "files", "home"):          0o555,
	} {
		if got := perm(t, p); got != want {
			t.Errorf("%s: mode %04o, want %04o", p, got, want)
		}
	}
	if err := os.WriteFile(s.CurrentFilePath("etc", "motd"), []byte("edited"), 0o644); err == nil && os.Getuid() != 0 {
		t.Error("writing through current succeeded")
	}

	// Relative root links, and TreeHash.
	for root, up := range map[string]string{"etc": "../../../", "home/alice": "../../../../"} {
		target, err := os.Readlink(s.FilePath(1, root, ""))
		if err != nil {
			t.Fatal(err)
		}
		h, err := s.TreeHash(1, root)
		if err != nil {
			t.Fatal(err)
		}
		want := up + "store/" + testAreas()[root].Name + "/" + h
		if target != want || !isHash(h) {
			t.Errorf("%s -> %s (TreeHash %q), want %s", root, target, h, want)
		}
	}
	if h, err := s.TreeHash(1, "home/bob"); h != "" || err != nil {
		t.Errorf("TreeHash(home/bob) = %q, %v; want none", h, err)
	}

	// Next generation, and refusals.
	if n, err := s.Next(); n != 2 || err != nil {
		t.Errorf("Next() = %d, %v; want 2", n, err)
	}
	if err := s.Write(g); err == nil || !strings.Contains(err.Error(), "exists already") {
		t.Errorf("Write of generation 1 again: %v", err)
	}
	if err := s.Write(gen(2, []Entry{entry("etc", "motd", "bye\n", false)})); err != nil {
		t.Fatal(err)
	}
	if err := s.Flip(2); err != nil {
		t.Fatal(err)
	}
	if got := testfs.Read(t, s.CurrentFilePath("etc", "motd")); got != "bye\n" {
		t.Errorf("motd after flip = %q", got)
	}
	if _, err := os.Lstat(s.CurrentFilePath("home/alice", "")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("home/alice in generation 2: %v", err)
	}
	if err := s.Flip(7); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Flip(7) = %v, want not exist", err)
	}
	if n, _ := s.Current(); n != 2 {
		t.Errorf("Current() = %d after a failed flip", n)
	}
}

func TestEmptyGeneration(t *testing.T) {
	s, _ := tempStore(t)
	if err := s.Write(gen(1, nil)); err != nil {
		t.Fatal(err)
	}
	des, err := os.ReadDir(filepath.Join(s.Path(1), "files"))
	if err != nil || len(des) != 0 {
		t.Errorf("files/ = %v, %v; want empty", des, err)
	}
	if err := s.Flip(1); err != nil {
		t.Fatal(err)
	}
	if st, err := s.GC(); st != (GCStats{}) || err != nil {
		t.Errorf("GC() = %+v, %v", st, err)
	}
}

func TestStructuralSharing(t *testing.T) {
	s, dir := tempStore(t)
	const root = "home/alice"
	// 1 + 4*5*10 = 201 files in 1 + 1 + 4 + 20 = 26 folders.
	g1 := nested(4, 5, 10, plain)
	if err := s.Write(gen(1, g1)); err != nil {
		t.Fatal(err)
	}
	before := objects(t, dir, "home-alice")
	if len(before) != 26 {
		t.Fatalf("generation 1 has %d objects, want 26", len(before))
	}

	changed := ".config/app_1/sub_2/file_3"
	g2 := nested(4, 5, 10, func(rel string) string {
		if rel == changed {
			return "new content\n"
		}
		return plain(rel)
	})
	for i := range g2 {
		if g2[i].Rel != changed {
			g2[i].Have = s.FilePath(1, root, g2[i].Rel)
			g2[i].Open = func() (io.ReadCloser, error) {
				t.Errorf("%s: copied instead of linked", g2[i].Rel)
				return nil, errors.New("not expected")
			}
		}
	}
	if err := s.Write(gen(2, g2)); err != nil {
		t.Fatal(err)
	}
	after := objects(t, dir, "home-alice")
	// The folders along the changed path: sub_2, app_1, .config, the root.
	if len(after)-len(before) != 4 {
		t.Errorf("generation 2 wrote %d objects, want 4", len(after)-len(before))
	}
	if got := testfs.Read(t, s.FilePath(2, root, changed)); got != "new content\n" {
		t.Errorf("%s = %q", changed, got)
	}
	if got := testfs.Read(t, s.FilePath(1, root, changed)); got != plain(changed) {
		t.Errorf("generation 1's %s = %q", changed, got)
	}

	same := func(rel string) bool {
		a, err := os.Stat(s.FilePath(1, root, rel))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.Stat(s.FilePath(2, root, rel))
		if err != nil {
			t.Fatal(err)
		}
		return os.SameFile(a, b)
	}
	for _, rel := range []string{".config/app_2", ".config/app_1/sub_3", ".config/app_0/sub_0/file_0"} {
		if !same(rel) {
			t.Errorf("%s: not shared by generations 1 and 2", rel)
		}
	}
	for _, rel := range []string{"", ".config", ".config/app_1", ".config/app_1/sub_2", changed} {
		if same(rel) {
			t.Errorf("%s: shared by generations 1 and 2 although it changed", rel)
		}
	}
	// The same object by path too: both generations' app_2 lead to one
	// object through the subtree links.
	e1, _ := filepath.EvalSymlinks(s.FilePath(1, root, ".config/app_2"))
	e2, _ := filepath.EvalSymlinks(s.FilePath(2, root, ".config/app_2"))
	if e1 != e2 || !strings.HasPrefix(e1, filepath.Join(dir, "store", "home-alice")+"/") {
		t.Errorf("app_2 resolves to %s and %s", e1, e2)
	}
	// Unchanged files of the changed folder are hard links (Have).
	sibling := ".config/app_1/sub_2/file_4"
	if !same(sibling) {
		t.Errorf("%s: not hard-linked", sibling)
	}
	fi, err := os.Stat(s.FilePath(2, root, sibling))
	if err != nil {
		t.Fatal(err)
	}
	if n := fi.Sys().(*syscall.Stat_t).Nlink; n != 2 {
		t.Errorf("%s: %d links, want 2", sibling, n)
	}
	if fi.Mode().Perm() != 0o444 {
		t.Errorf("%s: mode %04o", sibling, fi.Mode().Perm())
	}
	// A subtree link is relative, inside the area.
	obj, _ := filepath.EvalSymlinks(s.FilePath(2, root, ".config"))
	target, err := os.Readlink(filepath.Join(obj, "app_2"))
	if err != nil || target != "../"+filepath.Base(e2) {
		t.Errorf("app_2 -> %s, %v; want ../%s", target, err, filepath.Base(e2))
	}

	// Writing the same files again as generation 3 writes nothing new.
	if err := s.Write(gen(3, g2)); err != nil {
		t.Fatal(err)
	}
	if n := len(objects(t, dir, "home-alice")); n != len(after) {
		t.Errorf("generation 3 (same as 2) made %d objects, want none", n-len(after))
	}
}

func TestIdenticalFoldersStoredOnce(t *testing.T) {
	s, dir := tempStore(t)
	files := []Entry{
		entry("home/alice", "a/x", "same\n", false),
		entry("home/alice", "b/x", "same\n", false),
		entry("home/alice", "c/x", "same\n", true), // differs by mode
		entry("etc", "a/x", "same\n", false),       // another area
	}
	if err := s.Write(gen(1, files)); err != nil {
		t.Fatal(err)
	}
	// Objects: a = b, c, and the root.
	if got := objects(t, dir, "home-alice"); len(got) != 3 {
		t.Errorf("home-alice objects = %v, want 3", got)
	}
	if got := objects(t, dir, "system"); len(got) != 2 {
		t.Errorf("system objects = %v, want 2", got)
	}
	ea, _ := filepath.EvalSymlinks(s.FilePath(1, "home/alice", "a"))
	eb, _ := filepath.EvalSymlinks(s.FilePath(1, "home/alice", "b"))
	if ea != eb {
		t.Errorf("a and b are %s and %s, want one object", ea, eb)
	}
}

func TestDeleteAndGC(t *testing.T) {
	s, dir := tempStore(t)
	const root = "home/alice"
	if err := s.Write(gen(1, nested(4, 5, 10, plain))); err != nil {
		t.Fatal(err)
	}
	changed := ".config/app_1/sub_2/file_3"
	content := func(rel string) string {
		if rel == changed {
			return "new content\n"
		}
		return plain(rel)
	}
	g2 := nested(4, 5, 10, content)
	for i := range g2 {
		if g2[i].Rel != changed {
			g2[i].Have = s.FilePath(1, root, g2[i].Rel)
		}
	}
	if err := s.Write(gen(2, g2)); err != nil {
		t.Fatal(err)
	}
	if err := s.Flip(2); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(2); !errors.Is(err, ErrCurrent) || !strings.HasPrefix(err.Error(), s.Path(2)+": ") {
		t.Errorf("Delete(current) = %v, want ErrCurrent", err)
	}
	if err := s.Delete(5); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Delete(5) = %v, want not exist", err)
	}
	if err := s.Delete(1); err != nil {
		t.Fatal(err)
	}
	if nums, _ := s.Numbers(); !slices.Equal(nums, []int{2}) {
		t.Errorf("Numbers() = %v after Delete(1)", nums)
	}
	// Delete leaves the objects; GC removes the 4 only generation 1 used.
	if n := len(objects(t, dir, "home-alice")); n != 30 {
		t.Errorf("%d objects after Delete, want 30", n)
	}
	// Leftovers of interrupted writes.
	leftovers := []string{
		filepath.Join(dir, "store", "home-alice", ".tmp-0123"),
		filepath.Join(dir, "generations", ".tmp-3-4567"),
	}
	for _, p := range leftovers {
		if err := os.MkdirAll(filepath.Join(p, "sub"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(p, "sub", "f"), []byte("x"), 0o444); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, 0o555); err != nil {
			t.Fatal(err)
		}
	}
	st, err := s.GC()
	if err != nil {
		t.Fatal(err)
	}
	// Of the removed objects' files, only the old file_3 had one link: its
	// siblings are linked from generation 2 too.
	want := GCStats{Objects: 4, Bytes: int64(len(plain(changed)))}
	if st != want {
		t.Errorf("GC() = %+v, want %+v", st, want)
	}
	if n := len(objects(t, dir, "home-alice")); n != 26 {
		t.Errorf("%d objects after GC, want 26", n)
	}
	for _, p := range leftovers {
		if _, err := os.Lstat(p); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s: still there after GC (%v)", p, err)
		}
	}
	for _, e := range g2 {
		if got := testfs.Read(t, s.CurrentFilePath(root, e.Rel)); got != content(e.Rel) {
			t.Errorf("%s = %q after GC", e.Rel, got)
		}
	}
	if st, err := s.GC(); st != (GCStats{}) || err != nil {
		t.Errorf("second GC() = %+v, %v; want nothing", st, err)
	}
}

func TestInvalidEntries(t *testing.T) {
	ok := entry("home/alice", "ok", "ok\n", false)
	for _, tc := range []struct {
		name  string
		files []Entry
		areas map[string]Area
		want  string
	}{
		{"dotdot", []Entry{entry("home/alice", "../x", "x", false)}, nil, `home/alice/../x: invalid entry: ".." path segment`},
		{"inner dotdot", []Entry{entry("home/alice", "a/../../x", "x", false)}, nil, `".." path segment`},
		{"dot", []Entry{entry("home/alice", "a/./x", "x", false)}, nil, `"." path segment`},
		{"absolute", []Entry{entry("home/alice", "/etc/x", "x", false)}, nil, "absolute path"},
		{"empty segment", []Entry{entry("home/alice", "a//x", "x", false)}, nil, "empty path segment"},
		{"trailing slash", []Entry{entry("home/alice", "a/", "x", false)}, nil, "empty path segment"},
		{"empty", []Entry{entry("home/alice", "", "x", false)}, nil, "empty path"},
		{"duplicate", []Entry{ok, entry("home/alice", "a", "1", false), entry("home/alice", "a", "2", false)}, nil, "home/alice/a: invalid entry: duplicate file"},
		{"file then folder", []Entry{entry("home/alice", "a", "1", false), entry("home/alice", "a/b", "2", false)}, nil, "a is both a file and a folder"},
		{"folder then file", []Entry{entry("home/alice", "a/b", "1", false), entry("home/alice", "a", "2", false)}, nil, "home/alice/a: invalid entry: both a file and a folder"},
		{"no area", []Entry{entry("home/bob", "x", "x", false)}, nil, "home/bob/x: invalid entry: no store area for files root home/bob"},
		{"bad hash", []Entry{{Root: "etc", Rel: "x", Hash: "abc", Open: ok.Open}}, nil, "not a lowercase hex sha256"},
		{"no content", []Entry{{Root: "etc", Rel: "x", Hash: sum("")}}, nil, "neither Have nor Open"},
		{"nested roots", []Entry{entry("home", "x", "x", false), ok}, map[string]Area{
			"home": {Name: "homes", UID: -1, GID: -1}, "home/alice": {Name: "home-alice", UID: -1, GID: -1},
		}, "home/alice: invalid files root: inside files root home"},
		{"bad area", []Entry{ok}, map[string]Area{"home/alice": {Name: "../x", UID: -1, GID: -1}}, "invalid area"},
		{"area conflict", []Entry{ok}, map[string]Area{
			"home/alice": {Name: "shared", UID: -1, GID: -1, Private: true}, "etc": {Name: "shared", UID: -1, GID: -1},
		}, "different owners or modes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, dir := tempStore(t)
			g := gen(1, tc.files)
			if tc.areas != nil {
				g.Areas = tc.areas
			}
			err := s.Write(g)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Write() = %v, want an error containing %q", err, tc.want)
			}
			if _, err := os.Lstat(dir); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("the state folder was created (%v)", err)
			}
		})
	}
}

func TestWriteFailsMidway(t *testing.T) {
	broken := errors.New("cannot read")
	for _, tc := range []struct {
		name string
		bad  Entry
		want string
	}{
		{"open fails", Entry{Root: "home/alice", Rel: ".config/app_2/sub_1/bad", Hash: sum("x"),
			Open: func() (io.ReadCloser, error) { return nil, broken }}, "cannot read"},
		{"wrong hash", Entry{Root: "home/alice", Rel: ".config/app_2/sub_1/bad", Hash: sum("y"),
			Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader("x")), nil }}, "content has sha256 " + sum("x") + ", not " + sum("y") + " as its entry says: its source changed since the plan was made; nothing was changed: run gocfg switch again"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, dir := tempStore(t)
			err := s.Write(gen(1, append(nested(3, 3, 5, plain), tc.bad)))
			if err == nil || !strings.Contains(err.Error(), tc.want) ||
				!strings.HasPrefix(err.Error(), "home/alice/.config/app_2/sub_1/bad: ") {
				t.Fatalf("Write() = %v, want an error about the bad entry", err)
			}
			if _, err := os.Lstat(s.Path(1)); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("generation 1 exists after a failed write (%v)", err)
			}
			if nums, err := s.Numbers(); len(nums) != 0 || err != nil {
				t.Errorf("Numbers() = %v, %v", nums, err)
			}
			// No temporary folder is left, and every object there is
			// complete (read-only).
			for _, name := range objects(t, dir, "home-alice") {
				if !isHash(name) {
					t.Errorf("leftover %s in the store", name)
				} else if m := perm(t, filepath.Join(dir, "store", "home-alice", name)); m != 0o555 {
					t.Errorf("object %s has mode %04o", name, m)
				}
			}
			// The failed objects are written by the next attempt.
			if err := s.Write(gen(1, nested(3, 3, 5, plain))); err != nil {
				t.Fatal(err)
			}
			if st, err := s.GC(); err != nil || st.Objects != 0 {
				t.Errorf("GC() = %+v, %v", st, err)
			}
		})
	}
}

func TestDryRunWriteChangesNothing(t *testing.T) {
	dir := tempState(t)
	real := system.NewReal()
	if err := New(real, dir).Write(gen(1, nested(2, 2, 3, plain))); err != nil {
		t.Fatal(err)
	}
	if err := New(real, dir).Flip(1); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dir)
	dry := system.NewDryRun(real)
	s := New(dry, dir)
	g2 := nested(2, 2, 3, func(rel string) string { return "changed " + rel })
	if err := s.Write(gen(2, g2)); err != nil {
		t.Fatal(err)
	}
	if err := s.Flip(1); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GC(); err != nil {
		t.Fatal(err)
	}
	if after := snapshot(t, dir); !slices.Equal(before, after) {
		t.Errorf("dry run changed the state folder:\nbefore %q\nafter  %q", before, after)
	}
	if len(dry.Log()) == 0 {
		t.Error("dry run recorded nothing")
	}

	// A fresh state folder stays missing.
	fresh := tempState(t)
	if err := New(dry, fresh).Write(gen(1, g2)); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(fresh); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("dry run created %s (%v)", fresh, err)
	}
}

func TestRooted(t *testing.T) {
	root := filepath.Dir(tempState(t))
	s := New(system.NewRooted(root, system.NewReal()), "/var/lib/gocfg")
	if err := s.Write(gen(1, []Entry{entry("home/alice", ".zshrc", "zsh\n", false)})); err != nil {
		t.Fatal(err)
	}
	if err := s.Flip(1); err != nil {
		t.Fatal(err)
	}
	host := filepath.Join(root, "var/lib/gocfg/current/files/home/alice/.zshrc")
	if got := testfs.Read(t, host); got != "zsh\n" {
		t.Errorf("%s = %q", host, got)
	}
	if n, err := s.Current(); n != 1 || err != nil {
		t.Errorf("Current() = %d, %v", n, err)
	}
	if st, err := s.GC(); st != (GCStats{}) || err != nil {
		t.Errorf("GC() = %+v, %v", st, err)
	}
}

func TestOwnership(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("needs root to give files away")
	}
	s, dir := tempStore(t)
	g := gen(1, []Entry{
		entry("home/alice", ".ssh/config", "Host *\n", false),
		entry("etc", "motd", "Host *\n", false),
	})
	g.Areas["home/alice"] = Area{Name: "home-alice", UID: 1234, GID: 1235, Private: true}
	if err := s.Write(g); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{
		filepath.Join(dir, "store", "home-alice"),
		s.FilePath(1, "home/alice", ""),
		s.FilePath(1, "home/alice", ".ssh"),
		s.FilePath(1, "home/alice", ".ssh/config"),
	} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st := fi.Sys().(*syscall.Stat_t); st.Uid != 1234 || st.Gid != 1235 {
			t.Errorf("%s: owned by %d:%d, want 1234:1235", p, st.Uid, st.Gid)
		}
	}
	if m := perm(t, filepath.Join(dir, "store", "home-alice")); m != 0o700 {
		t.Errorf("home-alice: mode %04o", m)
	}
	// A file of another owner is copied, not linked: linking would share
	// (and chown) root's file.
	e := entry("home/alice", ".ssh/config", "Host *\n", false)
	e.Have = s.FilePath(1, "etc", "motd")
	g2 := gen(2, []Entry{e})
	g2.Areas = g.Areas
	if err := s.Write(g2); err != nil {
		t.Fatal(err)
	}
	a, _ := os.Stat(s.FilePath(2, "home/alice", ".ssh/config"))
	b, _ := os.Stat(s.FilePath(1, "etc", "motd"))
	if os.SameFile(a, b) {
		t.Error("a file of another owner was hard-linked")
	}
	if st := b.Sys().(*syscall.Stat_t); st.Uid != 0 {
		t.Errorf("motd now owned by %d", st.Uid)
	}
}

func TestLock(t *testing.T) {
	s, _ := tempStore(t)
	u, err := s.Lock(42)
	if err != nil {
		t.Fatal(err)
	}
	if got := testfs.Read(t, s.LockPath()); got != "42\n" {
		t.Errorf("lock file = %q", got)
	}
	if _, err := s.Lock(43); !errors.Is(err, system.ErrLocked) {
		t.Errorf("second Lock() = %v, want ErrLocked", err)
	}
	if err := u.Unlock(); err != nil {
		t.Fatal(err)
	}
	u, err = s.Lock(44)
	if err != nil {
		t.Fatal(err)
	}
	_ = u.Unlock()
}

func TestCurrentMalformed(t *testing.T) {
	dir := tempState(t)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	s := New(system.NewReal(), dir)
	if err := os.Symlink("elsewhere/3", s.CurrentPath()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Current(); err == nil || !strings.HasPrefix(err.Error(), s.CurrentPath()+": ") {
		t.Errorf("Current() = %v, want an error about current", err)
	}
}

// FilePath is filepath.Join of the generation's files folder, the root
// and rel, whichever way it is made.
func TestFilePathJoin(t *testing.T) {
	for _, dir := range []string{"/var/lib/gocfg", "/", "state", ".", "/a//b/../c/"} {
		s := New(system.NewReal(), dir)
		for _, root := range []string{"home/alice", "etc", "", "/etc", "etc/", "a//b", "./a", "a/..", "a/.b", "..a"} {
			for _, rel := range []string{"", ".bashrc", ".config/app/conf", "a/../b", "a/./b", "a//b", "/abs", "b/", ".", "..", "...", "x/.y"} {
				for _, n := range []int{1, 12, 0, -3} {
					want := filepath.Join(s.Path(n), "files", root, rel)
					if got := s.FilePath(n, root, rel); got != want {
						t.Errorf("New(%q).FilePath(%d, %q, %q) = %q, want %q", dir, n, root, rel, got, want)
					}
				}
			}
		}
	}
}

// checkPathSplit is checkPath as it was written first, the reference
// for the one-pass checkPath.
func checkPathSplit(p string) error {
	switch {
	case p == "":
		return fmt.Errorf("empty path")
	case strings.HasPrefix(p, "/"):
		return fmt.Errorf("absolute path")
	case strings.ContainsAny(p, "\n\x00"):
		return fmt.Errorf("newline or NUL in path")
	}
	for _, seg := range strings.Split(p, "/") {
		switch seg {
		case "":
			return fmt.Errorf("empty path segment")
		case ".", "..":
			return fmt.Errorf("%q path segment", seg)
		}
	}
	return nil
}

// checkPath tells every path what checkPathSplit tells it: every string
// of up to 6 of "a/.\n\x00".
func TestCheckPathSameErrors(t *testing.T) {
	const alphabet = "a/.\n\x00"
	var walk func(p string)
	walk = func(p string) {
		got, want := checkPath(p), checkPathSplit(p)
		if (got == nil) != (want == nil) || (got != nil && got.Error() != want.Error()) {
			t.Errorf("checkPath(%q) = %v, want %v", p, got, want)
		}
		if len(p) < 6 {
			for i := range len(alphabet) {
				walk(p + alphabet[i:i+1])
			}
		}
	}
	walk("")
}

// TestCurrentLost: generations with no current link and no journal
// waiting for recovery: the link was lost (a state folder restored in
// part). Current is an error that says how to put it back, not 0, which
// would take the machine for a fresh one; a fresh state folder is 0.
func TestCurrentLost(t *testing.T) {
	s, _ := tempStore(t)
	if n, err := s.Current(); n != 0 || err != nil {
		t.Fatalf("fresh: Current() = %d, %v; want 0, nil", n, err)
	}
	for i := 1; i <= 3; i++ {
		if err := s.Write(gen(i, []Entry{entry("etc", "motd", fmt.Sprintf("%d\n", i), false)})); err != nil {
			t.Fatal(err)
		}
		if err := s.Flip(i); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Remove(s.CurrentPath()); err != nil {
		t.Fatal(err)
	}
	n, err := s.Current()
	var lost *LostCurrentError
	if n != 0 || !errors.As(err, &lost) || lost.First != 1 || lost.Newest != 3 {
		t.Fatalf("Current() = %d, %v; want a *LostCurrentError of generations 1 to 3", n, err)
	}
	if want := "ln -sfn generations/3 " + s.CurrentPath(); !strings.HasSuffix(lost.Hint(), want) {
		t.Errorf("hint %q, want it to end %q", lost.Hint(), want)
	}
}

// TestUnverifiedEntryMode: an entry whose content comes from a path
// another account may change is written 0400 and given its mode once its
// hash is checked; a wrong one is never more than 0400 (reviewer R6).
func TestUnverifiedEntryMode(t *testing.T) {
	s, dir := tempStore(t)
	var during []fs.FileMode
	e := entry("home/alice", ".bashrc", "mine\n", false)
	e.Unverified = true
	inner := e.Open
	e.Open = func() (io.ReadCloser, error) {
		rc, err := inner()
		return &modeOnClose{ReadCloser: rc, dir: dir, modes: &during}, err
	}
	x := entry("home/alice", ".tool", "#!/bin/sh\n", true)
	x.Unverified = true
	if err := s.Write(gen(1, []Entry{e, x})); err != nil {
		t.Fatal(err)
	}
	for _, m := range during {
		if m != 0o400 {
			t.Errorf("while it was copied: mode %v, want 0400", m)
		}
	}
	if len(during) == 0 {
		t.Error("no copy seen while it was made")
	}
	for rel, want := range map[string]fs.FileMode{".bashrc": 0o444, ".tool": 0o555} {
		fi, err := os.Stat(s.FilePath(1, "home/alice", rel))
		if err != nil || fi.Mode().Perm() != want {
			t.Errorf("%s: %v %v, want mode %v", rel, fi, err, want)
		}
	}
}

// modeOnClose notes the mode of every regular file under dir named
// .bashrc when its content has been read (CreateFile closes it after).
type modeOnClose struct {
	io.ReadCloser
	dir   string
	modes *[]fs.FileMode
}

func (m *modeOnClose) Read(p []byte) (int, error) {
	n, err := m.ReadCloser.Read(p)
	if err == io.EOF {
		_ = filepath.WalkDir(m.dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && d.Name() == ".bashrc" && d.Type().IsRegular() {
				if fi, err := d.Info(); err == nil {
					*m.modes = append(*m.modes, fi.Mode().Perm())
				}
			}
			return nil
		})
	}
	return n, err
}

// TestContentErrorOnRead (reviewer R8): a read of an entry's content
// that fails while it is copied is that entry's failure, a
// *ContentError naming its resource, as a failed open or a wrong hash
// is; an entry without a resource fails as before.
func TestContentErrorOnRead(t *testing.T) {
	broken := errors.New("her file went away")
	for _, resource := range []string{"file:~alice/.bashrc", ""} {
		s, _ := tempStore(t)
		e := entry("home/alice", ".bashrc", "mine\n", false)
		e.Unverified, e.Resource = true, resource
		e.Open = func() (io.ReadCloser, error) {
			return io.NopCloser(io.MultiReader(strings.NewReader("mi"), iotest.ErrReader(broken))), nil
		}
		err := s.Write(gen(1, []Entry{e}))
		var ce *ContentError
		if !errors.Is(err, broken) || errors.As(err, &ce) != (resource != "") || ce != nil && ce.Resource != resource {
			t.Errorf("resource %q: Write = %v", resource, err)
		}
	}
}
