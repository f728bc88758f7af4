package generations

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"strings"
)

// adoptArea replaces the area folder p, which a.UID does not own (a
// store written before areas were root's, or a folder a user planted),
// with one that a.UID owns, and copies into it only the tree objects
// that verify: every entry a regular file (0444 or 0555) or a subtree
// link ../<hash>, the listing of the copied contents hashing to the
// object's name, and every subtree it links to verified too. The copies
// are new files whose content is hashed as it is read, so nothing the
// old owner still holds open can change them; objects that do not verify
// are dropped (and written again from the configuration when a
// generation needs them) and reported through Warn.
//
// The old folder is first renamed aside inside store/ (root's), given to
// a.UID with mode 0700 and confined, so that no link its old owner
// planted is followed while it is read; it is removed at the end (GC
// removes it when interrupted: its name starts with .tmp-).
func (s *Store) adoptArea(p string, a Area) error {
	fi, err := s.sys.Lstat(p)
	if err != nil {
		return err
	}
	was := -1
	if uid, _, ok := owner(fi); ok {
		was = uid
	}
	aside := filepath.Join(filepath.Dir(p), tempName(tempPrefix+"untrusted-"))
	if err := s.sys.Rename(p, aside); err != nil {
		return err
	}
	if err := s.chownArea(aside, a); err != nil {
		return err
	}
	if err := s.sys.Chmod(aside, 0o700); err != nil {
		return err
	}
	s.sys.Confine(aside)
	if err := s.sys.Mkdir(p, 0o700); err != nil {
		return err
	}
	if err := s.chownArea(p, a); err != nil {
		return err
	}
	des, err := s.sys.ReadDir(aside)
	if err != nil {
		return err
	}
	subtrees := map[string][]string{} // copied object → its subtrees
	var dropped []string
	for _, de := range des {
		name := de.Name()
		if !isHash(name) || !de.IsDir() {
			if !strings.HasPrefix(name, tempPrefix) {
				dropped = append(dropped, name)
			}
			continue
		}
		subs, err := s.copyObject(filepath.Join(aside, name), p, name, a)
		if err != nil {
			dropped = append(dropped, name+" ("+err.Error()+")")
			continue
		}
		subtrees[name] = subs
	}
	// An object whose subtree was dropped is incomplete: drop it too,
	// until none is left.
	for changed := true; changed; {
		changed = false
		for _, h := range sortedKeys(subtrees) { // dropped in name order
			subs, ok := subtrees[h]
			if !ok {
				continue // dropped earlier in this round
			}
			for _, sub := range subs {
				if _, ok := subtrees[sub]; !ok {
					if err := s.sys.RemoveAll(filepath.Join(p, h)); err != nil {
						return err
					}
					delete(subtrees, h)
					dropped = append(dropped, h+" (its subtree "+sub+" did not verify)")
					changed = true
					break
				}
			}
		}
	}
	if err := s.sys.RemoveAll(aside); err != nil {
		return err
	}
	msg := fmt.Sprintf("%s: store area was owned by uid %d, not by uid %d; %d objects verified and kept", p, was, a.UID, len(subtrees))
	if len(dropped) > 0 {
		msg += fmt.Sprintf(", %d dropped (written again from the configuration when needed): %s", len(dropped), strings.Join(dropped, "; "))
	}
	s.warn(msg)
	return nil
}

// copyObject copies the tree object src into the area folder areaDir
// under its name, if it verifies, and returns the subtrees it links to.
func (s *Store) copyObject(src, areaDir, name string, a Area) ([]string, error) {
	des, err := s.sys.ReadDir(src)
	if err != nil {
		return nil, err
	}
	tmp := filepath.Join(areaDir, tempName(tempPrefix))
	if err := s.sys.Mkdir(tmp, 0o755); err != nil {
		return nil, err
	}
	subs, sum, err := s.copyEntries(src, tmp, des, a)
	if err == nil && sum != name && !s.isKeyedName(a.Name, name, sum) {
		err = fmt.Errorf("its content hashes to %s", sum)
	}
	if err == nil {
		if err = s.chownArea(tmp, a); err == nil {
			if err = s.sys.Chmod(tmp, 0o555); err == nil {
				err = s.sys.Rename(tmp, filepath.Join(areaDir, name))
			}
		}
	}
	if err != nil {
		_ = s.sys.RemoveAll(tmp)
		return nil, err
	}
	return subs, nil
}

// copyEntries copies the entries des of the object src into tmp and
// returns the subtrees and the hash of the listing of what was copied.
func (s *Store) copyEntries(src, tmp string, des []fs.DirEntry, a Area) ([]string, string, error) {
	listing := sha256.New()
	var subs []string
	for _, de := range des {
		name := de.Name()
		from, to := filepath.Join(src, name), filepath.Join(tmp, name)
		switch {
		case de.Type()&fs.ModeSymlink != 0:
			target, err := s.sys.Readlink(from)
			if err != nil {
				return nil, "", err
			}
			sub, ok := strings.CutPrefix(target, "../")
			if !ok || !isHash(sub) {
				return nil, "", fmt.Errorf("%s points at %q, not at a tree object", name, target)
			}
			if err := s.sys.Symlink(target, to); err != nil {
				return nil, "", err
			}
			subs = append(subs, sub)
			fmt.Fprintf(listing, "d %s %s\n", sub, name)
		case de.Type().IsRegular():
			fi, err := de.Info()
			if err != nil {
				return nil, "", err
			}
			perm := fi.Mode().Perm()
			if perm != fileMode(false) && perm != fileMode(true) {
				return nil, "", fmt.Errorf("%s has mode %04o", name, perm)
			}
			sum, err := s.copyFile(from, to, perm)
			if err != nil {
				return nil, "", err
			}
			fmt.Fprintf(listing, "f %04o %s %s\n", perm, sum, name)
		default:
			return nil, "", fmt.Errorf("%s is %s", name, describeMode(de.Type()))
		}
		if err := s.chownArea(to, a); err != nil {
			return nil, "", err
		}
	}
	return subs, hex.EncodeToString(listing.Sum(nil)), nil
}

// copyFile copies from to the new file to with mode perm and returns the
// sha256 of what it copied.
func (s *Store) copyFile(from, to string, perm fs.FileMode) (string, error) {
	rc, err := s.sys.Open(from)
	if err != nil {
		return "", err
	}
	defer rc.Close()
	h := sha256.New()
	hr := &hashReader{r: rc, h: h}
	if err := s.sys.CreateFile(to, hr, perm); err != nil {
		return "", err
	}
	if _, err := io.Copy(io.Discard, hr); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
