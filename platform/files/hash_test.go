package files

import (
	"bytes"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/internal/testfs"
	"github.com/gocfg/gocfg/platform/system"
)

// TestHashCacheLookup: a source's hash is found by the record at the
// file's path when it has that source, else by any record of the source
// (the last one, as the map of sources always kept), a linked folder's
// file by its source.
func TestHashCacheLookup(t *testing.T) {
	sig := func(n int64) *Sig { return &Sig{Size: n, Mtime: n, Ctime: n, Ino: uint64(n)} }
	recs := &Records{Files: []*File{
		{Path: "/h/a", Source: "/s/a", Sig: sig(1), Hash: "h1"},
		{Path: "/h/b", Source: "/s/a", Sig: sig(2), Hash: "h2"},
		{Path: "/h/c", Source: "/s/c", Hash: "unsigned"},
		{Path: "/h/d", Source: "/s/d", Folder: true, Files: []Content{{Rel: "x", Sig: sig(3), Hash: "h3"}}},
		{Path: "/h/t", Hash: "text"},
	}}
	byPath := map[string]*File{}
	for _, f := range recs.Files {
		byPath[f.Path] = f
	}
	c := newHashCache(recs, byPath, nil)
	for _, tc := range []struct {
		path, source, hash string
		sig                int64
	}{
		{"/h/a", "/s/a", "h1", 1},     // the record at the path
		{"/h/b", "/s/a", "h2", 2},     //
		{"/h/new", "/s/a", "h2", 2},   // moved: the last record of the source
		{"/h/a", "/s/moved", "", 0},   // another source at the path
		{"/h/c", "/s/c", "", 0},       // hashed too recently to be signed
		{"", "/s/d/x", "h3", 3},       // a file of a linked folder
		{"/h/d/x", "/s/d/x", "h3", 3}, // the same file linked alone now
		{"/h/t", "", "", 0},           // text
	} {
		got, ok := c.lookup(tc.path, tc.source)
		if ok != (tc.hash != "") || got.hash != tc.hash || ok && got.sig != *sig(tc.sig) {
			t.Errorf("lookup(%q, %q) = %+v, %v; want %q with signature %d", tc.path, tc.source, got, ok, tc.hash, tc.sig)
		}
	}
}

// writeSource writes content to dir/src and returns its path and stat.
func writeSource(t *testing.T, dir, content string) (string, fs.FileInfo) {
	t.Helper()
	p := filepath.Join(dir, "src")
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return p, fi
}

// TestHashSourceCached: a source whose signature is the recorded one is
// not read (its recorded hash stands); one whose signature changed is.
func TestHashSourceCached(t *testing.T) {
	p, fi := writeSource(t, t.TempDir(), "new content")
	sig := sigOf(fi)
	later := time.Now().Add(time.Hour)
	recs := &Records{Files: []*File{{Path: "/h/f", Source: p, Sig: &sig, Hash: "recorded"}}}
	c := newHashCache(recs, map[string]*File{"/h/f": recs.Files[0]}, nil)
	for _, path := range []string{"/h/f", "/h/elsewhere"} {
		h, got, _, err := hashSource(system.NewReal(), c, path, p, fi, later)
		if err != nil || h != "recorded" || got == nil || *got != sig {
			t.Errorf("%s, same signature: hashSource = %q, %v, %v; want the recorded hash", path, h, got, err)
		}
	}
	changed := sig
	changed.Mtime++
	recs.Files[0].Sig = &changed
	c = newHashCache(recs, map[string]*File{"/h/f": recs.Files[0]}, nil)
	h, _, _, err := hashSource(system.NewReal(), c, "/h/f", p, fi, later)
	if err != nil || h != hashBytes([]byte("new content")) {
		t.Errorf("changed signature: hashSource = %q, %v; want the content's hash", h, err)
	}
}

// TestHashKeep: hashKeep keeps the content it hashed of a small file
// while the budget lasts, and only then; a file that grew or shrank
// since its Stat is hashed and kept as read; the budget comes back
// for what is not kept.
func TestHashKeep(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	small := []byte("a small dotfile\n")
	big := make([]byte, keepFileMax+1)
	for i := range big {
		big[i] = byte(i)
	}
	for _, tc := range []struct {
		name    string
		content []byte
		size    int64 // as the Stat said
		budget  int64
		kept    bool
		left    int64 // budget after
	}{
		{"small", small, int64(len(small)), 100, true, 100 - int64(len(small))},
		{"empty", []byte{}, 0, 100, true, 100},
		{"at most keepFileMax", big[:keepFileMax], keepFileMax, keepFileMax, true, 0},
		{"larger", big, int64(len(big)), 1 << 20, false, 1 << 20},
		{"budget spent", small, int64(len(small)), int64(len(small)) - 1, false, int64(len(small)) - 1},
		{"grew since its Stat", small, 4, 100, false, 100},
		{"shrank since its Stat", small, 1000, 2000, true, 2000 - int64(len(small))},
		{"grew past keepFileMax", big, 10, 100, false, 100},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := write("f", tc.content)
			b := newKeepBudget(tc.budget)
			h, kept, err := hashKeep(system.NewReal(), p, tc.size, b)
			if err != nil || h != hashBytes(tc.content) {
				t.Fatalf("hashKeep = %q, %v; want %q", h, err, hashBytes(tc.content))
			}
			if (kept != nil) != tc.kept || kept != nil && !bytes.Equal(kept, tc.content) {
				t.Errorf("kept %d bytes (nil: %v); want the content: %v", len(kept), kept == nil, tc.kept)
			}
			if got := b.left.Load(); got != tc.left {
				t.Errorf("budget left %d, want %d", got, tc.left)
			}
		})
	}
	b := newKeepBudget(100)
	if _, kept, err := hashKeep(system.NewReal(), filepath.Join(dir, "missing"), 5, b); err == nil || kept != nil || b.left.Load() != 100 {
		t.Errorf("missing file: kept %v, error %v, budget left %d; want an error and the budget back", kept, err, b.left.Load())
	}
	if h, kept, err := hashKeep(system.NewReal(), write("g", small), int64(len(small)), nil); err != nil || kept != nil || h != hashBytes(small) {
		t.Errorf("no budget: %q, kept %v, %v; want the hash and nothing kept", h, kept, err)
	}
}

