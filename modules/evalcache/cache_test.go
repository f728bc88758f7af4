package evalcache

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/gocfg/gocfg/modules"
)

// fixture is a configuration on disk and a cache beside it.
type fixture struct {
	t     *testing.T
	dir   string // the configuration
	env   map[string]string
	cache *Cache
	key   Key
	// skew is how far ahead of the files' times the cache's clock is:
	// two seconds, so that no file is racy, unless a test says otherwise.
	skew time.Duration
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	root := t.TempDir()
	f := &fixture{t: t, dir: filepath.Join(root, "config"), env: map[string]string{"GREETING": "hello", "UNREAD": "x"}, skew: 2 * time.Second}
	f.cache = &Cache{Dir: filepath.Join(root, "cache"), BuildID: "test-build", Now: f.now}
	f.write("default.hcl", `imports = ["./mods", "./extra.hcl"]
networking {
  host_name = "h-${env("GREETING")}"
}
environment {
  etc "motd" {
    text = file("./motd.txt")
  }
  etc "maybe" {
    text = try(file("./absent.txt"), "none")
  }
}
`)
	f.write("mods/a.hcl", `environment {
  system_packages = ["a"]
}
`)
	f.write("extra.hcl", `environment {
  system_packages = ["extra"]
}
`)
	f.write("motd.txt", "welcome\n")
	f.key = Key{Entry: filepath.Join(f.dir, "default.hcl"), Host: modules.Host{OS: "linux", Arch: "amd64", Name: "h", User: "u", Distro: "debian"}, Query: "json"}
	return f
}

func (f *fixture) now() time.Time { return time.Now().Add(f.skew) }

func (f *fixture) write(rel, text string) {
	f.t.Helper()
	p := filepath.Join(f.dir, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		f.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		f.t.Fatal(err)
	}
}

// age sets every file's mtime d in the past.
func (f *fixture) age(d time.Duration) {
	f.t.Helper()
	old := time.Now().Add(-d)
	_ = filepath.Walk(f.dir, func(p string, _ os.FileInfo, err error) error {
		if err == nil {
			err = os.Chtimes(p, old, old)
		}
		return err
	})
}

func (f *fixture) getenv(k string) string { return f.env[k] }

// evaluate evaluates the configuration and puts the result in the cache.
func (f *fixture) evaluate() string {
	f.t.Helper()
	rec := NewRecorder(f.getenv)
	rec.now = f.now
	ev, diags := modules.Load(modules.Options{Entry: f.key.Entry, Host: f.key.Host, Getenv: rec.Getenv, Reader: rec})
	if diags.HasErrors() {
		f.t.Fatal(diags)
	}
	js, diags := ev.JSON("")
	if diags.HasErrors() {
		f.t.Fatal(diags)
	}
	if err := f.cache.Put(f.key, rec, &Entry{Outputs: map[string][]byte{"json": js}}); err != nil {
		f.t.Fatal(err)
	}
	return string(js)
}

func (f *fixture) get() (string, bool) {
	e, _, ok := f.cache.Get(f.key, f.getenv)
	if !ok {
		return "", false
	}
	return string(e.Outputs["json"]), true
}

