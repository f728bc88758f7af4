package evalcache

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/gocfg/gocfg/modules"
	"github.com/gocfg/gocfg/modules/loader"
	"github.com/hashicorp/hcl/v2"
)

// MaxEntries is how many entries a cache folder keeps: Put removes the
// least recently written ones beyond it. gocfg deploy keeps two for each
// host of a fleet (its inventory and its configuration), so that a fleet
// of a hundred hosts is still cached.
const MaxEntries = 256

// A Key names a cached evaluation.
type Key struct {
	// Entry is the entry module's absolute path.
	Entry string
	// Host is the `host` object the configuration saw.
	Host modules.Host
	// Query is what the command asked of the evaluation, in its own
	// words ("eval json networking", "check", "switch darwin").
	Query string
	// WorkDir is the working folder, which diagnostics are worded
	// relative to: it must match only for an entry that has some.
	WorkDir string
}

// An Entry is what a command keeps of an evaluation.
type Entry struct {
	// Outputs are its results, named by the command.
	Outputs map[string][]byte
	// Diags are the warnings the evaluation gave, to be shown again.
	// An evaluation with errors is not kept.
	Diags hcl.Diagnostics
	// release gives back the memory Get read the entry from (nil: none).
	release func()
}

// Close gives back the memory that the Outputs of an entry Get returned
// are read from (the entry file, mapped): they must not be used after
// it, so a caller copies what it keeps. Without Close they stay valid
// until the process ends. Close of another Entry does nothing.
func (e *Entry) Close() {
	if e.release != nil {
		e.release()
		e.release = nil
	}
}

// A Cache is a folder of entries.
type Cache struct {
	// Dir is the folder. It is made (0700) by the first Put.
	Dir string
	// BuildID is the binary's (BuildID); an entry of another is
	// ignored. Empty: nothing is cached.
	BuildID string
	// Now is the clock (nil: time.Now).
	Now func() time.Time
	// Vet, when set, vets a hit's files and folders (Vetter).
	Vet Vetter
}

// New returns the cache in dir for this binary.
func New(dir string) *Cache { return &Cache{Dir: dir, BuildID: BuildID()} }

func (c *Cache) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// name is the file name of k's entry: a hash of what two evaluations of
// one configuration may differ in, so evaluating for another OS or host
// does not replace the entry. WorkDir is left out, as most entries do not
// depend on it.
func (k Key) name() string {
	h := sha256.New()
	for _, s := range []string{k.Entry, k.Query, k.Host.OS, k.Host.Arch, k.Host.Name, k.Host.User, k.Host.Distro} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16]) + ".evc"
}

// Get returns k's entry when everything the evaluation read is as it
// was. getenv reads the environment variables env() read (nil:
// os.Getenv). A file that had to be hashed again (a changed signature,
// same content) is recorded with its new signature, so the next Get need
// not hash it. The entry's Outputs are read from the entry file, mapped
// into memory, until its Close.
//
// recorded is how many files the entry for k recorded, whether it still
// holds or not: the size of the configuration as its last evaluation
// read it, which a command that evaluates again can size its work by.
// It is -1 when there is no entry for k from this build.
func (c *Cache) Get(k Key, getenv func(string) string) (e *Entry, recorded int, ok bool) {
	if c == nil || c.BuildID == "" || !c.privateDir(false) {
		return nil, -1, false
	}
	if getenv == nil {
		getenv = os.Getenv
	}
	path := filepath.Join(c.Dir, k.name())
	b, release, ok := readPrivate(path)
	if !ok {
		return nil, -1, false
	}
	mapped := readMapped(b, func() { e, recorded, ok = c.hit(k, getenv, path, b) })
	if !mapped {
		recorded = -1 // the file changed under the mapping: nothing read from it counts
	}
	if !mapped || !ok {
		release()
		return nil, recorded, false
	}
	e.release = release
	return e, recorded, true
}

