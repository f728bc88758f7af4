package files

import (
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/gocfg/gocfg/internal/filestat"
)

// confineEtc puts the first folder on the way to the /etc file rel
// (its path inside /etc) that an account other than root may change
// behind the privilege boundary, as a home is (ConfineHome, DESIGN.md
// §7): one owned by another account (Debian's /etc/postgresql/15/main
// belongs to postgres) or writable by a group or by everyone. That
// account could otherwise swap a folder below it for a link between the
// plan and the switch, or before the plan, and have root write, replace
// or chmod a file anywhere the link leads; confined, every operation
// below it is resolved from its descriptor and follows no link. The
// folders above it are root's: nobody else can change them. seen holds
// the folders looked at already (true: confined), for the files that
// share them. A folder that is not there yet is made by gocfg, as root.
func (l *site) confineEtc(rel string, seen map[string]bool) {
	dir := "/etc"
	parts := strings.Split(filepath.Dir(rel), "/")
	if filepath.Dir(rel) == "." {
		parts = nil
	}
	for _, part := range parts {
		dir += "/" + part
		if confined, ok := seen[dir]; ok {
			if confined {
				return
			}
			continue
		}
		fi, err := l.Sys.Lstat(dir)
		if err == nil && fi.Mode()&fs.ModeSymlink != 0 {
			// A link (root's: its folder is root's, or it would have
			// been confined), which the plan checks leads inside /etc.
			// Confined at the link when a folder it leads to, or one on
			// the way there, is not root's alone; else the walk goes
			// on through it.
			if l.othersOnWay(dir) {
				l.Sys.Confine(dir)
				seen[dir] = true
				return
			}
			seen[dir] = false
			continue
		}
		if err != nil || !fi.IsDir() {
			// Not there (gocfg makes it, as root), or not a folder: the
			// plan reports it.
			seen[dir] = false
			return
		}
		if othersMayChange(fi) {
			l.Sys.Confine(dir)
			seen[dir] = true
			return
		}
		seen[dir] = false
	}
}

// othersMayChange reports whether an account other than root may change
// the folder fi: it owns it, or its group or everyone may write in it.
func othersMayChange(fi fs.FileInfo) bool {
	uid, _ := filestat.Owner(fi)
	return uid != 0 || fi.Mode().Perm()&0o022 != 0
}

// othersOnWay reports whether the folder the link link leads to, or a
// folder on the way there, may be changed by another account than root.
// A link that does not resolve, or leads out of /etc, is reported by the
// plan (false here).
func (l *site) othersOnWay(link string) bool {
	real, err := l.Sys.EvalSymlinks(link)
	if err != nil {
		return false
	}
	etc, err := l.Sys.EvalSymlinks("/etc")
	if err != nil || !within(real, etc) {
		return false
	}
	for p := real; within(p, etc) && p != etc; p = filepath.Dir(p) {
		fi, err := l.Sys.Lstat(p)
		if err != nil || othersMayChange(fi) {
			return err == nil
		}
	}
	return false
}
