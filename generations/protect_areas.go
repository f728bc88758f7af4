package generations

import (
	"errors"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
)

// ProtectAreas runs after a switch or a rollback has made a generation
// current: areas are the store areas of its files roots, with the uids
// its plan leaves the accounts. Each of those folders gets its owner's
// mode and its reader's ACL again (protectArea): a rollback, or a usermod
// -u since the folder was last written, may have given its user another
// uid. Every other home area that root owns (store/home-<user> of a user
// no current link points into) is given to the uid its user has now
// (uidOf), or, when there is no such user any more, closed to everyone
// but root: the uid its ACL named may be another account's by now (an
// account removed, or a uid reused). Older generations keep its objects;
// a rollback to one of them opens the area again. Areas an ordinary user
// owns (her own store) are left as they are.
func (s *Store) ProtectAreas(areas map[string]Area, uidOf func(user string) (int, bool)) error {
	dir := filepath.Join(s.dir, storeDir)
	keep := map[string]bool{}
	var errs []error
	for _, root := range sortedKeys(areas) {
		a := areas[root]
		if keep[a.Name] {
			continue
		}
		keep[a.Name] = true
		p := filepath.Join(dir, a.Name)
		fi, err := s.sys.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) || (err == nil && (!fi.IsDir() || a.UID == -1 || !ownedBy(fi, a.UID, -1))) {
			continue // made, or replaced, by the next generation written
		}
		if err == nil {
			err = s.protectArea(p, a)
		}
		errs = append(errs, err)
	}
	des, err := s.sys.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return errors.Join(errs...)
	}
	if err != nil {
		return errors.Join(append(errs, err)...)
	}
	names := make([]string, 0, len(des))
	for _, de := range des {
		if strings.HasPrefix(de.Name(), "home-") && !keep[de.Name()] {
			names = append(names, de.Name())
		}
	}
	slices.Sort(names)
	for _, name := range names {
		uid, ok := uidOf(strings.TrimPrefix(name, "home-"))
		if !ok || uid <= 0 {
			uid = 0
		}
		errs = append(errs, s.regrantArea(filepath.Join(dir, name), uid))
	}
	return errors.Join(errs...)
}

// regrantArea gives the private area folder p, if root owns it, to the
// reader uid: its ACL names uid (0: root alone, mode 0700). Where the
// file system has no ACLs the area was given to its user's group: it is
// then left as it is for a user who is there, and taken back by root's
// group for one who is not.
func (s *Store) regrantArea(p string, uid int) error {
	fi, err := s.sys.Lstat(p)
	if err != nil || !fi.IsDir() || !ownedBy(fi, 0, -1) {
		return nil
	}
	if uid == 0 {
		if err := s.sys.Chmod(p, 0o700); err != nil {
			return err
		}
	}
	err = s.sys.GrantRead(p, uid)
	if errors.Is(err, errors.ErrUnsupported) {
		if uid != 0 {
			return nil
		}
		return s.sys.Lchown(p, 0, 0)
	}
	return err
}
