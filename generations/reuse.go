package generations

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
)

// editedDir is the folder of store/ where the bytes of stored files that
// were changed in place are kept, by content hash, when the object
// holding them is written again: store/.tmp-edited/<sha256>. The files
// provider copies them beside the managed path in the switch that
// repairs the object; GC removes the folder (its name is a temporary
// one).
const editedDir = tempPrefix + "edited"

// EditedPath returns where the bytes of a stored file that was changed
// in place, and has content hash now, are kept once an object holding it
// is written again: dir/store/.tmp-edited/<hash>.
func (s *Store) EditedPath(hash string) string {
	return filepath.Join(s.dir, storeDir, editedDir, hash)
}

// addLevel adds o to levels at its height.
func addLevel(levels [][]object, o object) [][]object {
	for len(levels) <= o.t.height {
		levels = append(levels, nil)
	}
	levels[o.t.height] = append(levels[o.t.height], o)
	return levels
}

// toWrite returns, by height, the objects of objs to write: the ones
// the store lacks, and the existing ones that differ from the
// generation's listing of them. Every existing object is checked (a
// tree object is only renamed into place once complete, but its files
// may have been changed in place since): the same names, each file a
// regular file of the listed mode and content hash (from the signature
// cache when its stat signature is the recorded one, else read), each
// subtree link ../<hash> (from the cache likewise, else read). One that
// differs is written again under its name from the entries (whose Have
// is itself checked before it is linked, and whose Open gives the
// configured content); the bytes of its changed files are kept first
// (EditedPath). The objects are looked at several at a time, each with
// the one listing of its folder that the check needs anyway; a folder
// that is not there is missing, and nothing is looked for in an area
// this Write made.
func (w *treeWriter) toWrite(objs []object) ([][]object, error) {
	type result struct {
		missing bool
		damage  []string
		err     error
	}
	res := make([]result, len(objs))
	forEach(len(objs), func(i int) {
		o := objs[i]
		if w.fresh[o.area.Name] {
			res[i].missing = true
			return
		}
		res[i].missing, res[i].damage, res[i].err = w.checkObject(o)
	})
	var levels [][]object
	for i, o := range objs {
		r := res[i]
		switch {
		case r.err != nil:
			return nil, r.err
		case r.missing:
			levels = addLevel(levels, o)
		case len(r.damage) > 0:
			o.replace, o.damage = true, r.damage
			levels = addLevel(levels, o)
		}
	}
	return levels, nil
}

// checkObject compares the object o in the store with its listing and
// returns what differs, one phrase each, or that it is missing; the
// bytes of every changed file are kept (EditedPath).
func (w *treeWriter) checkObject(o object) (missing bool, damage []string, err error) {
	p := filepath.Join(w.store, o.area.Name, o.t.hash)
	des, err := w.sys.ReadDir(p)
	if errors.Is(err, fs.ErrNotExist) {
		// Missing, unless the name is there but leads nowhere (a
		// dangling link), which is not an object to write over.
		if _, lerr := w.sys.Lstat(p); errors.Is(lerr, fs.ErrNotExist) {
			return true, nil, nil
		} else if lerr != nil {
			return false, nil, lerr
		}
	}
	if err != nil {
		return false, nil, err
	}
	// The names of a folder are unique: when each listed name the
	// listing has is there, no listed name is missing.
	listed := 0
	for _, de := range des {
		name := de.Name()
		if e, ok := o.t.files[name]; ok {
			listed++
			d, err := w.checkFile(p, de, e)
			if err != nil {
				return false, nil, err
			}
			if d != "" {
				damage = append(damage, name+": "+d)
			}
			continue
		}
		if sub, ok := o.t.dirs[name]; ok {
			listed++
			if !w.subtreeLink(p, de, sub.hash) {
				damage = append(damage, name+": not the link to its subtree")
			}
			continue
		}
		damage = append(damage, name+": not in the listing")
	}
	if listed < len(o.t.names) {
		found := make(map[string]bool, len(des))
		for _, de := range des {
			found[de.Name()] = true
		}
		for _, name := range o.t.names {
			if !found[name] {
				damage = append(damage, name+": missing")
			}
		}
	}
	return false, damage, nil
}

