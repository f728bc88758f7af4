package generations

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/gocfg/gocfg/platform/system"
)

// writeWorkers bounds how many tree objects are written at once.
const writeWorkers = 8

// A treeWriter writes the missing tree objects of a generation into the
// content store.
type treeWriter struct {
	sys   system.System
	store string // dir/store
	st    *Store
	// fresh holds the names of the areas made empty by this Write: no
	// object of theirs is looked for, as none can be there.
	fresh map[string]bool
	// mismatch ends the error of a content whose hash is not its
	// entry's (a generation's Write: what to do about it).
	mismatch string
}

// collect appends to objs the objects of t and of the trees under it,
// each once: seen holds the objects already collected, by area and hash.
func collect(area Area, t *tree, seen map[string]bool, objs []object) []object {
	key := area.Name + "/" + t.hash
	if seen[key] {
		return objs
	}
	seen[key] = true
	objs = append(objs, object{area: area, t: t})
	for _, name := range t.names {
		if sub, ok := t.dirs[name]; ok {
			objs = collect(area, sub, seen, objs)
		}
	}
	return objs
}

// writeLevels writes the objects of levels, lowest level first so that
// every object's subtrees exist before it, the objects of one level
// concurrently. It stops at the first error.
func (w *treeWriter) writeLevels(levels [][]object) error {
	for _, objs := range levels {
		if err := w.writeLevel(objs); err != nil {
			return err
		}
	}
	return nil
}

// writeLevel writes objs with up to writeWorkers goroutines.
func (w *treeWriter) writeLevel(objs []object) error {
	var (
		failed atomic.Bool
		once   sync.Once
		first  error
	)
	forEach(len(objs), func(i int) {
		if failed.Load() {
			return
		}
		if err := w.write(objs[i]); err != nil {
			once.Do(func() { first = err })
			failed.Store(true)
		}
	})
	return first
}

// forEach calls f(i) for every i below n, on up to writeWorkers
// goroutines at once, and returns when every call has.
func forEach(n int, f func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(writeWorkers, n) {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				f(i)
			}
		})
	}
	wg.Wait()
}

// write writes one tree object: its files and subtree links into a
// temporary folder of the area, which is made read-only and renamed to
// the object's name.
func (w *treeWriter) write(o object) error {
	areaDir := filepath.Join(w.store, o.area.Name)
	final := filepath.Join(areaDir, o.t.hash)
	tmp := filepath.Join(areaDir, tempName(tempPrefix))
	if err := w.sys.Mkdir(tmp, 0o755); err != nil {
		return err
	}
	if err := w.fill(tmp, o); err != nil {
		_ = w.sys.RemoveAll(tmp)
		if o.replace && len(o.damage) > 0 {
			return fmt.Errorf("%s: stored content was changed in place (%s), and cannot be written again: %w; gocfg store verify lists what is damaged",
				final, strings.Join(o.damage, "; "), err)
		}
		return err
	}
	if o.replace {
		return w.replace(tmp, final, o)
	}
	if err := w.sys.Rename(tmp, final); err != nil {
		_ = w.sys.RemoveAll(tmp)
		if _, lerr := w.sys.Lstat(final); lerr == nil {
			return nil // written meanwhile by someone else: the same content
		}
		return err
	}
	return nil
}

// fill writes the entries of o's tree into the folder tmp, held open
// for them all (system.OpenFolder), and makes it read-only.
func (w *treeWriter) fill(tmp string, o object) error {
	f, err := system.OpenFolder(w.sys, tmp)
	if err != nil {
		return err
	}
	err = w.fillIn(f, tmp, o)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := w.chown(tmp, o.area); err != nil {
		return err
	}
	return w.sys.Chmod(tmp, 0o555)
}

// fillIn makes the files and subtree links of o's tree in the folder f,
// whose path is tmp.
func (w *treeWriter) fillIn(f system.Folder, tmp string, o object) error {
	for _, name := range o.t.names {
		if e, ok := o.t.files[name]; ok {
			if err := w.writeFile(f, tmp, name, e, o.area); err != nil {
				return err
			}
			continue
		}
		if err := f.Symlink("../"+o.t.dirs[name].hash, name, o.area.UID, o.area.GID); err != nil {
			return err
		}
	}
	return nil
}

// writeFile creates the file name of the entry e in the folder f (whose
// path is tmp): a hard link to e.Have when that has the right mode, owner
// and content (reuse.go), else a copy of e.Open's content, checked
// against e.Hash, given the area's owner.
func (w *treeWriter) writeFile(f system.Folder, tmp, name string, e *Entry, area Area) error {
	perm := fileMode(e.Exec)
	if e.Have != "" && w.linkHave(filepath.Join(tmp, name), e, area) {
		return nil
	}
	if e.Open == nil {
		return fmt.Errorf("%s/%s: cannot link %s and no Open gives the content", e.Root, e.Rel, e.Have)
	}
	rc, err := e.Open()
	if err != nil {
		return e.contentError(fmt.Errorf("%s/%s: content: %w", e.Root, e.Rel, err))
	}
	defer rc.Close()
	h := sha256.New()
	r := newHashReader(rc, h)
	made := perm
	if e.Unverified {
		made = 0o400
	}
	fi, err := f.CreateFile(name, r, made, area.UID, area.GID)
	if err != nil {
		if r.err != nil {
			// Reading the content failed (reviewer R8: her file, read
			// while it was copied): the entry's failure.
			return e.contentError(fmt.Errorf("%s/%s: content: %w", e.Root, e.Rel, r.err))
		}
		return err
	}
	// Read what CreateFile left unread (a System that records instead of
	// writing may read nothing) so that the whole content is checked.
	if _, err := io.Copy(io.Discard, r); err != nil {
		return e.contentError(fmt.Errorf("%s/%s: content: %w", e.Root, e.Rel, err))
	}
	var sum [sha256.Size]byte
	var got [2 * sha256.Size]byte
	hex.Encode(got[:], h.Sum(sum[:0]))
	if string(got[:]) != e.Hash {
		return e.contentError(fmt.Errorf("%s/%s: content has sha256 %s, not %s as its entry says%s", e.Root, e.Rel, got[:], e.Hash, w.mismatch))
	}
	if e.Unverified {
		// Checked: its mode now (its signature changed with it, so it
		// is not remembered).
		return w.sys.Chmod(filepath.Join(tmp, name), perm)
	}
	if fi != nil {
		w.st.rememberHash(fi, e.Hash)
	}
	return nil
}

// chown gives p to the area's owner, unless the area leaves ownership
// alone.
func (w *treeWriter) chown(p string, area Area) error {
	if area.UID == -1 && area.GID == -1 {
		return nil
	}
	return w.sys.Lchown(p, area.UID, area.GID)
}
