package generations

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"github.com/gocfg/gocfg/internal/filestat"
)

// sigsFile is the signature cache, store/signatures: what the content
// hash of each stored file was when it had a given stat signature, so
// that checking a stored file costs one stat and hashing happens only
// when the signature changed (see "Stored content changed in place" in
// the package documentation).
const sigsFile = "signatures"

// sigsHeader is the first line of the signature cache.
const sigsHeader = "gocfg signatures 1"

// A fileSig identifies a version of a file's content without reading
// it: its size, and its modification and change times in nanoseconds.
// An edit in place (vim's :w! on a file it made writable) changes the
// modification time and the change time; a chmod the change time.
type fileSig struct {
	size, mtime, ctime int64
}

// statSig returns the inode and the signature of the file fi describes,
// and false when fi does not say.
func statSig(fi fs.FileInfo) (uint64, fileSig, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, fileSig{}, false
	}
	mtime, ctime := filestat.Times(st)
	return st.Ino, fileSig{size: fi.Size(), mtime: mtime, ctime: ctime}, true
}

// A sigEntry is what the cache knows of one inode.
type sigEntry struct {
	sig  fileSig
	hash string
}

// A sigCache maps the inodes of stored files to the signature they had
// when their content had a hash (and those of subtree links to the
// signature they had when they led to a subtree's hash, reuse.go). It is a cache, never an authority: a
// file whose signature differs, or that it does not know, is hashed.
type sigCache struct {
	mu     sync.Mutex
	loaded bool
	m      map[uint64]sigEntry
	dirty  bool
	// appendable says that the file may be appended to: it was read
	// whole, or last written, and no entry was forgotten since; lines is
	// then how many lines follow its header, and tail says that it ends
	// with a newline. changed are the inodes whose entries changed since
	// it was read or written, in order: what an append adds (saveSigs).
	appendable bool
	lines      int
	tail       bool
	changed    []uint64
}

// sigsPath is the path of the signature cache.
func (s *Store) sigsPath() string { return filepath.Join(s.dir, storeDir, sigsFile) }

// loadSigs reads the signature cache once; the caller holds s.sigs.mu.
// A missing, unreadable or damaged cache is an empty one: every file is
// then hashed. A line that is not what saveSigs writes is skipped.
func (s *Store) loadSigs() {
	c := &s.sigs
	if c.loaded {
		return
	}
	c.loaded = true
	data, err := s.sys.ReadFile(s.sigsPath())
	if err != nil {
		c.m = map[uint64]sigEntry{}
		return
	}
	// One string for the whole file: every hash is a part of it, not a
	// string of its own (10,000 of them for as many stored files, in
	// every switch).
	text, ok := strings.CutPrefix(string(data), sigsHeader+"\n")
	if !ok {
		c.m = map[uint64]sigEntry{}
		return
	}
	c.appendable = true
	c.lines = strings.Count(text, "\n")
	c.tail = text == "" || text[len(text)-1] == '\n'
	if !c.tail {
		c.lines++
	}
	c.m = make(map[uint64]sigEntry, c.lines)
	for len(text) > 0 {
		var line string
		line, text, _ = strings.Cut(text, "\n")
		if ino, e, ok := parseSig(line); ok {
			c.m[ino] = e
		}
	}
}

// preloadSigs reads the signature cache on another goroutine, while the
// caller goes on with what needs no signature; every use of the cache
// waits for it.
func (s *Store) preloadSigs() {
	c := &s.sigs
	c.mu.Lock()
	if c.loaded {
		c.mu.Unlock()
		return
	}
	go func() {
		defer c.mu.Unlock()
		s.loadSigs()
	}()
}