// TestInvalidation: every kind of input change makes Get miss, and
// what changes nothing the evaluation read leaves the entry valid.
func TestInvalidation(t *testing.T) {
	tests := []struct {
		name   string
		change func(f *fixture)
		hit    bool
	}{
		{"nothing changed", func(*fixture) {}, true},
		{"module edited", func(f *fixture) { f.write("default.hcl", "networking {\n  host_name = \"other\"\n}\n") }, false},
		{"module touched, same content", func(f *fixture) { f.age(time.Second) }, true},
		{"module added to an imported folder", func(f *fixture) { f.write("mods/b.hcl", "") }, false},
		{"non-module file added to an imported folder", func(f *fixture) { f.write("mods/README", "hi") }, true},
		{"imported file changed", func(f *fixture) {
			f.write("extra.hcl", "environment {\n  system_packages = [\"more\"]\n}\n")
		}, false},
		{"module of an imported folder removed", func(f *fixture) { _ = os.Remove(filepath.Join(f.dir, "mods/a.hcl")); f.write("mods/c.hcl", "") }, false},
		{"env var read changed", func(f *fixture) { f.env["GREETING"] = "bye" }, false},
		{"env var read unset", func(f *fixture) { delete(f.env, "GREETING") }, false},
		{"env var not read changed", func(f *fixture) { f.env["UNREAD"] = "y" }, true},
		{"host fact changed", func(f *fixture) { f.key.Host.Distro = "fedora" }, false},
		{"host name changed", func(f *fixture) { f.key.Host.Name = "other" }, false},
		{"query changed", func(f *fixture) { f.key.Query = "check" }, false},
		{"entry changed", func(f *fixture) { f.key.Entry = filepath.Join(f.dir, "extra.hcl") }, false},
		{"file() read changed", func(f *fixture) { f.write("motd.txt", "changed\n") }, false},
		{"file() read removed", func(f *fixture) { _ = os.Remove(filepath.Join(f.dir, "motd.txt")) }, false},
		{"file() of a missing file appears", func(f *fixture) { f.write("absent.txt", "here") }, false},
		{"other binary", func(f *fixture) { f.cache.BuildID = "other-build" }, false},
		{"no build ID", func(f *fixture) { f.cache.BuildID = "" }, false},
		{"working folder changed, no diagnostics", func(f *fixture) { f.key.WorkDir = "/elsewhere" }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			want := f.evaluate()
			if got, ok := f.get(); !ok || got != want {
				t.Fatalf("right after Put: hit %v, %q; want the evaluation %q", ok, got, want)
			}
			tt.change(f)
			got, ok := f.get()
			if ok != tt.hit {
				t.Fatalf("hit = %v, want %v", ok, tt.hit)
			}
			if ok && got != want {
				t.Fatalf("hit with %q, want %q", got, want)
			}
		})
	}
}

// TestRacilyClean: a file whose signature was taken within a second of
// its last change is hashed again by Get even when its signature is the
// same, so an edit in the same timestamp tick that left size, times and
// inode as they were is seen; once hashed and found the same, the entry
// holds the new signature and is not racy any more.
func TestRacilyClean(t *testing.T) {
	for _, racy := range []bool{true, false} {
		f := newFixture(t)
		if racy {
			f.skew = 0 // the files were just written
		}
		f.evaluate()
		path := filepath.Join(f.cache.Dir, f.key.name())
		r := readRecord(t, path)
		motd := filepath.Join(f.dir, "motd.txt")
		i := fileIndex(t, r, motd)
		if r.in.files[i].Racy != racy {
			t.Fatalf("racy = %v, want %v", r.in.files[i].Racy, racy)
		}
		// The same-tick edit: new content of the same size, and the
		// entry made to hold the signature the file has now, as a
		// filesystem with coarse timestamps would leave it.
		f.write("motd.txt", "WELCOME\n")
		fi, err := os.Stat(motd)
		if err != nil {
			t.Fatal(err)
		}
		r.in.files[i].Sig = signatureOf(fi)
		if err := f.cache.write(path, r); err != nil {
			t.Fatal(err)
		}
		_, ok := f.get()
		if ok == racy {
			t.Errorf("recorded racy=%v: Get hit = %v; a racy file must be hashed, a settled one trusted by its signature", racy, ok)
		}
	}

	// Racy and unchanged: the first Get hashes it and records it
	// settled; the entry stays valid.
	f := newFixture(t)
	f.skew = 0
	f.evaluate()
	f.skew = 2 * time.Second
	if _, ok := f.get(); !ok {
		t.Fatal("racy but unchanged: miss")
	}
	r := readRecord(t, filepath.Join(f.cache.Dir, f.key.name()))
	for _, file := range r.in.files {
		if file.Racy {
			t.Errorf("%s still racy after a Get two seconds later", file.Path)
		}
	}
}

