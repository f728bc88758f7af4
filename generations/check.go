package generations

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"strings"
)

// A StoredFile is the file Rel of the files root Root in generation Gen,
// and what that generation recorded of it.
type StoredFile struct {
	Gen       int
	Root, Rel string
	// Hash is the recorded content sha256; Exec says it is stored 0555.
	Hash string
	Exec bool
}

// An EditedFile is a stored file whose content or mode is no longer
// what its generation recorded: changed in place by someone who could
// chmod it (an ordinary user owns their own store).
type EditedFile struct {
	StoredFile
	// Path is the file's machine path through generations/<Gen>/files.
	Path string
	// Got is the sha256 of its content now ("" when it is missing, not a
	// file or unreadable).
	Got string
	// Problem says what is wrong, for people: "stored content edited in
	// place (content 1a2b3c4d, recorded 5e6f7a8b)".
	Problem string
}

// CheckFiles returns the files whose stored content no longer has the
// recorded hash (or mode), in the order given. It is cheap enough for
// every plan: one stat per file, and a file is read only when its stat
// signature is not the one the signature cache recorded with its hash.
// What it read is remembered, and written to the cache by the next
// SaveSignatures, Write or GC: CheckFiles itself writes nothing, so
// gocfg plan and status may call it.
func (s *Store) CheckFiles(files []StoredFile) []EditedFile {
	// Each file is looked at in its tree object directly: resolving the
	// links from the generation down for every file would cost more than
	// the check itself. Each folder is resolved once.
	dirs := map[dirKey]string{}
	objs := make([]string, len(files))
	for i, f := range files {
		rel := path.Clean(f.Rel)
		if dir := s.objectDir(dirs, dirKey{f.Gen, f.Root, path.Dir(rel)}); dir != "" {
			objs[i] = filepath.Join(dir, path.Base(rel))
		}
	}
	out := make([]*EditedFile, len(files))
	forEach(len(files), func(i int) {
		out[i] = s.checkFile(files[i], objs[i])
	})
	var edited []EditedFile
	for _, e := range out {
		if e != nil {
			edited = append(edited, *e)
		}
	}
	return edited
}

// A dirKey is a folder of a generation's files tree.
type dirKey struct {
	gen       int
	root, dir string
}

// objectDir returns the path of the tree object that holds the folder k
// ("." for the files root itself), or "" when the links leading to it
// are not the store's (the file is then looked at through them).
func (s *Store) objectDir(memo map[dirKey]string, k dirKey) string {
	if p, ok := memo[k]; ok {
		return p
	}
	var p string
	if k.dir == "." {
		link := s.FilePath(k.gen, k.root, "")
		if target, err := s.sys.Readlink(link); err == nil {
			if area, hash, err := s.rootObject(link, target); err == nil {
				p = filepath.Join(s.dir, storeDir, area, hash)
			}
		}
	} else if parent := s.objectDir(memo, dirKey{k.gen, k.root, path.Dir(k.dir)}); parent != "" {
		target, err := s.sys.Readlink(filepath.Join(parent, path.Base(k.dir)))
		if sub, ok := strings.CutPrefix(target, "../"); err == nil && ok && isHash(sub) {
			p = filepath.Join(filepath.Dir(parent), sub)
		}
	}
	memo[k] = p
	return p
}

// checkFile checks one stored file, found at obj in its tree object (""
// when not known); nil when it is as recorded.
func (s *Store) checkFile(f StoredFile, obj string) *EditedFile {
	got, problem := s.checkStored(f, obj)
	if problem == "" {
		return nil
	}
	// The path through the generation, for people and for the files
	// provider, is made only for a file that changed.
	return &EditedFile{StoredFile: f, Path: s.FilePath(f.Gen, f.Root, path.Clean(f.Rel)), Got: got, Problem: problem}
}

// checkStored returns the content hash of the stored file f (at obj)
// and what is wrong with it ("" when nothing is).
func (s *Store) checkStored(f StoredFile, obj string) (got, problem string) {
	p, stat := obj, s.sys.Lstat
	if obj == "" {
		p, stat = s.FilePath(f.Gen, f.Root, path.Clean(f.Rel)), s.sys.Stat
	}
	fi, err := stat(p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "", "stored content is missing"
	case err != nil:
		return "", fmt.Sprintf("stored content is unreadable: %v", unwrapPath(err))
	case !fi.Mode().IsRegular():
		return "", "stored content is " + describeMode(fi.Mode()) + ", not a file"
	}
	got, err = s.storedHash(p, fi, true)
	if err != nil {
		return "", fmt.Sprintf("stored content is unreadable: %v", unwrapPath(err))
	}
	switch {
	case got != f.Hash:
		return got, fmt.Sprintf("stored content edited in place (content %s, recorded %s)", short(got), short(f.Hash))
	case fi.Mode().Perm() != fileMode(f.Exec):
		return got, fmt.Sprintf("stored content made writable (mode %04o, not %04o)", fi.Mode().Perm(), fileMode(f.Exec))
	}
	return got, ""
}

// unwrapPath drops the path of a *fs.PathError (the caller names it).
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
