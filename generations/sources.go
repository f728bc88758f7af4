package generations

import (
	"maps"
	"path/filepath"
	"strconv"
	"sync"
)

// sourcesCacheFile is the source-signatures cache, store/sources: the
// content hash of a dotfiles source (a file that a files entry links or
// copies) at a stat signature, for the sources whose signature the
// current generation's records lack.
//
// Why: the files provider hashes a source only when the records of the
// current generation have another signature for it, and records none
// for a source that changed less than a second before the plan read it
// (git's "racily clean" rule). A first switch right after a clone or a
// generation of the dotfiles (`gocfg init --apply`) finds every source
// that new, and a switch with nothing to do writes no generation, so
// every later no-op switch read and hashed every source again: with
// 10,000 dotfiles a no-op took 152 ms instead of 89 (medians of 7). With this cache the first no-op
// switch that finds them settled records them here, and the next ones
// read none. Only a switch with nothing to do writes it
// (Store.SaveSettled): a switch that writes a generation records the
// signatures there. It holds what the last such switch needed beyond
// the records, so the first one after a generation that records them
// empties it. It is a cache: missing, damaged or unknown lines are
// sources hashed again.
var sourcesCacheFile = cacheFile{name: "sources", header: "gocfg sources 1", lost: "sources are hashed again next time"}

// A SourceSig is a source file's stat signature (size, modification and
// change times in nanoseconds, inode) and the sha256 of its content at
// that signature.
type SourceSig struct {
	Size, Mtime, Ctime int64
	Ino                uint64
	Hash               string
}

// sourcesCache is the loaded source-signatures cache (old) and what this
// process's plan used or learnt of it (now), by source path.
type sourcesCache struct {
	mu       sync.Mutex
	loaded   bool
	old, now map[string]SourceSig
}

// KnownSource returns what the cache holds of the source path (a path
// as the configuration names it, outside any root), and keeps it for the
// next process.
func (s *Store) KnownSource(path string) (SourceSig, bool) {
	c := &s.sources
	c.mu.Lock()
	defer c.mu.Unlock()
	s.loadSources()
	f, ok := c.old[path]
	if ok {
		c.now[path] = f
	}
	return f, ok
}

// KnowsSources reports whether the cache holds any source (read now if
// no plan needed it): a plan that finds neither records nor this cache
// for its sources reads every one, and need not stat them first.
func (s *Store) KnowsSources() bool {
	c := &s.sources
	c.mu.Lock()
	defer c.mu.Unlock()
	s.loadSources()
	return len(c.old) > 0
}

// LearnSource records f for the source path, to be written with the
// settled-folders cache. A path that is not absolute is not kept (it
// would not be read back, and so be written again by every switch).
func (s *Store) LearnSource(path string, f SourceSig) {
	if !filepath.IsAbs(path) {
		return
	}
	c := &s.sources
	c.mu.Lock()
	defer c.mu.Unlock()
	s.loadSources()
	c.now[path] = f
}

// loadSources reads the cache once; the caller holds s.sources.mu. A
// missing, unreadable or damaged cache is an empty one, and a line that
// is not what saveSources writes is skipped.
func (s *Store) loadSources() {
	c := &s.sources
	if c.loaded {
		return
	}
	c.loaded = true
	c.old, c.now = loadCache(s, sourcesCacheFile, parseSource), map[string]SourceSig{}
}

// parseSource reads one line: "<size> <mtime> <ctime> <ino> <sha256>
// <path>", the path quoted as strconv.Quote writes it.
func parseSource(line string) (string, SourceSig, bool) {
	r := newLineFields(line)
	f := SourceSig{Size: r.int64(), Mtime: r.int64(), Ctime: r.int64(), Ino: r.uint64(), Hash: r.hash()}
	p, ok := r.path()
	return p, f, ok
}

// saveSources writes the cache, whole and atomically through the
// store's System, when what this process used or learnt differs from
// what the file holds (read now if no plan needed it: a cache that the
// records made useless is emptied). One that cannot be written is
// reported through Warn: the sources are hashed again next time.
func (s *Store) saveSources() {
	c := &s.sources
	c.mu.Lock()
	defer c.mu.Unlock()
	if !s.hasStore() {
		return
	}
	s.loadSources()
	if maps.Equal(c.old, c.now) {
		return
	}
	if !writeCache(s, sourcesCacheFile, c.now, func(b []byte, f SourceSig) []byte {
		b = strconv.AppendInt(b, f.Size, 10)
		b = strconv.AppendInt(append(b, ' '), f.Mtime, 10)
		b = strconv.AppendInt(append(b, ' '), f.Ctime, 10)
		b = strconv.AppendUint(append(b, ' '), f.Ino, 10)
		return append(append(b, ' '), f.Hash...)
	}) {
		return
	}
	c.old = maps.Clone(c.now)
}