// TestFolderSignature: an imported folder whose signature is unchanged
// and settled is not listed again (the test proves it by recording a
// listing that is not the folder's: Get trusts the signature); a racy
// one, or one holding a link named *.hcl, is listed every time; a
// folder whose signature moved but whose modules are the same is
// recorded with its new signature.
func TestFolderSignature(t *testing.T) {
	folderOf := func(t *testing.T, r *record, dir string) *folderRecord {
		t.Helper()
		for i := range r.in.folders {
			if r.in.folders[i].Path == dir {
				return &r.in.folders[i]
			}
		}
		t.Fatalf("%s not recorded; recorded: %+v", dir, r.in.folders)
		return nil
	}
	tests := []struct {
		name          string
		setup         func(f *fixture)
		signed, racy  bool
		trustsListing bool
	}{
		{"settled", func(*fixture) {}, true, false, true},
		{"racy", func(f *fixture) { f.skew = 0 }, true, true, false},
		{"a link among the modules", func(f *fixture) {
			if err := os.Symlink("../extra.hcl", filepath.Join(f.dir, "mods/link.hcl")); err != nil {
				t.Fatal(err)
			}
		}, false, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			tt.setup(f)
			f.evaluate()
			path := filepath.Join(f.cache.Dir, f.key.name())
			mods := filepath.Join(f.dir, "mods")
			r := readRecord(t, path)
			d := folderOf(t, r, mods)
			if d.Signed != tt.signed || d.Racy != tt.racy {
				t.Fatalf("signed %v racy %v, want %v %v", d.Signed, d.Racy, tt.signed, tt.racy)
			}
			// A listing that is not the folder's, kept with the
			// folder's signature.
			d.Files = append(d.Files, filepath.Join(mods, "gone.hcl"))
			if err := f.cache.write(path, r); err != nil {
				t.Fatal(err)
			}
			if _, ok := f.get(); ok != tt.trustsListing {
				t.Fatalf("Get hit = %v, want %v", ok, tt.trustsListing)
			}
		})
	}

	// A name that is no module added: the signature moves, the listing
	// is the same: a hit, and the entry holds the new signature.
	f := newFixture(t)
	f.evaluate()
	path := filepath.Join(f.cache.Dir, f.key.name())
	mods := filepath.Join(f.dir, "mods")
	before := *folderOf(t, readRecord(t, path), mods)
	f.write("mods/README", "hi")
	if _, ok := f.get(); !ok {
		t.Fatal("README added: miss")
	}
	after := folderOf(t, readRecord(t, path), mods)
	if !after.Signed || after.Racy || after.Sig == before.Sig {
		t.Fatalf("after a Get: signed %v racy %v, signature changed %v; want signed, settled, the new signature", after.Signed, after.Racy, after.Sig != before.Sig)
	}
	// And now a module added is seen through the new signature.
	f.write("mods/b.hcl", "")
	if _, ok := f.get(); ok {
		t.Fatal("module added after the refresh: hit")
	}
}

