package generations

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// A cacheFile is one of the store's line caches (store/settled,
// store/sources): a first line that names its format, then one line per
// entry, "<fields> <quoted absolute path>", written whole and atomically
// through the store's System, private (0600). It is only a cache: a
// missing, unreadable or damaged file is an empty one, and a line that
// is not what its writer writes is skipped.
type cacheFile struct {
	name   string // under store/
	header string // the first line
	// lost says what a cache that cannot be written costs, for Warn.
	lost string
}

func (s *Store) cachePath(cf cacheFile) string { return filepath.Join(s.dir, storeDir, cf.name) }

// readCache calls each with every line after the header, none when the
// file is missing, unreadable or has another header.
func (s *Store) readCache(cf cacheFile, each func(line string)) {
	data, err := s.sys.ReadFile(s.cachePath(cf))
	if err != nil {
		return
	}
	text, ok := strings.CutPrefix(string(data), cf.header+"\n")
	if !ok {
		return
	}
	for len(text) > 0 {
		var line string
		line, text, _ = strings.Cut(text, "\n")
		each(line)
	}
}

// loadCache reads the cache into a map: each line that parse accepts,
// by the key it returns.
func loadCache[V any](s *Store, cf cacheFile, parse func(line string) (string, V, bool)) map[string]V {
	m := map[string]V{}
	s.readCache(cf, func(line string) {
		if k, v, ok := parse(line); ok {
			m[k] = v
		}
	})
	return m
}

// writeCache writes m whole, a line per key in sorted order: the fields
// fields appends for its value, then the key quoted. It says whether the
// file was written; one that cannot be is reported through Warn.
func writeCache[V any](s *Store, cf cacheFile, m map[string]V, fields func(b []byte, v V) []byte) bool {
	keys := slices.Sorted(maps.Keys(m))
	b := make([]byte, 0, len(keys)*200+len(cf.header)+1)
	b = append(b, cf.header+"\n"...)
	for _, k := range keys {
		b = fields(b, m[k])
		b = strconv.AppendQuote(append(b, ' '), k)
		b = append(b, '\n')
	}
	if err := s.sys.WriteFile(s.cachePath(cf), b, 0o600); err != nil {
		s.warn(fmt.Sprintf("%s: %v; %s", s.cachePath(cf), err, cf.lost))
		return false
	}
	return true
}

// lineFields reads the space-separated fields of a cache line in order.
// ok turns false at the first field that is missing or malformed, and
// stays so.
type lineFields struct {
	rest string
	ok   bool
}

func newLineFields(line string) *lineFields { return &lineFields{rest: line, ok: true} }

func (f *lineFields) next() string {
	if !f.ok {
		return ""
	}
	field, rest, found := strings.Cut(f.rest, " ")
	f.rest, f.ok = rest, found
	return field
}

func (f *lineFields) int64() int64 {
	n, err := strconv.ParseInt(f.next(), 10, 64)
	f.ok = f.ok && err == nil
	return n
}

func (f *lineFields) uint64() uint64 {
	n, err := strconv.ParseUint(f.next(), 10, 64)
	f.ok = f.ok && err == nil
	return n
}

// hash reads a sha256 in hex.
func (f *lineFields) hash() string {
	h := f.next()
	f.ok = f.ok && isHash(h)
	return h
}

// path reads the rest of the line: an absolute path, quoted.
func (f *lineFields) path() (string, bool) {
	if !f.ok {
		return "", false
	}
	p, err := strconv.Unquote(f.rest)
	return p, err == nil && filepath.IsAbs(p)
}
