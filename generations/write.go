package generations

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"

	json "github.com/goccy/go-json"
)

// Write writes generation g.Meta.Number, which must not exist yet: the
// tree objects of its files that the store lacks, then the generation
// folder, which appears complete or not at all. It does not flip current.
//
// Steps: the trees of every files root are built and hashed in memory
// (invalid or duplicate entries are rejected before anything is
// written); every existing object the generation reuses is checked
// against its listing; every tree object the store lacks, or that
// differs, is written, subtrees first, several at a time; the generation
// is written into a temporary folder; the file system is synced once;
// the folder is renamed into place.
// Objects written by a Write that fails stay for GC to remove. With
// g.FilesOf, the generation's files roots point at the tree objects of
// that generation's, which must all be in the store, and no object is
// written.
//
// Write and GC must not run at the same time: take Lock first.
func (s *Store) Write(g NewGeneration) error {
	n := g.Meta.Number
	final := s.Path(n)
	if n < 1 {
		return fmt.Errorf("%s: invalid generation number %d", final, n)
	}
	if _, err := s.sys.Lstat(final); err == nil {
		return fmt.Errorf("%s: generation %d exists already", final, n)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	meta, err := json.MarshalIndent(g.Meta, "", "  ")
	if err != nil {
		return fmt.Errorf("%s: meta.json: %w", final, err)
	}
	var roots map[string]*tree
	if g.FilesOf != 0 {
		own := g.Areas
		if roots, g.Areas, err = s.filesRoots(g.FilesOf); err != nil {
			return err
		}
		if err := s.rootsFrom(roots, g.Areas, g.RootsFrom); err != nil {
			return err
		}
		if err := s.addRoots(final, g, own, roots); err != nil {
			return err
		}
	} else {
		if len(g.RootsFrom) > 0 {
			return fmt.Errorf("%s: generation %d takes files roots of other generations without FilesOf", final, n)
		}
		// The signature cache is read while the trees are built: every
		// existing object is checked with it.
		s.preloadSigs()
		if roots, err = buildTrees(g.Files, g.Areas); err != nil {
			return err
		}
		if err := s.nameRoots(roots, g.Areas); err != nil {
			return err
		}
		if err := s.writeObjects(roots, g.Areas); err != nil {
			return err
		}
	}

	gens := filepath.Join(s.dir, generationsDir)
	if err := s.sys.MkdirAll(gens, 0o755); err != nil {
		return err
	}
	tmp := filepath.Join(gens, tempName(fmt.Sprintf("%s%d-", tempPrefix, n)))
	if err := s.sys.Mkdir(tmp, 0o755); err != nil {
		return err
	}
	if err := s.fillGeneration(tmp, append(meta, '\n'), g, roots); err != nil {
		_ = s.sys.RemoveAll(tmp)
		return err
	}
	if err := s.sys.Sync(s.dir); err != nil {
		_ = s.sys.RemoveAll(tmp)
		return err
	}
	if err := s.sys.Rename(tmp, final); err != nil {
		_ = s.sys.RemoveAll(tmp)
		return err
	}
	return nil
}

// writeObjects creates the store areas of roots and writes the tree
// objects they lack, and again those that were changed in place
// (reuse.go); it then saves the signature cache.
func (s *Store) writeObjects(roots map[string]*tree, areas map[string]Area) error {
	// The plan hashed each source when it was made; one edited since
	// (by its user, while gocfg switched) is not stored as another
	// content than the plan showed. Nothing has changed on the machine
	// yet: the generation is written before any step.
	w := &treeWriter{sys: s.sys, store: filepath.Join(s.dir, storeDir), st: s, fresh: map[string]bool{},
		mismatch: ": its source changed since the plan was made; nothing was changed: run gocfg switch again"}
	if len(roots) == 0 {
		return nil
	}
	if err := s.sys.MkdirAll(w.store, 0o755); err != nil {
		return err
	}
	done := map[string]bool{}
	for _, root := range sortedKeys(roots) {
		if a := areas[root]; !done[a.Name] {
			done[a.Name] = true
			fresh, err := s.makeArea(a)
			if err != nil {
				return err
			}
			if fresh {
				w.fresh[a.Name] = true
			}
		}
	}
	seen := map[string]bool{}
	var objs []object
	for _, root := range sortedKeys(roots) {
		objs = collect(areas[root], roots[root], seen, objs)
	}
	levels, err := w.toWrite(objs)
	if err != nil {
		return err
	}
	if err := w.writeLevels(levels); err != nil {
		return err
	}
	s.saveSigs()
	return nil
}

// fillGeneration writes the files of generation g into the folder tmp:
// meta.json, config.json, resources.json and files/ with one symlink per
// files root to its tree object. The folders under files/ are made
// read-only.
func (s *Store) fillGeneration(tmp string, meta []byte, g NewGeneration, roots map[string]*tree) error {
	for _, f := range []struct {
		name string
		data []byte
		perm fs.FileMode
	}{
		{"meta.json", meta, s.metaMode()},
		{"config.json", g.Config, 0o600},
		{"resources.json", g.Resources, 0o600},
	} {
		if err := s.sys.CreateFile(filepath.Join(tmp, f.name), bytes.NewReader(f.data), f.perm); err != nil {
			return err
		}
	}
	files := filepath.Join(tmp, filesDir)
	if err := s.sys.Mkdir(files, 0o755); err != nil {
		return err
	}
	folders := []string{files}
	made := map[string]bool{}
	for _, root := range sortedKeys(roots) {
		segs := strings.Split(root, "/")
		parent := files
		for _, seg := range segs[:len(segs)-1] {
			parent = filepath.Join(parent, seg)
			if !made[parent] {
				made[parent] = true
				if err := s.sys.Mkdir(parent, 0o755); err != nil {
					return err
				}
				folders = append(folders, parent)
			}
		}
		// From dir/generations/<n>/files/<root> up to dir, then down.
		target := strings.Repeat("../", 2+len(segs)) + storeDir + "/" + g.Areas[root].Name + "/" + roots[root].hash
		if err := s.sys.Symlink(target, filepath.Join(files, root)); err != nil {
			return err
		}
	}
	for _, p := range slices.Backward(folders) {
		if err := s.sys.Chmod(p, 0o555); err != nil {
			return err
		}
	}
	return nil
}

// filesRoots returns the files roots of generation n, each as the tree
// object it points at (only its hash set), and their store areas: what a
// generation written with NewGeneration.FilesOf = n points at. Every
// object must be in the store.
func (s *Store) filesRoots(n int) (map[string]*tree, map[string]Area, error) {
	if _, err := s.sys.Lstat(s.Path(n)); err != nil {
		return nil, nil, fmt.Errorf("the files of generation %d: %w", n, err)
	}
	links, err := s.rootLinks(n)
	if err != nil {
		return nil, nil, err
	}
	roots, areas := map[string]*tree{}, map[string]Area{}
	for _, l := range links {
		if l.err != nil {
			return nil, nil, l.err
		}
		obj := filepath.Join(s.dir, storeDir, l.area, l.hash)
		if fi, err := s.sys.Lstat(obj); err != nil || !fi.IsDir() {
			return nil, nil, fmt.Errorf("%s: its tree object %s is not in the store", l.path, obj)
		}
		roots[l.root], areas[l.root] = &tree{hash: l.hash}, Area{Name: l.area}
	}
	return roots, areas, nil
}

// addRoots writes the objects of g's own files (g.Files, in the roots
// of own) beside the roots g has of generation g.FilesOf (roots, and
// g.Areas), and adds them there; a root it has already is an error.
func (s *Store) addRoots(final string, g NewGeneration, own map[string]Area, roots map[string]*tree) error {
	if len(g.Files) == 0 {
		return nil
	}
	added, err := buildTrees(g.Files, own)
	if err != nil {
		return err
	}
	for _, root := range sortedKeys(added) {
		for have := range roots {
			if have == root || strings.HasPrefix(have, root+"/") || strings.HasPrefix(root, have+"/") {
				return fmt.Errorf("%s: generation %d would have files root %s of its own beside %s of generation %d", final, g.Meta.Number, root, have, g.FilesOf)
			}
		}
	}
	s.preloadSigs()
	if err := s.nameRoots(added, own); err != nil {
		return err
	}
	if err := s.writeObjects(added, own); err != nil {
		return err
	}
	for root, t := range added {
		roots[root], g.Areas[root] = t, own[root]
	}
	return nil
}

// rootsFrom replaces in roots and areas each files root of from with the
// one generation from[root] has (or removes it when that generation has
// none).
func (s *Store) rootsFrom(roots map[string]*tree, areas map[string]Area, from map[string]int) error {
	type files struct {
		roots map[string]*tree
		areas map[string]Area
	}
	read := map[int]files{}
	for root, n := range from {
		f, ok := read[n]
		if !ok {
			var err error
			if f.roots, f.areas, err = s.filesRoots(n); err != nil {
				return err
			}
			read[n] = f
		}
		delete(roots, root)
		delete(areas, root)
		if t, ok := f.roots[root]; ok {
			roots[root], areas[root] = t, f.areas[root]
		}
	}
	return nil
}

// metaMode is the mode of a generation's meta.json and refused.json:
// readable by all, but in a user's own state (Private).
func (s *Store) metaMode() fs.FileMode {
	if s.Private {
		return 0o600
	}
	return 0o644
}