func readRecord(t *testing.T, path string) *record {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r, err := decode(b)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func fileIndex(t *testing.T, r *record, path string) int {
	t.Helper()
	for i, f := range r.in.files {
		if f.Path == path {
			return i
		}
	}
	t.Fatalf("%s not recorded; recorded: %+v", path, r.in.files)
	return -1
}

// TestDamagedOrForeign: an entry that is damaged, or that someone else
// could have written, is ignored (never an error), and the next Put
// replaces it.
func TestDamagedOrForeign(t *testing.T) {
	tests := []struct {
		name   string
		damage func(t *testing.T, f *fixture, path string)
	}{
		{"byte flipped", func(t *testing.T, f *fixture, path string) {
			b, _ := os.ReadFile(path)
			b[len(b)/2] ^= 0x40
			_ = os.WriteFile(path, b, 0o600)
		}},
		{"truncated", func(t *testing.T, f *fixture, path string) { _ = os.Truncate(path, 20) }},
		{"empty", func(t *testing.T, f *fixture, path string) { _ = os.WriteFile(path, nil, 0o600) }},
		{"readable by others", func(t *testing.T, f *fixture, path string) { _ = os.Chmod(path, 0o644) }},
		{"a link", func(t *testing.T, f *fixture, path string) {
			_ = os.Rename(path, path+".real")
			_ = os.Symlink(path+".real", path)
		}},
		{"folder open to others", func(t *testing.T, f *fixture, path string) { _ = os.Chmod(f.cache.Dir, 0o755) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.evaluate()
			path := filepath.Join(f.cache.Dir, f.key.name())
			tt.damage(t, f, path)
			if _, ok := f.get(); ok {
				t.Fatal("hit on a damaged or foreign entry")
			}
			_ = os.Chmod(f.cache.Dir, 0o700)
			_ = os.Remove(path)
			want := f.evaluate()
			if got, ok := f.get(); !ok || got != want {
				t.Fatalf("after a new Put: hit %v", ok)
			}
		})
	}
}

// TestNotKept: an evaluation with errors, or one that read something
// the cache cannot check again, is not kept.
func TestNotKept(t *testing.T) {
	f := newFixture(t)
	rec := NewRecorder(f.getenv)
	if _, err := rec.ReadFile(f.dir); err == nil { // a folder: not a regular file
		t.Fatal("reading a folder succeeded")
	}
	if err := f.cache.Put(f.key, rec, &Entry{Outputs: map[string][]byte{"json": []byte("{}")}}); err != nil {
		t.Fatal(err)
	}
	if _, ok := f.get(); ok {
		t.Error("an unsure evaluation was kept")
	}
}

// TestEviction: the folder keeps the MaxEntries newest entries.
func TestEviction(t *testing.T) {
	f := newFixture(t)
	f.evaluate()
	first := filepath.Join(f.cache.Dir, f.key.name())
	old := time.Now().Add(-time.Hour)
	_ = os.Chtimes(first, old, old)
	for i := 0; i < MaxEntries; i++ {
		f.key.Query = "q" + string(rune('A'+i%26)) + string(rune('a'+i/26))
		f.evaluate()
	}
	des, _ := os.ReadDir(f.cache.Dir)
	if len(des) != MaxEntries {
		t.Errorf("%d entries, want %d", len(des), MaxEntries)
	}
	if _, err := os.Stat(first); err == nil {
		t.Error("the oldest entry is still there")
	}
}

func TestFindBuildID(t *testing.T) {
	if BuildID() == "" {
		t.Error("no build ID in the test binary")
	}
	mach := append(make([]byte, 100), "\xff Go build ID: \"abc/def\"\n \xff"...)
	if got := findBuildID(mach); got != "abc/def" {
		t.Errorf("marker: %q", got)
	}
	if got := findBuildID([]byte("\x7fELF nothing here")); got != "" {
		t.Errorf("none: %q", got)
	}
}

// TestManyFiles: the files of a large configuration are checked on
// several goroutines (statEach): racy ones are all hashed again and
// recorded settled, and a change in any one of them, the first or the
// last, is a miss.
func TestManyFiles(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	n := 384 // three workers' worth on Linux and macOS (minStatsPerWorker)
	setup := func(t *testing.T) *fixture {
		f := newFixture(t)
		for i := range n {
			f.write(fmt.Sprintf("mods/m%04d.hcl", i), fmt.Sprintf("environment {\n  system_packages = [\"m%04d\"]\n}\n", i))
		}
		return f
	}

	f := setup(t)
	f.skew = 0 // every file racy
	want := f.evaluate()
	f.skew = 2 * time.Second
	if got, ok := f.get(); !ok || got != want {
		t.Fatalf("racy, unchanged: hit %v", ok)
	}
	r := readRecord(t, filepath.Join(f.cache.Dir, f.key.name()))
	if len(r.in.files) < n {
		t.Fatalf("%d files recorded, want at least %d", len(r.in.files), n)
	}
	for _, file := range r.in.files {
		if file.Racy {
			t.Fatalf("%s still racy after a Get two seconds later", file.Path)
		}
	}

	for _, i := range []int{0, n - 1} {
		f := setup(t)
		f.evaluate()
		f.write(fmt.Sprintf("mods/m%04d.hcl", i), "environment {\n  system_packages = [\"changed\"]\n}\n")
		if _, ok := f.get(); ok {
			t.Errorf("module %d of %d changed: hit", i, n)
		}
	}
}

// TestRecorded: Get says how many files the entry for its key recorded,
// on a hit and on a miss alike, and -1 where there is no entry for the
// key from this build.
func TestRecorded(t *testing.T) {
	f := newFixture(t)
	if _, n, ok := f.cache.Get(f.key, f.getenv); ok || n != -1 {
		t.Fatalf("before any Put: hit %v, recorded %d; want a miss and -1", ok, n)
	}
	f.evaluate()
	// The modules default.hcl, extra.hcl and mods/a.hcl, and the files
	// file() read: motd.txt, and absent.txt (recorded as absent).
	const want = 5
	if _, n, ok := f.cache.Get(f.key, f.getenv); !ok || n != want {
		t.Fatalf("hit %v, recorded %d; want a hit and %d", ok, n, want)
	}
	f.write("extra.hcl", "environment {\n  system_packages = [\"more\"]\n}\n")
	if _, n, ok := f.cache.Get(f.key, f.getenv); ok || n != want {
		t.Fatalf("after an edit: hit %v, recorded %d; want a miss and %d", ok, n, want)
	}
	other := *f.cache
	other.BuildID = "other-build"
	if _, n, ok := other.Get(f.key, f.getenv); ok || n != -1 {
		t.Errorf("another binary: hit %v, recorded %d; want a miss and -1", ok, n)
	}
	k := f.key
	k.Query = "check"
	if _, n, ok := f.cache.Get(k, f.getenv); ok || n != -1 {
		t.Errorf("another query: hit %v, recorded %d; want a miss and -1", ok, n)
	}
}
