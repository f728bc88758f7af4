package files

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/system"
)

// readlinkCounter is a System that counts the links read in one folder.
type readlinkCounter struct {
	system.System
	dir string
	mu  sync.Mutex
	n   int
}

func (c *readlinkCounter) Readlink(name string) (string, error) {
	if filepath.Dir(name) == c.dir {
		c.mu.Lock()
		c.n++
		c.mu.Unlock()
	}
	return c.System.Readlink(name)
}

// TestSettledFolders: a folder of links found as recorded, with a
// signature older than settledMargin, is not read again while its
// signature holds; every change to it is seen.
func TestSettledFolders(t *testing.T) {
	fx := newFixture(t)
	a, b := fx.source("a", "A"), fx.source("b", "B")
	cfg := home(map[string]HomeFile{".config/app/a": {Source: &a}, ".config/app/b": {Source: &b}})
	fx.switchTo(cfg)
	const dir = aliceHome + "/.config/app"
	counter := &readlinkCounter{dir: dir}
	fx.edit = func(m *machine.Machine) {
		counter.System = m.Sys
		m.Sys = counter
	}
	// plan plans cfg and returns how many of dir's links it read, and
	// whether the plan is empty (no change, no conflict).
	plan := func(why string) (int, bool) {
		t.Helper()
		counter.n = 0
		p, _, err := fx.plan(cfg)
		if err != nil {
			t.Fatalf("%s: %v", why, err)
		}
		return counter.n, p.Empty() && len(p.Conflicts) == 0
	}
	settledNow := func() bool {
		_, ok := fx.Store.Settled(dir)
		return ok
	}

	// Just made: too recent to be trusted, read and not recorded.
	fx.now = time.Now
	if n, empty := plan("just made"); n != 2 || !empty || settledNow() {
		t.Fatalf("just made: read %d links, empty %v, settled %v; want 2, true, false", n, empty, settledNow())
	}
	fx.now = func() time.Time { return time.Now().Add(time.Second) }
	if n, empty := plan("settled"); n != 2 || !empty || !settledNow() {
		t.Fatalf("older than the margin: read %d links, empty %v, settled %v; want 2, true, true", n, empty, settledNow())
	}
	if n, empty := plan("unchanged"); n != 0 || !empty {
		t.Fatalf("unchanged: read %d links, empty %v; want 0 (from the records), true", n, empty)
	}

	// A link replaced by hand is seen, and the folder is not settled.
	target := fx.readlink(dir + "/b")
	fx.remove(dir + "/b")
	fx.symlink("/elsewhere", dir+"/b")
	if n, empty := plan("link replaced"); n != 2 || empty || settledNow() {
		t.Fatalf("link replaced: read %d links, empty %v, settled %v; want 2, false, false", n, empty, settledNow())
	}
	fx.remove(dir + "/b")
	fx.symlink(target, dir+"/b")
	if n, empty := plan("put back"); n != 2 || !empty || !settledNow() {
		t.Fatalf("put back: read %d links, empty %v, settled %v; want 2, true, true", n, empty, settledNow())
	}

	// The folder's mtime set back to the recorded one: its ctime moved.
	known, _ := fx.Store.Settled(dir)
	fx.remove(dir + "/b")
	fx.symlink("/elsewhere", dir+"/b")
	old := time.Unix(0, known.Mtime)
	if err := os.Chtimes(fx.Host(dir), old, old); err != nil {
		t.Fatal(err)
	}
	if n, empty := plan("mtime set back"); n != 2 || empty {
		t.Fatalf("link replaced, mtime set back: read %d links, empty %v; want 2, false", n, empty)
	}

	// Another folder in its place, with the links as recorded.
	fx.remove(dir + "/b")
	fx.symlink(target, dir+"/b")
	if n, _ := plan("again"); n != 2 || !settledNow() {
		t.Fatalf("again: read %d links, settled %v", n, settledNow())
	}
	aTarget := fx.readlink(dir + "/a")
	if err := os.Rename(fx.Host(dir), fx.Host(dir)+".old"); err != nil {
		t.Fatal(err)
	}
	fx.mkdir(dir)
	fx.symlink(aTarget, dir+"/a")
	fx.symlink("/elsewhere", dir+"/b")
	if n, empty := plan("folder replaced"); n != 2 || empty {
		t.Fatalf("folder replaced: read %d links, empty %v; want 2, false", n, empty)
	}
}

