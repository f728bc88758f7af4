package files

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/internal/sizedread"
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
	// keep bounds the sources hashing keeps in memory for the store.
	keep *keepBudget
	// store holds the source-signatures cache (generations.SourceSig):
	// the sources a plan hashed that the records do not know. nil in
	// tests without a store.
	store *generations.Store
}

type cached struct {
	sig  Sig
	hash string
}

// newHashCache is the cache of recs, whose files byPath maps by Path,
// and of store's source-signatures cache (store may be nil).
func newHashCache(recs *Records, byPath map[string]*File, store *generations.Store) *hashCache {
	return &hashCache{recs: recs, byPath: byPath, keep: newKeepBudget(keepTotal), store: store}
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

// known returns the hash the store's source-signatures cache holds for
// source p at signature sig, for a source the records do not know so.
func (c *hashCache) known(p string, sig Sig) (string, bool) {
	if c.store == nil {
		return "", false
	}
	f, ok := c.store.KnownSource(p)
	if !ok || f.Size != sig.Size || f.Mtime != sig.Mtime || f.Ctime != sig.Ctime || f.Ino != sig.Ino {
		return "", false
	}
	return f.Hash, true
}

// learn keeps in the store's source-signatures cache the hash of source
// p, read at signature sig, for the next plan (the records of the
// current generation do not have it, and a switch with nothing to do
// writes none). A plan with no files recorded before (a first switch,
// which writes a generation) learns nothing: 10,000 entries would be
// made for no one.
func (c *hashCache) learn(p string, sig Sig, hash string) {
	if c.store != nil && c.recs != nil && len(c.recs.Files) > 0 {
		c.store.LearnSource(p, generations.SourceSig{Size: sig.Size, Mtime: sig.Mtime, Ctime: sig.Ctime, Ino: sig.Ino, Hash: hash})
	}
}

// hashSource returns the content hash of a source file (fi is its Stat),
// and the signature to record (nil when it changed too recently to be
// trusted, as git's "racily clean" entries). path is where it is linked
// or copied to ("" for a file of a linked folder). When it read the
// file and the file was small, kept is the content it hashed (see
// hashKeep); nil when the hash came from the records.
func hashSource(host system.System, cache *hashCache, path, p string, fi fs.FileInfo, now time.Time) (sum string, sig *Sig, kept []byte, err error) {
	s := sigOf(fi)
	if h, ok := cache.hashAt(path, p, s); ok {
		return h, &s, nil, nil
	}
	sum, kept, err = hashKeep(host, p, fi.Size(), cache.keep)
	if err != nil {
		return "", nil, nil, err
	}
	return sum, cache.settle(p, s, sum, now), kept, nil
}

// hashUnstated is hashSource for a source whose Stat was not taken (a
// first switch's walk: see knowsNone): the file is opened, and the stat
// its open took (to refuse what is not a regular file) is its Stat, fi,
// of the very file it then reads.
func hashUnstated(host system.System, cache *hashCache, path, p string, now time.Time) (sum string, sig *Sig, kept []byte, fi fs.FileInfo, err error) {
	f, err := host.Open(p)
	if err != nil {
		return "", nil, nil, nil, err
	}
	defer f.Close()
	if st, ok := f.(interface{ Stat() (fs.FileInfo, error) }); ok {
		fi, err = st.Stat()
	} else {
		fi, err = host.Stat(p)
	}
	if err != nil {
		return "", nil, nil, nil, err
	}
	if !fi.Mode().IsRegular() {
		return "", nil, nil, nil, &fs.PathError{Op: "open", Path: p, Err: system.ErrNotRegular}
	}
	s := sigOf(fi)
	if h, ok := cache.hashAt(path, p, s); ok {
		return h, &s, nil, fi, nil
	}
	sum, kept, err = hashKeepFrom(f, p, fi.Size(), cache.keep)
	if err != nil {
		return "", nil, nil, nil, err
	}
	return sum, cache.settle(p, s, sum, now), kept, fi, nil
}

// hashAt returns the hash the cache has for source p at signature s
// (path: where it is linked or copied to, as hashSource's).
func (c *hashCache) hashAt(path, p string, s Sig) (string, bool) {
	if r, ok := c.lookup(path, p); ok && r.sig == s {
		return r.hash, true
	}
	return c.known(p, s)
}

// settle returns the signature to record for source p, read at s with
// hash sum, and learns it: nil when the source changed too recently to
// be trusted (git's "racily clean" entries).
func (c *hashCache) settle(p string, s Sig, sum string, now time.Time) *Sig {
	if now.UnixNano()-s.Ctime < int64(time.Second) || now.UnixNano()-s.Mtime < int64(time.Second) {
		return nil
	}
	c.learn(p, s, sum)
	return &s
}

// knowsNone reports whether the cache can answer for no source: the
// records have no files and the store's source-signatures cache holds
// none (a first switch). Every source is then read, and a walk need not
// stat the files it lists (hashUnstated).
func (c *hashCache) knowsNone() bool {
	if c.recs != nil && len(c.recs.Files) > 0 || len(c.byPath) > 0 {
		return false
	}
	return c.store == nil || !c.store.KnowsSources()
}

// A first switch reads every source twice: the plan hashes it, and the
// store copies it (and checks the copy against the hash). hashKeep keeps
// what the plan read of small files so that the store copies those
// bytes instead: one open, read and close fewer per file (10,000 for
// the dotfiles benchmark). The store still hashes what it writes and
// compares it with the planned hash, and the bytes kept are the bytes
// hashed, so a source that changes after the plan changes nothing.
// Memory stays bounded: files up to keepFileMax bytes, keepTotal bytes
// in all for a plan; larger files, and files once the budget is spent,
// are read again by the store as before.
const (
	keepFileMax = 16 << 10
	keepTotal   = 16 << 20
)

// A keepBudget is how many more bytes of sources a plan may keep. It is
// shared by the goroutines that hash.
type keepBudget struct{ left atomic.Int64 }

func newKeepBudget(n int64) *keepBudget {
	b := &keepBudget{}
	b.left.Store(n)
	return b
}

// take reserves n bytes, when that many are left.
func (b *keepBudget) take(n int64) bool {
	for {
		left := b.left.Load()
		if n > left {
			return false
		}
		if b.left.CompareAndSwap(left, left-n) {
			return true
		}
	}
}

// give returns n bytes taken and not used.
func (b *keepBudget) give(n int64) {
	if n > 0 {
		b.left.Add(n)
	}
}

// hashKeep returns the sha256 of the file p (size: its size when
// stat'ed) and, when it is at most keepFileMax bytes and keep has room
// (keep may be nil: none), the content it hashed. The file is read
// through sys like hashPath's: the same confined open.
func hashKeep(sys system.System, p string, size int64, keep *keepBudget) (string, []byte, error) {
	f, err := sys.Open(p)
	if err != nil {
		return "", nil, err
	}
	defer f.Close()
	return hashKeepFrom(f, p, size, keep)
}

// hashKeepFrom is hashKeep of the file p opened as f.
func hashKeepFrom(f io.Reader, p string, size int64, keep *keepBudget) (string, []byte, error) {
	if keep == nil || size < 0 || size > keepFileMax || !keep.take(size) {
		h, err := hashReader(f)
		if err != nil {
			return "", nil, fmt.Errorf("%s: %w", p, err)
		}
		return h, nil, nil
	}
	// One byte more than the size tells a file that grew since its Stat.
	buf := make([]byte, size+1)
	// A short read that reaches the size the file had when opened is
	// its end, as the store's copy takes it: no read(2) to find it.
	n, err := io.ReadFull(sizedread.New(f), buf)
	switch err {
	case io.EOF, io.ErrUnexpectedEOF: // all of it: at most size bytes
		keep.give(size - int64(n))
		b := buf[:n:n]
		return hashBytes(b), b, nil
	case nil: // it grew: hash it whole, keep none of it
		keep.give(size)
		h, err := hashReader(io.MultiReader(bytes.NewReader(buf), f))
		if err != nil {
			return "", nil, fmt.Errorf("%s: %w", p, err)
		}
		return h, nil, nil
	default:
		keep.give(size)
		return "", nil, fmt.Errorf("%s: %w", p, err)
	}
}

// copyBuffers are reused by hashPath: dotfiles are small and many, and
// io.Copy would allocate 32 KiB for each one.
var copyBuffers = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

// hashPath returns the sha256 of a live file's content (hashLive).
func hashPath(sys system.System, p string) (string, error) {
	return hashOpened(sys.Open, p)
}

// hashOpened is hashPath for the file open opens at p.
func hashOpened(open func(string) (io.ReadCloser, error), p string) (string, error) {
	f, err := open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h, err := hashLive(f)
	if err != nil {
		return "", fmt.Errorf("%s: %w", p, err)
	}
	return h, nil
}

// hashLive is the sha256 of what r reads, a live file another account
// may change, reading at most maxLiveHash bytes: more gets a
// tooLargeHash. A size looked at before is no bound: between that
// Lstat and the open, the file's account can swap a sparse terabyte in
// (tester I held root's plan for hours so).
func hashLive(r io.Reader) (string, error) {
	h := sha256.New()
	buf := copyBuffers.Get().(*[]byte)
	defer copyBuffers.Put(buf)
	n, err := io.CopyBuffer(h, io.LimitReader(r, maxLiveHash+1), *buf)
	if err != nil {
		return "", err
	}
	if n > maxLiveHash {
		return tooLargeHash(n), nil
	}
	return hex.EncodeToString(h.Sum(nil)), nil
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

// short is hash as messages show it: its first 8 digits, or, for a file
// too large to hash (tooLargeHash), its size (tester AI: "too-larg").
func short(hash string) string {
	if size, ok := strings.CutPrefix(hash, "too-large:"); ok {
		return "too large to compare, " + size + " bytes"
	}
	if len(hash) > 8 {
		return hash[:8]
	}
	return hash
}