// parseSig reads one line of the cache: "<ino> <size> <mtime> <ctime>
// <sha256>", decimal numbers (the ino unsigned).
func parseSig(line string) (uint64, sigEntry, bool) {
	field, line, ok := strings.Cut(line, " ")
	ino, err := strconv.ParseUint(field, 10, 64)
	if !ok || err != nil {
		return 0, sigEntry{}, false
	}
	var nums [3]int64
	for i := range nums {
		if field, line, ok = strings.Cut(line, " "); !ok {
			return 0, sigEntry{}, false
		}
		if nums[i], err = strconv.ParseInt(field, 10, 64); err != nil {
			return 0, sigEntry{}, false
		}
	}
	if !isHash(line) {
		return 0, sigEntry{}, false
	}
	return ino, sigEntry{sig: fileSig{nums[0], nums[1], nums[2]}, hash: line}, true
}

// cachedHash returns the hash the cache knows for the file fi describes,
// if its signature is the one recorded.
func (s *Store) cachedHash(fi fs.FileInfo) (string, bool) {
	ino, sig, ok := statSig(fi)
	if !ok {
		return "", false
	}
	c := &s.sigs
	c.mu.Lock()
	defer c.mu.Unlock()
	s.loadSigs()
	e, ok := c.m[ino]
	if !ok || e.sig != sig {
		return "", false
	}
	return e.hash, true
}

// rememberHash records that the file fi describes has content hash.
func (s *Store) rememberHash(fi fs.FileInfo, hash string) {
	ino, sig, ok := statSig(fi)
	if !ok {
		return
	}
	c := &s.sigs
	c.mu.Lock()
	defer c.mu.Unlock()
	s.loadSigs()
	if e, ok := c.m[ino]; ok && e.sig == sig && e.hash == hash {
		return
	}
	c.m[ino] = sigEntry{sig: sig, hash: hash}
	c.dirty = true
	c.changed = append(c.changed, ino)
}

// forgetInodes drops what the cache knows of inodes (files GC removed).
func (s *Store) forgetInodes(inos []uint64) {
	if len(inos) == 0 {
		return
	}
	c := &s.sigs
	c.mu.Lock()
	defer c.mu.Unlock()
	s.loadSigs()
	for _, ino := range inos {
		if _, ok := c.m[ino]; ok {
			delete(c.m, ino)
			c.dirty = true
			c.appendable = false // an append cannot drop a line
		}
	}
}

// storedHash returns the content hash of the stored file p, which fi
// (its Stat) describes: from the signature cache when trust is set and
// the signature is the recorded one, else by reading it. What was read
// is recorded, unless the file changed while it was read.
func (s *Store) storedHash(p string, fi fs.FileInfo, trust bool) (string, error) {
	if trust {
		if h, ok := s.cachedHash(fi); ok {
			return h, nil
		}
	}
	h, err := s.hashFile(p)
	if err != nil {
		return "", err
	}
	if after, err := s.sys.Stat(p); err == nil && sameSig(fi, after) {
		s.rememberHash(after, h)
	}
	return h, nil
}

// sameSig reports whether a and b describe the same version of one file.
func sameSig(a, b fs.FileInfo) bool {
	ia, sa, oka := statSig(a)
	ib, sb, okb := statSig(b)
	return oka && okb && ia == ib && sa == sb
}