// TestKeptContentStored: the content a plan hashed of a small source is
// what the generation stores, even when the source changes after the
// plan (a file alone, a recursive folder's file, a linked folder's
// file); a large source is read again by the store, which then finds it
// does not match its hash.
func TestKeptContentStored(t *testing.T) {
	fx := newFixture(t)
	big := strings.Repeat("x", keepFileMax+1)
	srcs := map[string]string{
		fx.source("zshrc", "alone"):             "alone",
		fx.source("nvim/init.vim", "recursive"): "recursive",
		fx.source("git/config", "linked"):       "linked",
		fx.source("big", big):                   big,
	}
	cfg := home(map[string]HomeFile{
		".zshrc":       {Source: ptr(fx.src + "/zshrc")},
		".config/nvim": {Source: ptr(fx.src + "/nvim"), Recursive: true},
		".config/git":  {Source: ptr(fx.src + "/git")},
		".big":         {Source: ptr(fx.src + "/big")},
	})
	p, _, err := fx.plan(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for src := range srcs {
		testfs.Write(t, src, "changed after the plan")
	}
	es := p.Contents()
	if len(es) != 4 {
		t.Fatalf("contents %+v", es)
	}
	for _, e := range es {
		rc, err := e.Open()
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if e.Rel == ".big" {
			if string(got) != "changed after the plan" {
				t.Errorf("%s: read %d bytes; want the source as it is now", e.Rel, len(got))
			}
			continue
		}
		if hashBytes(got) != e.Hash || strings.Contains(string(got), "changed") {
			t.Errorf("%s: content %q (sha256 %s); want what the plan hashed, %s", e.Rel, got, hashBytes(got), e.Hash)
		}
	}
}

// noReads is a System that refuses to open a file: a hash that comes
// from a cache reads nothing.
type noReads struct{ system.System }

func (noReads) Open(name string) (io.ReadCloser, error) {
	return nil, &os.PathError{Op: "open", Path: name, Err: os.ErrPermission}
}

// newStateDir makes dir/name/store, the folders of a generations store's
// state, and returns dir/name.
func newStateDir(t *testing.T, dir, name string) string {
	t.Helper()
	state := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Join(state, "store"), 0o755); err != nil {
		t.Fatal(err)
	}
	return state
}

// TestHashSourceLearnt: a source whose signature the records lack (a
// first switch hashed it too soon after it was written) is hashed, and
// once its signature can be trusted, kept in the store's
// source-signatures cache by a switch with nothing to do; the next plan
// takes its hash from there without reading it, until it changes.
func TestHashSourceLearnt(t *testing.T) {
	dir := t.TempDir()
	p, fi := writeSource(t, dir, "cloned a moment ago")
	state := newStateDir(t, dir, "state")
	recs := &Records{Files: []*File{{Path: "/h/f", Source: p, Hash: "unsigned"}}}
	byPath := map[string]*File{"/h/f": recs.Files[0]}
	want := hashBytes([]byte("cloned a moment ago"))
	plan := func(sys system.System, now time.Time) (string, *Sig, error) {
		store := generations.New(system.NewReal(), state)
		h, sig, _, err := hashSource(sys, newHashCache(recs, byPath, store), "/h/f", p, fi, now)
		store.SaveSettled()
		return h, sig, err
	}
	soon := fi.ModTime().Add(500 * time.Millisecond)
	if h, sig, err := plan(system.NewReal(), soon); err != nil || h != want || sig != nil {
		t.Fatalf("racily clean: hashSource = %q, %v, %v; want the hash, unsigned", h, sig, err)
	}
	if _, _, err := plan(noReads{system.NewReal()}, soon); err == nil {
		t.Fatal("a racily clean hash was kept")
	}
	later := fi.ModTime().Add(time.Hour)
	if h, sig, err := plan(system.NewReal(), later); err != nil || h != want || sig == nil {
		t.Fatalf("settled: hashSource = %q, %v, %v; want the hash, signed", h, sig, err)
	}
	for range 2 { // kept by a plan that used it
		if h, sig, err := plan(noReads{system.NewReal()}, later); err != nil || h != want || sig == nil || *sig != sigOf(fi) {
			t.Fatalf("learnt: hashSource = %q, %v, %v; want the hash without reading", h, sig, err)
		}
	}
	_, fi = writeSource(t, dir, "edited")
	if _, _, err := plan(noReads{system.NewReal()}, fi.ModTime().Add(time.Hour)); err == nil {
		t.Error("an edited source was taken from the cache")
	}

	// A first switch (no files recorded) learns nothing: it writes a
	// generation, which records the signatures.
	recs.Files, byPath = nil, map[string]*File{}
	first := newStateDir(t, dir, "first")
	store := generations.New(system.NewReal(), first)
	if _, _, _, err := hashSource(system.NewReal(), newHashCache(recs, byPath, store), "/h/f", p, fi, fi.ModTime().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	store.SaveSettled()
	if _, ok := generations.New(system.NewReal(), first).KnownSource(p); ok {
		t.Error("a first switch filled the source-signatures cache")
	}
}
