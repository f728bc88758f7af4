package pathtrust

import (
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/gocfg/gocfg/internal/filestat"
)

// Lstat looks at one part of a way (os.Lstat, or a System's, which a
// --root tree and the tests see through).
type Lstat func(name string) (fs.FileInfo, error)

// Exposure reports the first part of the way to path, from "/" down,
// that a user trusted does not approve of could change: one owned by
// another user, or a folder that group or others may write in without
// the sticky bit. With leaf, path itself may not be writable by group or
// others either (a file or folder whose content matters, not only its
// place); without, it is only checked for its owner (a --root tree that
// gocfg then guards itself). where is "" when the way is safe; a part
// that does not exist ends the walk (what comes after it is made by the
// caller, or fails to be read). A link on the way is checked for its
// owner, and the way it resolves to is checked as well.
func Exposure(lstat Lstat, path string, trusted func(uid int) bool, leaf bool) (where, why string) {
	if p, why := wayExposure(lstat, path, trusted, leaf); p != "" {
		return p, why
	}
	if real := resolvedWay(path); real != filepath.Clean(path) {
		return wayExposure(lstat, real, trusted, leaf)
	}
	return "", ""
}

// resolvedWay is path with the links of its longest existing part
// resolved, and the rest as given.
func resolvedWay(path string) string {
	rest := ""
	for p := filepath.Clean(path); ; p = filepath.Dir(p) {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Join(real, rest)
		}
		if p == "/" {
			return filepath.Clean(path)
		}
		rest = filepath.Join(filepath.Base(p), rest)
	}
}

// wayExposure is Exposure for the way as given, links not followed.
func wayExposure(lstat Lstat, path string, trusted func(uid int) bool, leaf bool) (where, why string) {
	var way []string
	for p := filepath.Clean(path); ; p = filepath.Dir(p) {
		way = append(way, p)
		if p == "/" {
			break
		}
	}
	for i := len(way) - 1; i >= 0; i-- {
		p := way[i]
		fi, err := lstat(p)
		if err != nil {
			return "", ""
		}
		if why := partExposure(fi, trusted, i > 0 || leaf); why != "" {
			return p, why
		}
	}
	return "", ""
}

// partExposure says why the part fi describes could be changed by an
// untrusted user ("" when it could not); written says whether who may
// write in it (or to it) counts.
func partExposure(fi fs.FileInfo, trusted func(uid int) bool, written bool) string {
	if uid, _ := filestat.Owner(fi); !trusted(uid) {
		return fmt.Sprintf("is owned by uid %d", uid)
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		return "" // its owner is checked; what it leads to is the next part's parent
	}
	if written && fi.Mode().Perm()&0o022 != 0 && (fi.Mode()&fs.ModeSticky == 0 || !fi.IsDir()) {
		return fmt.Sprintf("may be written by others (mode %#o%s)", fi.Mode().Perm(), map[bool]string{true: ", no sticky bit", false: ""}[fi.IsDir()])
	}
	return ""
}

// Trusting returns the trust of root's gocfg: uid 0 and those of uids
// (the user who ran it through sudo; a negative uid is no one).
func Trusting(uids ...int) func(uid int) bool {
	return func(uid int) bool {
		if uid == 0 {
			return true
		}
		for _, u := range uids {
			if u >= 0 && uid == u {
				return true
			}
		}
		return false
	}
}
