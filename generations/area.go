package generations

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
)

// An Area is where a files root's objects live in the store
// (store/<Name>), and who owns and who reads them.
type Area struct {
	// Name is the area's folder under store/: "system" or "home-<user>".
	Name string
	// UID and GID own the area's folder and every object in it: root
	// when root switches, so that no user can write, rename or chmod
	// what links in their home point at. -1 leaves ownership alone (an
	// ordinary user's own store, where everything is that user's).
	UID, GID int
	// Private keeps the area from everyone but its owner and Reader:
	// store/<Name> is 0700, or readable by Reader through an ACL.
	// Otherwise it is 0755.
	Private bool
	// Reader, when above 0, is the account that may read a private area
	// (the user whose home links point into it): granted read and search
	// on the area's folder with a POSIX ACL, or, where the file system
	// has none, by giving the folder to ReaderGID with mode 0750, but
	// only when ReaderGroupOnly says that group lets in the Reader alone
	// (accounts.Database.GroupOnlyOf); else the write fails, as every
	// other member of the group would read the area's files.
	Reader, ReaderGID int
	ReaderGroupOnly   bool
}

// makeArea creates the folder of area a in the store, or corrects its
// owner and mode. A folder owned by someone else than a.UID (a store
// written before areas were root's, or anything a user planted) is not
// trusted: it is replaced by a folder of a's owner into which only the
// objects that verify are copied (see adoptArea). fresh says that the
// folder was made empty now, so that no object is there yet.
func (s *Store) makeArea(a Area) (fresh bool, err error) {
	p := filepath.Join(s.dir, storeDir, a.Name)
	fi, err := s.sys.Lstat(p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := s.sys.Mkdir(p, 0o700); err != nil {
			return false, err
		}
		if err := s.chownArea(p, a); err != nil {
			return false, err
		}
		fresh = true
	case err != nil:
		return false, err
	case !fi.IsDir():
		s.warn(fmt.Sprintf("%s: store area is %s, not a folder; replaced", p, describeMode(fi.Mode())))
		if err := s.sys.RemoveAll(p); err != nil {
			return false, err
		}
		return s.makeArea(a)
	case a.UID != -1 && !ownedBy(fi, a.UID, a.GID):
		if err := s.adoptArea(p, a); err != nil {
			return false, err
		}
	}
	return fresh, s.protectArea(p, a)
}

// protectArea sets the mode (and the reader's ACL) of the area folder p.
func (s *Store) protectArea(p string, a Area) error {
	if !a.Private {
		return s.sys.Chmod(p, 0o755)
	}
	if err := s.sys.Chmod(p, 0o700); err != nil {
		return err
	}
	if a.Reader <= 0 || a.UID == -1 {
		return nil
	}
	err := s.sys.GrantRead(p, a.Reader)
	if errors.Is(err, errors.ErrUnsupported) {
		// No ACLs here: the reader's group reads the area instead, if
		// it is hers alone.
		if !a.ReaderGroupOnly {
			return fmt.Errorf("%s: the file system has no ACLs to let its user alone read it, and the user's group (gid %d) has other accounts in it, who would read the files kept there; give the user a group of their own (as useradd does by default), or keep the state folder on a file system with POSIX ACLs (ext4, xfs, btrfs, tmpfs)", p, a.ReaderGID)
		}
		if err := s.sys.Lchown(p, a.UID, a.ReaderGID); err != nil {
			return err
		}
		return s.sys.Chmod(p, 0o750)
	}
	return err
}

func (s *Store) chownArea(p string, a Area) error {
	if a.UID == -1 && a.GID == -1 {
		return nil
	}
	return s.sys.Lchown(p, a.UID, a.GID)
}

// warn reports a problem found in the store that gocfg repaired.
func (s *Store) warn(msg string) {
	if s.Warn != nil {
		s.Warn(msg)
	}
}

func describeMode(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "a symlink"
	case m.IsRegular():
		return "a file"
	case m.IsDir():
		return "a folder"
	}
	return "a special file"
}

// HomeArea is the store area of user's files (store/home-<user>). When
// root switches (privileged), root owns it and everything in it, and the
// user alone reads it (Reader); uid and gid are the user's, -1 when the
// account does not exist (yet). An ordinary user's own store leaves
// ownership alone: it is all theirs.
func HomeArea(user string, uid, gid int, privileged bool) Area {
	a := Area{Name: "home-" + user, UID: -1, GID: -1, Private: true}
	if privileged {
		a.UID, a.GID = 0, 0
		if uid > 0 {
			a.Reader, a.ReaderGID = uid, gid
		}
	}
	return a
}
