package files

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/gocfg/gocfg/platform/system"
)

// A hashCache remembers source hashes by stat signature, from the
// current generation's records: the record at a file's path when it has
// the same source (a switch that changes nothing finds every file so,
// without a second map of 10,000 sources), else any record of the
// source, mapped on the first such lookup.
type hashCache struct {
	recs   *Records
	byPath map[string]*File
	// bySource is made once, by the first lookup that needs it (hashing
	// runs on several goroutines).
	once     sync.Once
	bySource map[string]cached
}

type cached struct {
	sig  Sig
	hash string
}

// newHashCache is the cache of recs, whose files byPath maps by Path.
func newHashCache(recs *Records, byPath map[string]*File) *hashCache {
	return &hashCache{recs: recs, byPath: byPath}
}

// lookup returns what the records know of source p, linked or copied
// to path (a file of a linked folder: "").
func (c *hashCache) lookup(path, p string) (cached, bool) {
	if a := c.byPath[path]; path != "" && a != nil && a.Source == p && a.Sig != nil {
		// the last record of p in bySource may be another one, but a
		// signature identifies one content of p.
		return cached{*a.Sig, a.Hash}, true
	}
	c.once.Do(func() {
		c.bySource = map[string]cached{}
		for _, f := range c.recs.Files {
			if f.Source == "" {
				continue
			}
			if f.Sig != nil {
				c.bySource[f.Source] = cached{*f.Sig, f.Hash}
			}
			for _, ct := range f.Files {
				if ct.Sig != nil {
					c.bySource[f.Source+"/"+ct.Rel] = cached{*ct.Sig, ct.Hash}
				}
			}
		}
	})
	v, ok := c.bySource[p]
	return v, ok
}

// hashSource returns the content hash of a source file (fi is its Stat),
// and the signature to record (nil when it changed too recently to be
// trusted, as git's "racily clean" entries). path is where it is linked
// or copied to ("" for a file of a linked folder).
func hashSource(host system.System, cache *hashCache, path, p string, fi fs.FileInfo, now time.Time) (string, *Sig, error) {
	sig := sigOf(fi)
	if c, ok := cache.lookup(path, p); ok && c.sig == sig {
		return c.hash, &sig, nil
	}
	sum, err := hashPath(host, p)
	if err != nil {
		return "", nil, err
	}
	if now.UnixNano()-sig.Ctime < int64(time.Second) || now.UnixNano()-sig.Mtime < int64(time.Second) {
		return sum, nil, nil
	}
	return sum, &sig, nil
}

// copyBuffers are reused by hashPath: dotfiles are small and many, and
// io.Copy would allocate 32 KiB for each one.
var copyBuffers = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

// hashPath returns the sha256 of a file's content.
func hashPath(sys system.System, p string) (string, error) {
	f, err := sys.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h, err := hashReader(f)
	if err != nil {
		return "", fmt.Errorf("%s: %w", p, err)
	}
	return h, nil
}

// hashReader is the sha256 of what r reads, in hex.
func hashReader(r io.Reader) (string, error) {
	h := sha256.New()
	buf := copyBuffers.Get().(*[]byte)
	defer copyBuffers.Put(buf)
	// Hide WriteTo so that CopyBuffer uses buf.
	if _, err := io.CopyBuffer(h, struct{ io.Reader }{r}, *buf); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func hashBytes(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// listingHash identifies a linked folder's content.
func listingHash(cs []Content) string {
	sorted := append([]Content(nil), cs...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Rel < sorted[j].Rel })
	var b strings.Builder
	for _, c := range sorted {
		x := "-"
		if c.Exec {
			x = "x"
		}
		fmt.Fprintf(&b, "%s %s %s\n", c.Hash, x, c.Rel)
	}
	return hashBytes([]byte(b.String()))
}

func short(hash string) string {
	if len(hash) > 8 {
		return hash[:8]
	}
	return hash
}
