package users

import (
	"errors"
	"io/fs"
	"path"

	"github.com/gocfg/gocfg/platform/system"
)

// maxSkelDepth bounds how deep homeAsMade follows the skeleton's folders.
const maxSkelDepth = 8

// homeAsMade says whether the home folder useradd made for a new account
// still holds only what it copied there from the skeleton skel, so that
// undoing the account may delete it (userdel --remove): every entry one
// of the skeleton's, of the same type; a file of the same size and
// modification time (useradd keeps the skeleton's times); a link to the
// same target. Tester BI: the undo of a switch deleted the new home with
// what the account, or a restore from a backup, had put there since
// useradd made it.
//
// found is false when there is no home; what names the first entry that
// is not the skeleton's ("" none). It follows no link and reads no file
// of the account's, only their metadata.
func homeAsMade(sys system.System, home, skel string) (found bool, what string, err error) {
	fi, err := sys.Lstat(home)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return false, "", nil
	case err != nil:
		return true, "", err
	case !fi.IsDir():
		return true, home + " (no longer a folder)", nil
	}
	what, err = skeletonOnly(sys, home, skel, 0)
	return true, what, err
}

// skeletonOnly names the first entry of dir that is not the copy of the
// same entry of skel ("" none).
func skeletonOnly(sys system.System, dir, skel string, depth int) (string, error) {
	entries, err := sys.ReadDir(dir)
	if err != nil {
		return "", err
	}
	for _, e := range entries {
		p, sp := path.Join(dir, e.Name()), path.Join(skel, e.Name())
		fi, err := sys.Lstat(p)
		if err != nil {
			return "", err
		}
		sfi, err := sys.Lstat(sp)
		if err != nil || fi.Mode().Type() != sfi.Mode().Type() {
			return p, nil
		}
		switch {
		case fi.IsDir():
			if depth >= maxSkelDepth {
				return p, nil
			}
			if what, err := skeletonOnly(sys, p, sp, depth+1); what != "" || err != nil {
				return what, err
			}
		case fi.Mode().IsRegular():
			if fi.Size() != sfi.Size() || !fi.ModTime().Equal(sfi.ModTime()) {
				return p, nil
			}
		case fi.Mode().Type() == fs.ModeSymlink:
			t, err1 := sys.Readlink(p)
			st, err2 := sys.Readlink(sp)
			if err1 != nil || err2 != nil || t != st {
				return p, nil
			}
		default:
			return p, nil
		}
	}
	return "", nil
}