// hashFile returns the sha256 of the content of the file p.
func (s *Store) hashFile(p string) (string, error) {
	f, err := s.sys.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	bp := copyBuffers.Get().(*[]byte)
	defer copyBuffers.Put(bp)
	// Hide WriteTo so that CopyBuffer uses the pooled buffer.
	if _, err := io.CopyBuffer(h, struct{ io.Reader }{f}, *bp); err != nil {
		return "", fmt.Errorf("%s: %w", p, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// SaveSignatures writes what the store learnt of its files' signatures
// (CheckFiles, Verify) to the signature cache, and the settled-folders
// cache (SaveSettled), so that the next process need not read them
// again. Write, GC and Repair do it themselves; a
// command that holds the lock and writes no generation (a switch with
// nothing to do, a rollback) calls it. A cache that cannot be written is
// reported through Warn and otherwise ignored: files are read again
// next time.
func (s *Store) SaveSignatures() { s.saveSigs() }

// saveSigs writes the signature cache when it learnt something, through
// the store's System (a dry run records it and writes nothing). Never
// call it from a command that must change nothing.
//
// When the file holds few lines more than the cache has entries, the
// entries that changed are appended to it (a one-change switch of
// 10,000 stored files changes a dozen), later lines taking the place of
// earlier ones for an inode when it is read; else, and when an append
// fails, the whole cache replaces it atomically, one line per inode,
// sorted. A line an interrupted append cut short is skipped when read
// (its hash, the last field, is cut or missing), and the next append
// starts on a new line.
func (s *Store) saveSigs() {
	s.saveSettled() // settled.go
	c := &s.sigs
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.dirty || !s.hasStore() {
		return
	}
	if c.appendable && c.lines+len(c.changed) <= len(c.m)+len(c.m)/8+64 {
		if n, ok := s.appendSigs(); ok {
			c.lines += n
			c.tail = true
			c.changed = c.changed[:0]
			c.dirty = false
			return
		}
	}
	inos := make([]uint64, 0, len(c.m))
	for ino := range c.m {
		inos = append(inos, ino)
	}
	slices.Sort(inos)
	// Appended with strconv, not fmt.Fprintf: 10,000 lines for as many
	// stored files.
	b := make([]byte, 0, len(inos)*120+len(sigsHeader)+1)
	b = append(b, sigsHeader+"\n"...)
	for _, ino := range inos {
		b = appendSig(b, ino, c.m[ino])
	}
	if err := s.sys.WriteFile(s.sigsPath(), b, 0o600); err != nil {
		s.warn(fmt.Sprintf("%s: %v; stored files are hashed again next time", s.sigsPath(), err))
		return
	}
	c.appendable, c.lines, c.tail = true, len(inos), true
	c.changed = c.changed[:0]
	c.dirty = false
}

// appendSigs appends the lines of the entries that changed (each once,
// as the cache has it now) to the cache file, and returns how many; the
// caller holds s.sigs.mu.
func (s *Store) appendSigs() (int, bool) {
	c := &s.sigs
	done := make(map[uint64]bool, len(c.changed))
	var b []byte
	if !c.tail {
		b = append(b, '\n')
	}
	n := 0
	for _, ino := range c.changed {
		e, ok := c.m[ino]
		if !ok || done[ino] {
			continue
		}
		done[ino] = true
		b = appendSig(b, ino, e)
		n++
	}
	f, err := s.sys.OpenAppend(s.sigsPath(), 0o600)
	if err != nil {
		return 0, false
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, false
	}
	if !c.tail {
		n++ // the line cut short is a line of its own now
	}
	return n, true
}

// appendSig appends the cache line of ino and e to b.
func appendSig(b []byte, ino uint64, e sigEntry) []byte {
	b = strconv.AppendUint(b, ino, 10)
	for _, n := range [...]int64{e.sig.size, e.sig.mtime, e.sig.ctime} {
		b = strconv.AppendInt(append(b, ' '), n, 10)
	}
	return append(append(append(b, ' '), e.hash...), '\n')
}

// lastInodes returns the inodes of the regular files and subtree links
// of the tree object p that have no other hard link: removing p removes
// them.
func (s *Store) lastInodes(p string) []uint64 {
	des, err := s.readDir(p)
	if err != nil {
		return nil
	}
	var inos []uint64
	for _, de := range des {
		if !de.Type().IsRegular() && de.Type()&fs.ModeSymlink == 0 {
			continue
		}
		if fi, err := de.Info(); err == nil && linkCount(fi) == 1 {
			if ino, _, ok := statSig(fi); ok {
				inos = append(inos, ino)
			}
		}
	}
	return inos
}

// hasStore reports whether the state folder has its store folder: the
// caches are written only into a store that is there, never creating
// one.
func (s *Store) hasStore() bool {
	fi, err := s.sys.Lstat(filepath.Join(s.dir, storeDir))
	return err == nil && fi.IsDir()
}