// hit is Get for the entry file at path, whose content is b.
func (c *Cache) hit(k Key, getenv func(string) string, path string, b []byte) (*Entry, int, bool) {
	r, files, err := decodeLocated(b)
	if err != nil || r.buildID != c.BuildID {
		return nil, -1, false
	}
	if r.key.Entry != k.Entry || r.key.Query != k.Query || r.key.Host != k.Host ||
		(len(r.out.Diags) > 0 && r.key.WorkDir != k.WorkDir) {
		return nil, -1, false
	}
	recorded := files.len()
	for _, kv := range r.in.env {
		if getenv(kv[0]) != kv[1] {
			return nil, recorded, false
		}
	}
	refresh := false
	for i := range r.in.folders {
		fresh, ok := c.checkFolder(&r.in.folders[i])
		if !ok {
			return nil, recorded, false
		}
		refresh = refresh || fresh
	}
	t := c.now()
	// The records of the files hashed again (rare: a file touched but
	// not changed), by index.
	var mu sync.Mutex
	var hashed map[int]fileRecord
	check := func(i int, st statResult) bool {
		f := files.at(i)
		if c.Vet != nil && f.Present && st.err == nil && !c.Vet.File(files.path(i), st.uid, st.gid, st.sig.Mode) {
			return false
		}
		fresh, ok := c.check(&f, st, t)
		if fresh {
			mu.Lock()
			if hashed == nil {
				hashed = map[int]fileRecord{}
			}
			hashed[i] = f
			mu.Unlock()
		}
		return ok
	}
	// The paths and records are read in place from b, on the workers too.
	guard := func(f func()) bool { return readMapped(b, f) }
	if !statEach(files.len(), files.path, check, guard) {
		return nil, recorded, false
	}
	if c.Vet != nil && !c.vetDirs(r.in.folders, files) {
		return nil, recorded, false
	}
	if refresh || len(hashed) > 0 {
		r.in.files = files.records()
		for i, f := range hashed {
			r.in.files[i] = f
		}
		_ = c.write(path, r)
	}
	// A copy of r.out, so that nothing keeps r, whose key and inputs
	// share b (decodeLocated).
	out := r.out
	return &out, recorded, true
}

// A Vetter is asked, on a hit, whether what the entry read may still be
// trusted by whom the cache serves (root's gocfg: cmd/gocfg's trust of
// the configuration's files, internal/pathtrust), so that a hit refuses
// what the evaluation it stands for would refuse (tester AK: a folder of
// the configuration made writable by others after the entry was made
// was still a hit). Both are asked from several goroutines.
type Vetter interface {
	// File vets a file read, by its stat (links followed).
	File(path string, uid, gid, mode uint32) bool
	// Dir vets a folder files were read from (or an imported folder),
	// and its way.
	Dir(path string) bool
}

// vetDirs asks c.Vet about each folder the entry's files are in, and
// each imported folder, once.
func (c *Cache) vetDirs(folders []folderRecord, files fileTable) bool {
	seen := map[string]bool{}
	for _, f := range folders {
		seen[f.Path] = true
	}
	for i := range files.len() {
		if f := files.at(i); f.Present {
			seen[filepath.Dir(files.path(i))] = true
		}
	}
	for d := range seen {
		if !c.Vet.Dir(d) {
			return false
		}
	}
	return true
}

// check reports whether the file f recorded is as it was, given what
// stat said of it (st, taken after t); fresh is true when f was updated
// (hashed again: its signature changed or was racy). Checks of different
// files may run at once.
func (c *Cache) check(f *fileRecord, st statResult, t time.Time) (fresh, ok bool) {
	if !f.Present {
		return false, st.err != nil && errors.Is(st.err, fs.ErrNotExist)
	}
	if st.err != nil {
		return false, false
	}
	if st.sig == f.Sig && !f.Racy {
		return false, true
	}
	b, err := loader.ReadFile(f.Path)
	if err != nil || sha256.Sum256(b) != f.Sum {
		return false, false
	}
	f.Sig, f.Racy = st.sig, st.sig.racy(t)
	return true, true
}

// checkFolder reports whether the imported folder d still holds the
// modules it held. Its stat signature answers without listing it when
// it vouches for the listing (see listedSignature); otherwise the folder
// is listed again, and when the modules are the same the record takes
// the new signature (fresh). A listing that listedSignature found to be
// d.Files, of regular files only, is what the loader would list; only a
// folder with links named *.hcl, or another listing, is listed as the
// loader lists it.
func (c *Cache) checkFolder(d *folderRecord) (fresh, ok bool) {
	if d.Signed && !d.Racy {
		if st := statPath(d.Path); st.err == nil && st.sig == d.Sig {
			return false, true
		}
	}
	t := c.now()
	sig, signed := listedSignature(d.Path, d.Files)
	if !signed {
		files, err := loader.FolderModules(d.Path)
		if err != nil || !slices.Equal(files, d.Files) {
			return false, false
		}
	}
	if signed != d.Signed || sig != d.Sig || d.Racy != sig.racy(t) {
		d.Sig, d.Signed, d.Racy = sig, signed, sig.racy(t)
		return true, true
	}
	return false, true
}