// subtreeLink reports whether the entry de of the folder p is the link
// ../<hash>. A link's
// target cannot change in place (only a new link, a new inode with a new
// change time, can replace it), so the signature cache records the
// subtree hash of a link read once, as it records a file's content hash,
// and a link whose stat signature is the recorded one is not read again.
func (w *treeWriter) subtreeLink(p string, de fs.DirEntry, hash string) bool {
	if de.Type()&fs.ModeSymlink == 0 {
		return false
	}
	fi, err := de.Info()
	if err != nil {
		return false
	}
	if h, ok := w.st.cachedHash(fi); ok && h == hash {
		return true
	}
	q := filepath.Join(p, de.Name())
	target, err := w.sys.Readlink(q)
	if err != nil || target != "../"+hash {
		return false
	}
	// The link read is the one listed, or another put in its place
	// since: the one listed then lost a link, which changed its change
	// time (and the signature recorded here is no longer its own).
	w.st.rememberHash(fi, hash)
	return true
}

// checkFile says how the entry de of the folder p differs from the
// entry e, or returns "". The bytes of a file whose content changed are
// kept.
func (w *treeWriter) checkFile(p string, de fs.DirEntry, e *Entry) (string, error) {
	if !de.Type().IsRegular() {
		return "is " + describeMode(de.Type()) + ", not a file", nil
	}
	fi, err := de.Info()
	if err != nil {
		return "", err
	}
	if h, ok := w.st.cachedHash(fi); ok && h == e.Hash && fi.Mode().Perm() == fileMode(e.Exec) {
		return "", nil
	}
	q := filepath.Join(p, de.Name())
	got, err := w.st.storedHash(q, fi, true)
	if err != nil {
		return "unreadable: " + err.Error(), nil
	}
	var d []string
	if got != e.Hash {
		if err := w.st.keepEdited(q, got); err != nil {
			return "", err
		}
		d = append(d, fmt.Sprintf("content changed in place (sha256 %s, listed %s; kept as %s)", short(got), short(e.Hash), w.st.EditedPath(got)))
	}
	if perm := fi.Mode().Perm(); perm != fileMode(e.Exec) {
		d = append(d, fmt.Sprintf("mode %04o, not %04o", perm, fileMode(e.Exec)))
	}
	return strings.Join(d, ", "), nil
}

// linkHave hard-links e.Have to p when it has the mode, owner and
// content the entry needs, and reports whether it did. The content is
// checked (from the signature cache when the file's stat signature is
// the recorded one): a stored file changed in place is never linked into
// a new object.
func (w *treeWriter) linkHave(p string, e *Entry, area Area) bool {
	fi, err := w.sys.Lstat(e.Have)
	if err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm() != fileMode(e.Exec) ||
		(area.UID != -1 && !ownedBy(fi, area.UID, area.GID)) {
		return false
	}
	if h, err := w.st.storedHash(e.Have, fi, true); err != nil || h != e.Hash {
		return false
	}
	if err := w.sys.Link(e.Have, p); err != nil {
		return false
	}
	// The link changed the file's change time: record the new signature.
	w.remember(p, e.Hash)
	return true
}

// remember records the signature of the stored file p, whose content
// has hash.
func (w *treeWriter) remember(p, hash string) {
	if fi, err := w.sys.Lstat(p); err == nil {
		w.st.rememberHash(fi, hash)
	}
}

// replace puts the object written in tmp in place of the damaged object
// final: the damaged one is renamed aside, the new one into place, and
// the damaged one removed (its changed bytes were kept by checkObject).
func (w *treeWriter) replace(tmp, final string, o object) error {
	aside := filepath.Join(filepath.Dir(final), tempName(tempPrefix+"damaged-"))
	if err := w.sys.Rename(final, aside); err != nil {
		_ = w.sys.RemoveAll(tmp)
		return err
	}
	if err := w.sys.Rename(tmp, final); err != nil {
		_ = w.sys.Rename(aside, final)
		_ = w.sys.RemoveAll(tmp)
		return err
	}
	if err := w.sys.RemoveAll(aside); err != nil {
		return err
	}
	if len(o.damage) > 0 {
		w.st.warn(fmt.Sprintf("%s: stored content was changed in place (%s); written again", final, strings.Join(o.damage, "; ")))
	}
	return nil
}

// keepEdited copies the stored file p, whose content hash is got, to
// EditedPath(got), unless a copy is there already. What is copied is
// hashed as it is read and named by that hash.
func (s *Store) keepEdited(p, got string) error {
	dir := filepath.Join(s.dir, storeDir, editedDir)
	if _, err := s.sys.Lstat(filepath.Join(dir, got)); err == nil {
		return nil
	}
	if err := s.sys.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp := filepath.Join(dir, tempName(tempPrefix))
	sum, err := s.copyFile(p, tmp, 0o400)
	if err != nil {
		_ = s.sys.Remove(tmp)
		return err
	}
	return s.sys.Rename(tmp, filepath.Join(dir, sum))
}

// short returns the first 8 digits of a hash, as plans show them.
func short(hash string) string {
	if len(hash) > 8 {
		return hash[:8]
	}
	return hash
}