// TestSettledSignature: which folders' signatures are trusted.
func TestSettledSignature(t *testing.T) {
	dir := t.TempDir()
	fi, err := os.Lstat(dir)
	if err != nil {
		t.Fatal(err)
	}
	pl := &planner{dirs: map[string]*dirState{dir: {live: live{kind: isDir, info: fi}}}}
	st := &settled{now: time.Now().Add(time.Second), local: map[string]bool{}}
	data, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		t.Skipf("no mount table: %v", err) // not Linux: nothing is settled
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) > 2 {
			st.local[f[2]] = true // every device local
		}
	}
	if _, ok := st.signature(pl, dir); !ok {
		t.Fatal("a folder a second old on a local file system: not trusted")
	}
	st.now = time.Now()
	if _, ok := st.signature(pl, dir); ok {
		t.Error("a folder changed within the margin: trusted")
	}
	st.now = time.Now().Add(time.Second)
	clear(st.local)
	if _, ok := st.signature(pl, dir); ok {
		t.Error("a folder on a file system not in localFS: trusted")
	}
	if _, ok := st.signature(pl, filepath.Join(dir, "missing")); ok {
		t.Error("a folder checkFolders did not read: trusted")
	}
	whole := time.Unix(time.Now().Unix()-10, 0)
	if err := os.Chtimes(dir, whole, whole); err != nil {
		t.Fatal(err)
	}
	for _, f := range strings.Split(string(data), "\n") {
		if f := strings.Fields(f); len(f) > 2 {
			st.local[f[2]] = true
		}
	}
	fi, _ = os.Lstat(dir)
	pl.dirs[dir].live.info = fi
	if _, ok := st.signature(pl, dir); !ok {
		t.Error("a folder whose ctime has a fraction of a second: not trusted")
	}
}

// TestSettledLinks: the digest binds the names and the recorded targets,
// and a folder whose links were not all found as recorded has none.
func TestSettledLinks(t *testing.T) {
	files := []*File{{Path: "/h/d/a"}, {Path: "/h/d/b"}}
	applied := map[string]*File{
		"/h/d/a": {Path: "/h/d/a", Method: "link", Target: "/s/1"},
		"/h/d/b": {Path: "/h/d/b", Method: "link", Target: "/s/2"},
	}
	pl := &planner{d: &desired{files: files}, appliedFiles: applied,
		lives: []live{{kind: isLink, target: "/s/1"}, {kind: isLink, target: "/s/2"}}}
	s := &settled{}
	idx := []int{0, 1}
	d1, ok := s.links(pl, idx, make([]error, 2))
	if !ok {
		t.Fatal("links found as recorded: no digest")
	}
	if d, _ := s.links(pl, idx, nil); d != d1 {
		t.Error("the digest before reading differs from the one after")
	}
	applied["/h/d/b"] = &File{Path: "/h/d/b", Method: "link", Target: "/s/3"}
	if d, _ := s.links(pl, idx, nil); d == d1 {
		t.Error("a recorded target changed: same digest")
	}
	if _, ok := s.links(pl, idx, make([]error, 2)); ok {
		t.Error("a link found other than recorded: digest")
	}
	applied["/h/d/b"] = &File{Path: "/h/d/b", Method: "copy"}
	if _, ok := s.links(pl, idx, nil); ok {
		t.Error("a copy among the files: digest")
	}
	delete(applied, "/h/d/b")
	if _, ok := s.links(pl, idx, nil); ok {
		t.Error("a file without a record: digest")
	}
}