// Put records e as k's entry, with the inputs rec recorded. It does
// nothing when rec was unsure of something it read or e has errors; a
// failure to write is returned, but the caller may ignore it.
func (c *Cache) Put(k Key, rec *Recorder, e *Entry) error {
	if c == nil || c.BuildID == "" || e == nil || e.Diags.HasErrors() {
		return nil
	}
	in, ok := rec.inputs()
	if !ok {
		return nil
	}
	if !c.privateDir(true) {
		return errors.New(c.Dir + ": not a private folder of this user; the evaluation cache is not used")
	}
	r := &record{buildID: c.BuildID, key: k, in: in, out: *e}
	if err := c.write(filepath.Join(c.Dir, k.name()), r); err != nil {
		return err
	}
	c.evict()
	return nil
}

// write writes r to path atomically: a private temporary file renamed
// over it.
func (c *Cache) write(path string, r *record) error {
	f, err := os.CreateTemp(c.Dir, ".tmp-*")
	if err != nil {
		return err
	}
	_, err = f.Write(r.encode())
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		_ = os.Remove(f.Name())
	}
	return err
}

// evict removes the oldest entries beyond MaxEntries, and temporary
// files left by a process that died an hour ago or more.
func (c *Cache) evict() {
	des, err := os.ReadDir(c.Dir)
	if err != nil {
		return
	}
	type ent struct {
		name string
		mod  time.Time
	}
	var ents []ent
	for _, de := range des {
		fi, err := de.Info()
		if err != nil || !fi.Mode().IsRegular() {
			continue
		}
		switch {
		case strings.HasPrefix(de.Name(), ".tmp-"):
			if c.now().Sub(fi.ModTime()) > time.Hour {
				_ = os.Remove(filepath.Join(c.Dir, de.Name()))
			}
		case strings.HasSuffix(de.Name(), ".evc"):
			ents = append(ents, ent{de.Name(), fi.ModTime()})
		}
	}
	if len(ents) <= MaxEntries {
		return
	}
	sort.Slice(ents, func(i, j int) bool { return ents[i].mod.After(ents[j].mod) })
	for _, e := range ents[MaxEntries:] {
		_ = os.Remove(filepath.Join(c.Dir, e.name))
	}
}

// privateDir reports whether Dir is a folder of the effective user that
// no one else may write or read (mode 0700 or stricter, not a link),
// making it first with make.
func (c *Cache) privateDir(make bool) bool {
	if c.Dir == "" || !filepath.IsAbs(c.Dir) {
		return false
	}
	fi, err := os.Lstat(c.Dir)
	if err != nil && make && errors.Is(err, fs.ErrNotExist) {
		if os.MkdirAll(c.Dir, 0o700) != nil {
			return false
		}
		fi, err = os.Lstat(c.Dir)
	}
	if err != nil || !fi.IsDir() || fi.Mode().Perm()&0o077 != 0 {
		return false
	}
	uid, ok := ownerOf(fi)
	return ok && uid == os.Geteuid()
}

// readPrivate reads a regular file of the effective user that no one
// else may read or write: mapped into memory where mapFile can, else
// read. release gives the memory back; b must not be used after it.
func readPrivate(path string) (b []byte, release func(), ok bool) {
	f, err := os.OpenFile(path, os.O_RDONLY|oNoFollow, 0)
	if err != nil {
		return nil, nil, false
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm()&0o077 != 0 || fi.Size() > 1<<30 {
		return nil, nil, false
	}
	if uid, ok := ownerOf(fi); !ok || uid != os.Geteuid() {
		return nil, nil, false
	}
	if b, release, ok := mapFile(f, fi.Size()); ok {
		return b, release, true
	}
	// Exactly the size fstat gave, and one byte more to see the end: a
	// bytes.Buffer would double itself for its last read (an entry is
	// about 0.5 MB for 1,000 modules, and a hit is a few milliseconds).
	b = make([]byte, fi.Size()+1)
	n, err := io.ReadFull(f, b)
	if err != io.ErrUnexpectedEOF || int64(n) != fi.Size() {
		return nil, nil, false // a read error, or the file changed size meanwhile
	}
	return b[:n], func() {}, true
}

func sortedKeys(m map[string][]byte) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
