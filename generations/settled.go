package generations

import (
	"strconv"
	"sync"
)

// settledCacheFile is the settled-folders cache, store/settled: for a
// folder of managed links, the stat signature it had when every managed
// link in it was found as the current generation's records say (see
// [SettledFolder]). The files provider reads it to leave those links
// unread while the folder keeps that signature; it is a cache, never an
// authority.
var settledCacheFile = cacheFile{name: "settled", header: "gocfg settled 1", lost: "managed links are read again next time"}

// A SettledFolder is what the files provider found of a folder of
// managed links: the folder's device, inode, modification and change
// times (nanoseconds) when it read them, and Links, a digest of the
// names and targets of the managed links it found in it, each as the
// records said. A name added to the folder, removed, renamed or
// replaced (a link is changed only by replacing it) moves the folder's
// mtime and ctime, and no one but root can set a ctime back; a folder
// put in its place has another inode, or a later ctime.
type SettledFolder struct {
	Dev, Ino     uint64
	Mtime, Ctime int64
	Links        string
}

// settledCache is the loaded settled-folders cache, by machine path.
type settledCache struct {
	mu     sync.Mutex
	loaded bool
	m      map[string]SettledFolder
	dirty  bool
}

// Settled returns what the cache knows of the folder dir (a machine
// path).
func (s *Store) Settled(dir string) (SettledFolder, bool) {
	c := &s.settled
	c.mu.Lock()
	defer c.mu.Unlock()
	s.loadSettled()
	f, ok := c.m[dir]
	return f, ok
}

// Settle records f for the folder dir, or with ok false forgets what the
// cache knew of it. It is kept by the next SaveSignatures (or Write, GC,
// Repair).
func (s *Store) Settle(dir string, f SettledFolder, ok bool) {
	c := &s.settled
	c.mu.Lock()
	defer c.mu.Unlock()
	s.loadSettled()
	old, had := c.m[dir]
	switch {
	case ok && (!had || old != f):
		c.m[dir] = f
	case !ok && had:
		delete(c.m, dir)
	default:
		return
	}
	c.dirty = true
}

// loadSettled reads the cache once; the caller holds s.settled.mu. A
// missing, unreadable or damaged cache is an empty one, and a line that
// is not what saveSettled writes is skipped.
func (s *Store) loadSettled() {
	c := &s.settled
	if c.loaded {
		return
	}
	c.loaded = true
	c.m = loadCache(s, settledCacheFile, parseSettled)
}

// parseSettled reads one line: "<dev> <ino> <mtime> <ctime> <links>
// <dir>", the dir quoted as strconv.Quote writes it.
func parseSettled(line string) (string, SettledFolder, bool) {
	r := newLineFields(line)
	f := SettledFolder{Dev: r.uint64(), Ino: r.uint64(), Mtime: r.int64(), Ctime: r.int64(), Links: r.hash()}
	dir, ok := r.path()
	return dir, f, ok
}

// SaveSettled writes the settled-folders cache when it changed, whole
// and atomically, through the store's System (a dry run records it and
// writes nothing). Write, GC, Repair and SaveSignatures do it
// themselves; a switch with nothing to do calls it, and so also writes
// the source-signatures cache (sources.go), which only such a switch
// needs. A cache that cannot be written is reported through Warn: the
// links are read next time.
func (s *Store) SaveSettled() {
	s.saveSettled()
	s.saveSources() // sources.go
}

func (s *Store) saveSettled() {
	c := &s.settled
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.dirty || !s.hasStore() {
		return
	}
	if !writeCache(s, settledCacheFile, c.m, func(b []byte, f SettledFolder) []byte {
		b = strconv.AppendUint(b, f.Dev, 10)
		b = strconv.AppendUint(append(b, ' '), f.Ino, 10)
		b = strconv.AppendInt(append(b, ' '), f.Mtime, 10)
		b = strconv.AppendInt(append(b, ' '), f.Ctime, 10)
		return append(append(b, ' '), f.Links...)
	}) {
		return
	}
	c.dirty = false
}
