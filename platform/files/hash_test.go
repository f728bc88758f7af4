package files

import (
	"os"
	"path/filepath"
	"testing"
	"time"

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
	c := newHashCache(recs, byPath)
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

// TestHashSourceCached: a source whose signature is the recorded one is
// not read (its recorded hash stands); one whose signature changed is.
func TestHashSourceCached(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "src")
	if err := os.WriteFile(p, []byte("new content"), 0o644); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	sig := sigOf(fi)
	later := time.Now().Add(time.Hour)
	recs := &Records{Files: []*File{{Path: "/h/f", Source: p, Sig: &sig, Hash: "recorded"}}}
	c := newHashCache(recs, map[string]*File{"/h/f": recs.Files[0]})
	for _, path := range []string{"/h/f", "/h/elsewhere"} {
		h, got, err := hashSource(system.NewReal(), c, path, p, fi, later)
		if err != nil || h != "recorded" || got == nil || *got != sig {
			t.Errorf("%s, same signature: hashSource = %q, %v, %v; want the recorded hash", path, h, got, err)
		}
	}
	changed := sig
	changed.Mtime++
	recs.Files[0].Sig = &changed
	c = newHashCache(recs, map[string]*File{"/h/f": recs.Files[0]})
	h, _, err := hashSource(system.NewReal(), c, "/h/f", p, fi, later)
	if err != nil || h != hashBytes([]byte("new content")) {
		t.Errorf("changed signature: hashSource = %q, %v; want the content's hash", h, err)
	}
}
