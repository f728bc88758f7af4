package generations

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
)

// GC removes the tree objects of the store that no generation
// references, and the temporary folders that interrupted writes left in
// store/ and generations/. Files are never opened: the objects in use are
// found by reading the files roots of every generation and following the
// subtree links of their trees. Entries of the store that are neither
// objects nor temporary folders are left alone, and so are area folders
// that become empty. The signature cache forgets the files removed.
//
// GC and Write must not run at the same time: take Lock first.
func (s *Store) GC() (GCStats, error) {
	var stats GCStats
	nums, err := s.Numbers()
	if err != nil {
		return stats, err
	}
	used := map[string]bool{} // area/hash
	for _, n := range nums {
		if err := s.markFiles(n, used); err != nil {
			return stats, err
		}
	}

	store := filepath.Join(s.dir, storeDir)
	areas, err := s.readDir(store)
	if err != nil {
		return stats, err
	}
	for _, a := range areas {
		p := filepath.Join(store, a.Name())
		if strings.HasPrefix(a.Name(), tempPrefix) {
			if err := s.sys.RemoveAll(p); err != nil {
				return stats, err
			}
			continue
		}
		if !a.IsDir() {
			continue
		}
		objs, err := s.readDir(p)
		if err != nil {
			return stats, err
		}
		for _, o := range objs {
			op := filepath.Join(p, o.Name())
			switch {
			case strings.HasPrefix(o.Name(), tempPrefix):
			case isHash(o.Name()) && !used[a.Name()+"/"+o.Name()]:
				stats.Objects++
				stats.Bytes += s.objectBytes(op)
				s.forgetInodes(s.lastInodes(op))
			default:
				continue
			}
			if err := s.sys.RemoveAll(op); err != nil {
				return stats, err
			}
		}
	}

	s.saveSigs()

	gens := filepath.Join(s.dir, generationsDir)
	des, err := s.readDir(gens)
	if err != nil {
		return stats, err
	}
	for _, de := range des {
		if strings.HasPrefix(de.Name(), tempPrefix) {
			if err := s.sys.RemoveAll(filepath.Join(gens, de.Name())); err != nil {
				return stats, err
			}
		}
	}
	return stats, nil
}

// markFiles marks in used the tree objects reachable from the files
// roots of generation n.
func (s *Store) markFiles(n int, used map[string]bool) error {
	links, err := s.rootLinks(n)
	if err != nil {
		return err
	}
	for _, l := range links {
		if l.err != nil {
			return l.err
		}
		if err := s.markTree(l.area, l.hash, used); err != nil {
			return err
		}
	}
	return nil
}

// markTree marks in used the tree object hash of area and the objects its
// subtree links lead to. A missing object has nothing to mark.
func (s *Store) markTree(area, hash string, used map[string]bool) error {
	key := area + "/" + hash
	if used[key] {
		return nil
	}
	used[key] = true
	p := filepath.Join(s.dir, storeDir, area, hash)
	if fi, err := s.sys.Lstat(p); err == nil && !fi.IsDir() {
		s.warn(fmt.Sprintf("%s: is %s, not a tree object; left alone", p, describeMode(fi.Mode())))
		return nil
	}
	des, err := s.readDir(p)
	if err != nil {
		return err
	}
	for _, de := range des {
		if de.Type()&fs.ModeSymlink == 0 {
			continue
		}
		q := filepath.Join(p, de.Name())
		target, err := s.sys.Readlink(q)
		if err != nil {
			return err
		}
		sub, ok := strings.CutPrefix(target, "../")
		if !ok || !isHash(sub) {
			// Not gocfg's (planted in an area its user owned before areas
			// were root's): nothing to mark; the next switch that writes
			// the area replaces it (adoptArea).
			s.warn(fmt.Sprintf("%s: points at %q, not at a tree object; left alone", q, target))
			continue
		}
		if err := s.markTree(area, sub, used); err != nil {
			return err
		}
	}
	return nil
}

// objectBytes returns the sizes of the regular files of the tree object
// p that have no other hard link: what removing it frees, roughly.
func (s *Store) objectBytes(p string) int64 {
	des, err := s.readDir(p)
	if err != nil {
		return 0
	}
	var n int64
	for _, de := range des {
		if !de.Type().IsRegular() {
			continue
		}
		if fi, err := de.Info(); err == nil && linkCount(fi) == 1 {
			n += fi.Size()
		}
	}
	return n
}

// readDir lists the folder p; a missing folder is empty.
func (s *Store) readDir(p string) ([]fs.DirEntry, error) {
	des, err := s.sys.ReadDir(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return des, err
}
