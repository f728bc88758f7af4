package generations

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/gocfg/gocfg/internal/testfs"
	"github.com/gocfg/gocfg/platform/system"
)

// countingSystem counts the files opened for reading.
type countingSystem struct {
	system.System
	opens atomic.Int64
}

func (c *countingSystem) Open(name string) (io.ReadCloser, error) {
	c.opens.Add(1)
	return c.System.Open(name)
}

// editInPlace does what `chmod u+w` and vim's `:w!` do to the stored file
// behind a link: the same inode, new content, the mode put back.
func editInPlace(tb testing.TB, p, content string) {
	tb.Helper()
	if err := os.Chmod(p, 0o644); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		tb.Fatal(err)
	}
	if err := os.Chmod(p, 0o444); err != nil {
		tb.Fatal(err)
	}
}

// withHave sets each entry's Have to its file in generation n.
func withHave(s *Store, n int, es []Entry) []Entry {
	for i := range es {
		es[i].Have = s.FilePath(n, es[i].Root, es[i].Rel)
	}
	return es
}

// A generation written with the same tree as the current one, whose
// object was changed in place, does not reuse it: the object is written
// again from the entries, and the changed bytes are kept. Before, an
// existing object was never looked into, so generation 2 held "edited".
func TestWriteRewritesObjectChangedInPlace(t *testing.T) {
	s, _ := tempStore(t)
	var warnings []string
	s.Warn = func(msg string) { warnings = append(warnings, msg) }
	files := func() []Entry {
		return []Entry{
			entry("home/alice", ".bashrc", "configured\n", false),
			entry("home/alice", ".config/app/conf", "conf\n", false),
		}
	}
	if err := s.Write(gen(1, files())); err != nil {
		t.Fatal(err)
	}
	if err := s.Flip(1); err != nil {
		t.Fatal(err)
	}
	editInPlace(t, s.FilePath(1, "home/alice", ".bashrc"), "edited\n")
	editInPlace(t, s.FilePath(1, "home/alice", ".config/app/conf"), "edited conf\n")

	if err := s.Write(gen(2, withHave(s, 1, files()))); err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{1, 2} {
		if got := testfs.Read(t, s.FilePath(n, "home/alice", ".bashrc")); got != "configured\n" {
			t.Errorf("generation %d: .bashrc = %q, want the configured content", n, got)
		}
		if got := testfs.Read(t, s.FilePath(n, "home/alice", ".config/app/conf")); got != "conf\n" {
			t.Errorf("generation %d: .config/app/conf = %q, want the configured content", n, got)
		}
	}
	if got := perm(t, s.FilePath(2, "home/alice", ".bashrc")); got != 0o444 {
		t.Errorf(".bashrc: mode %04o, want 0444", got)
	}
	for _, edited := range []string{"edited\n", "edited conf\n"} {
		if got := testfs.Read(t, s.EditedPath(sum(edited))); got != edited {
			t.Errorf("EditedPath: %q, want %q", got, edited)
		}
	}
	if len(warnings) != 2 || !strings.Contains(warnings[0]+warnings[1], "changed in place") {
		t.Errorf("warnings = %q, want one per object written again", warnings)
	}
	var stored []StoredFile
	for _, n := range []int{1, 2} {
		for _, e := range files() {
			stored = append(stored, StoredFile{Gen: n, Root: e.Root, Rel: e.Rel, Hash: e.Hash})
		}
	}
	if got := s.CheckFiles(stored); len(got) > 0 {
		t.Errorf("CheckFiles after the write: %+v", got)
	}
	// GC removes the kept bytes (a temporary folder) with the rest.
	if _, err := s.GC(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(s.EditedPath(sum("edited\n"))); err == nil {
		t.Error("GC kept store/.tmp-edited")
	}
}

// A file of a new object is never hard-linked from a stored file that was
// changed in place (Entry.Have): its content comes from Open. Before,
// Have's content was trusted.
func TestWriteNeverLinksChangedHave(t *testing.T) {
	s, _ := tempStore(t)
	if err := s.Write(gen(1, []Entry{
		entry("home/alice", ".bashrc", "configured\n", false),
		entry("home/alice", ".profile", "one\n", false),
	})); err != nil {
		t.Fatal(err)
	}
	editInPlace(t, s.FilePath(1, "home/alice", ".bashrc"), "edited\n")
	if err := s.Write(gen(2, withHave(s, 1, []Entry{
		entry("home/alice", ".bashrc", "configured\n", false),
		entry("home/alice", ".profile", "one\n", false),
		entry("home/alice", ".inputrc", "new\n", false),
	}))); err != nil {
		t.Fatal(err)
	}
	if got := testfs.Read(t, s.FilePath(2, "home/alice", ".bashrc")); got != "configured\n" {
		t.Errorf("generation 2: .bashrc = %q, want the configured content", got)
	}
	// The unchanged, intact file is still linked.
	a, _ := os.Stat(s.FilePath(1, "home/alice", ".profile"))
	b, _ := os.Stat(s.FilePath(2, "home/alice", ".profile"))
	if !os.SameFile(a, b) {
		t.Error(".profile was copied, not linked from generation 1")
	}
}

// CheckFiles reads no file whose stat signature is the one recorded when
// it was written, and finds a file edited in place by reading it.
func TestCheckFilesHashesOnlyChangedSignatures(t *testing.T) {
	s, dir := tempStore(t)
	es := nested(2, 2, 5, plain)
	if err := s.Write(gen(1, es)); err != nil {
		t.Fatal(err)
	}
	var stored []StoredFile
	for _, e := range es {
		stored = append(stored, StoredFile{Gen: 1, Root: e.Root, Rel: e.Rel, Hash: e.Hash, Exec: e.Exec})
	}
	cs := &countingSystem{System: system.NewReal()}
	s = New(cs, dir) // a new process: the cache comes from the disk
	if got := s.CheckFiles(stored); len(got) != 0 {
		t.Errorf("CheckFiles after Write = %+v, want nothing", got)
	}
	if n := cs.opens.Load(); n != 0 {
		t.Errorf("CheckFiles read %d files; want none (every signature recorded)", n)
	}

	rel := ".config/app_1/sub_0/file_3"
	editInPlace(t, s.FilePath(1, "home/alice", rel), "edited\n")
	s = New(cs, dir)
	cs.opens.Store(0)
	got := s.CheckFiles(stored)
	if len(got) != 1 || got[0].Rel != rel || got[0].Got != sum("edited\n") ||
		!strings.HasPrefix(got[0].Problem, "stored content edited in place (content ") {
		t.Fatalf("CheckFiles = %+v, want %s edited in place", got, rel)
	}
	if n := cs.opens.Load(); n != 1 {
		t.Errorf("CheckFiles read %d files; want 1, the edited one", n)
	}
	// Only made writable: the mode is reported.
	if err := os.WriteFile(s.FilePath(1, "home/alice", rel), []byte(plain(rel)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(s.FilePath(1, "home/alice", rel), 0o644); err != nil {
		t.Fatal(err)
	}
	got = s.CheckFiles(stored)
	if len(got) != 1 || got[0].Problem != "stored content made writable (mode 0644, not 0444)" {
		t.Errorf("CheckFiles = %+v, want the mode reported", got)
	}
}

// The signature cache is read as empty when it is damaged: every file is
// read again, nothing is taken from it.
func TestSignatureCacheDamaged(t *testing.T) {
	s, dir := tempStore(t)
	es := []Entry{entry("home/alice", ".bashrc", "configured\n", false)}
	if err := s.Write(gen(1, es)); err != nil {
		t.Fatal(err)
	}
	for _, junk := range []string{"", "\x00\x00\x00", sigsHeader + "\n1 2 3\n", "gocfg signatures 9\n"} {
		if err := os.WriteFile(s.sigsPath(), []byte(junk), 0o600); err != nil {
			t.Fatal(err)
		}
		cs := &countingSystem{System: system.NewReal()}
		s := New(cs, dir)
		if got := s.CheckFiles([]StoredFile{{Gen: 1, Root: "home/alice", Rel: ".bashrc", Hash: es[0].Hash}}); len(got) != 0 {
			t.Errorf("%q: CheckFiles = %+v", junk, got)
		}
		if n := cs.opens.Load(); n != 1 {
			t.Errorf("%q: CheckFiles read %d files, want 1", junk, n)
		}
	}
}

// TestSigsFileFormat: the signature cache is written as lines of
// "<ino> <size> <mtime> <ctime> <sha256>" after its header, sorted by
// inode, and read back as written.
func TestSigsFileFormat(t *testing.T) {
	dir := tempStoreDir(t)
	s := New(system.NewReal(), dir)
	h1, h2 := strings.Repeat("ab", 32), strings.Repeat("0f", 32)
	s.sigs.loaded = true
	s.sigs.m = map[uint64]sigEntry{
		42: {sig: fileSig{size: 7, mtime: 1700000000123456789, ctime: -5}, hash: h1},
		3:  {sig: fileSig{size: 0, mtime: 1, ctime: 2}, hash: h2},
	}
	s.sigs.dirty = true
	s.saveSigs()
	got, err := os.ReadFile(s.sigsPath())
	if err != nil {
		t.Fatal(err)
	}
	want := sigsHeader + "\n3 0 1 2 " + h2 + "\n42 7 1700000000123456789 -5 " + h1 + "\n"
	if string(got) != want {
		t.Fatalf("signatures file =\n%s\nwant\n%s", got, want)
	}
	s2 := New(system.NewReal(), dir)
	s2.loadSigs()
	if len(s2.sigs.m) != 2 || s2.sigs.m[42] != s.sigs.m[42] || s2.sigs.m[3] != s.sigs.m[3] {
		t.Errorf("read back %v, want %v", s2.sigs.m, s.sigs.m)
	}
}

// linkCountingSystem counts the links read.
type linkCountingSystem struct {
	system.System
	readlinks atomic.Int64
}

func (c *linkCountingSystem) Readlink(name string) (string, error) {
	c.readlinks.Add(1)
	return c.System.Readlink(name)
}

// replaceLink makes the subtree link name of the object obj lead to
// target: a new link, as anyone who can write the folder would make it.
func replaceLink(tb testing.TB, obj, name, target string) {
	tb.Helper()
	if err := os.Chmod(obj, 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.Remove(filepath.Join(obj, name)); err != nil {
		tb.Fatal(err)
	}
	if err := os.Symlink(target, filepath.Join(obj, name)); err != nil {
		tb.Fatal(err)
	}
	if err := os.Chmod(obj, 0o555); err != nil {
		tb.Fatal(err)
	}
}

// A subtree link whose signature the cache knows is not read again, and
// one replaced since (a new link, leading elsewhere) is: the object
// holding it is written again.
func TestWriteSubtreeLinksFromSignatures(t *testing.T) {
	s, dir := tempStore(t)
	var warnings []string
	s.Warn = func(msg string) { warnings = append(warnings, msg) }
	es := nested(2, 2, 2, plain)
	if err := s.Write(gen(1, es)); err != nil {
		t.Fatal(err)
	}
	// Generation 2 reads every subtree link once (the root's .config,
	// .config's app_0 and app_1, and each app's two subs) and records it;
	// generation 3 reads none.
	for _, c := range []struct{ n, want int64 }{{2, 7}, {3, 0}} {
		n, want := int(c.n), c.want
		cs := &linkCountingSystem{System: system.NewReal()}
		s := New(cs, dir)
		if err := s.Write(gen(n, withHave(s, 1, nested(2, 2, 2, plain)))); err != nil {
			t.Fatal(err)
		}
		if got := cs.readlinks.Load(); got != want {
			t.Errorf("generation %d read %d subtree links, want %d", n, got, want)
		}
	}
	// app_0 -> app_1's object: the root of .config is damaged.
	config, err := filepath.EvalSymlinks(s.FilePath(3, "home/alice", ".config"))
	if err != nil {
		t.Fatal(err)
	}
	right, err := os.Readlink(filepath.Join(config, "app_0"))
	if err != nil {
		t.Fatal(err)
	}
	wrong, err := os.Readlink(filepath.Join(config, "app_1"))
	if err != nil {
		t.Fatal(err)
	}
	replaceLink(t, config, "app_0", wrong)
	s = New(system.NewReal(), dir)
	s.Warn = func(msg string) { warnings = append(warnings, msg) }
	if err := s.Write(gen(4, withHave(s, 1, nested(2, 2, 2, plain)))); err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "app_0: not the link to its subtree") {
		t.Errorf("warnings = %q, want app_0's link reported", warnings)
	}
	for _, n := range []int{3, 4} {
		rel := ".config/app_0/sub_1/file_1"
		if got := testfs.Read(t, s.FilePath(n, "home/alice", rel)); got != plain(rel) {
			t.Errorf("generation %d: %s = %q, want %q", n, rel, got, plain(rel))
		}
	}
	if got, err := os.Readlink(filepath.Join(config, "app_0")); err != nil || got != right {
		t.Errorf("app_0 -> %s, %v after the write; want %s", got, err, right)
	}
}

// A name of an object that is there but leads nowhere (a dangling link)
// is not taken for a missing object and written over: Write fails.
func TestWriteRefusesDanglingObject(t *testing.T) {
	s, _ := tempStore(t)
	es := []Entry{entry("home/alice", ".config/app/conf", "conf\n", false)}
	if err := s.Write(gen(1, es)); err != nil {
		t.Fatal(err)
	}
	obj, err := filepath.EvalSymlinks(s.FilePath(1, "home/alice", ".config/app"))
	if err != nil {
		t.Fatal(err)
	}
	area := filepath.Dir(obj)
	if err := os.Chmod(area, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(obj, obj+".aside"); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("nowhere", obj); err != nil {
		t.Fatal(err)
	}
	if err := s.Write(gen(2, []Entry{entry("home/alice", ".config/app/conf", "conf\n", false)})); err == nil {
		t.Fatal("Write over a dangling link where an object was: no error")
	}
	if fi, err := os.Lstat(obj); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("%s: %v, %v; want the link left alone", obj, fi, err)
	}
}

// The signature cache is appended to when a few entries changed, read
// back with the later line of an inode winning, a line cut short is
// skipped and the next append starts on a line of its own, and it is
// written whole, sorted, once entries were forgotten.
func TestSigsAppend(t *testing.T) {
	dir := tempStoreDir(t)
	var fis []os.FileInfo
	for i := range 3 {
		p := filepath.Join(dir, fmt.Sprint("f", i))
		if err := os.WriteFile(p, []byte(fmt.Sprint(i)), 0o444); err != nil {
			t.Fatal(err)
		}
		fi, err := os.Lstat(p)
		if err != nil {
			t.Fatal(err)
		}
		fis = append(fis, fi)
	}
	h := func(i int) string { return strings.Repeat(fmt.Sprintf("%02x", i), 32) }
	read := func() string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dir, storeDir, sigsFile))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	loaded := func() map[uint64]sigEntry {
		s := New(system.NewReal(), dir)
		s.loadSigs()
		return s.sigs.m
	}

	s := New(system.NewReal(), dir)
	s.rememberHash(fis[0], h(0))
	s.saveSigs() // no file yet: written whole
	whole := read()
	s = New(system.NewReal(), dir)
	s.rememberHash(fis[1], h(1))
	s.rememberHash(fis[0], h(9))
	s.rememberHash(fis[1], h(1))
	s.saveSigs()
	got := read()
	if !strings.HasPrefix(got, whole) || strings.Count(got, "\n") != 4 {
		t.Errorf("after two changes:\n%s\nwant the file before and two lines appended", got)
	}
	if m := loaded(); len(m) != 2 || m[inode(fis[0])].hash != h(9) || m[inode(fis[1])].hash != h(1) {
		t.Errorf("read back %v", m)
	}

	// Cut the last line short: it is skipped, and the next append starts
	// after it on a line of its own.
	if err := os.WriteFile(filepath.Join(dir, storeDir, sigsFile), []byte(got[:len(got)-10]), 0o600); err != nil {
		t.Fatal(err)
	}
	if m := loaded(); len(m) != 2 || m[inode(fis[0])].hash != h(0) {
		t.Errorf("with the last line cut: read back %v, want f0's first hash", m)
	}
	s = New(system.NewReal(), dir)
	s.rememberHash(fis[2], h(2))
	s.saveSigs()
	if m := loaded(); len(m) != 3 || m[inode(fis[2])].hash != h(2) || m[inode(fis[0])].hash != h(0) {
		t.Errorf("after an append to a cut file: read back %v", m)
	}

	// Forgetting writes it whole again: sorted, one line per inode.
	s = New(system.NewReal(), dir)
	s.forgetInodes([]uint64{inode(fis[1])})
	s.saveSigs()
	got = read()
	inos := []uint64{inode(fis[0]), inode(fis[2])}
	slices.Sort(inos)
	want := sigsHeader + "\n"
	for _, ino := range inos {
		want = string(appendSig([]byte(want), ino, s.sigs.m[ino]))
	}
	if got != want {
		t.Errorf("after forgetting:\n%s\nwant\n%s", got, want)
	}
}

// inode returns the inode of the file fi describes.
func inode(fi os.FileInfo) uint64 {
	ino, _, _ := statSig(fi)
	return ino
}
