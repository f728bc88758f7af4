package files

import (
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/gocfg/gocfg/internal/filestat"
	"github.com/gocfg/gocfg/platform/system"
)

// confineEtc puts the first folder on the way to the /etc file rel
// (its path inside /etc) that an account other than root may change
// behind the privilege boundary (ConfineWay). Debian's
// /etc/postgresql/15/main belongs to postgres, for one.
func (l *site) confineEtc(rel string, seen map[string]bool) {
	ConfineWay(l.Sys, l.etcDir(), filepath.Join(l.etcDir(), rel), seen)
}

// ConfineWay puts the first folder on the way from base to the file p
// (an absolute path below base) that an account other than root may
// change behind the privilege boundary, as a home is (ConfineHome,
// DESIGN.md §7): one owned by another account or writable by a group or
// by everyone. That account could otherwise swap a folder below it for a
// link between the plan and the switch, or before the plan, and have
// root write, replace, link or chmod a file anywhere the link leads;
// confined, every operation below it is resolved from its descriptor and
// follows no link out of it. base and the folders above the one confined
// are taken as root's: the caller knows nobody else can change base.
// seen holds the folders looked at already (true: confined), for the
// files that share them. A folder that is not there yet is made by
// gocfg, as root. The secrets provider uses it for a system secret's
// path (from /), the files provider for /etc. It returns the folder
// confined for p ("" when none), for an op that must confine it again
// where no plan ran first (the undo of a recovery).
func ConfineWay(sys system.System, base, p string, seen map[string]bool) string {
	base, p = filepath.Clean(base), filepath.Clean(p)
	if !within(p, base) || p == base {
		return ""
	}
	dir := base
	parts := strings.Split(strings.TrimPrefix(filepath.Dir(p), strings.TrimSuffix(base, "/")), "/")
	for _, part := range parts {
		if part == "" {
			continue
		}
		dir = filepath.Join(dir, part)
		if confined, ok := seen[dir]; ok {
			if confined {
				return dir
			}
			continue
		}
		fi, err := sys.Lstat(dir)
		if err == nil && fi.Mode()&fs.ModeSymlink != 0 {
			// A link (root's: its folder is root's, or it would have
			// been confined). Confined at the link when a folder it
			// leads to, or one on the way there, is not root's alone;
			// else the walk goes on through it.
			if othersOnWay(sys, base, dir) {
				sys.Confine(dir)
				seen[dir] = true
				return dir
			}
			seen[dir] = false
			continue
		}
		if err != nil || !fi.IsDir() {
			// Not there (gocfg makes it, as root), or not a folder: the
			// plan reports it.
			seen[dir] = false
			return ""
		}
		if othersMayChange(fi) {
			sys.Confine(dir)
			seen[dir] = true
			return dir
		}
		seen[dir] = false
	}
	return ""
}

// othersMayChange reports whether an account other than root may change
// the folder fi: it owns it, or its group or everyone may write in it.
func othersMayChange(fi fs.FileInfo) bool {
	uid, _ := filestat.Owner(fi)
	return uid != 0 || fi.Mode().Perm()&0o022 != 0
}

// othersOnWay reports whether the folder the link link leads to, or a
// folder on the way there below base, may be changed by another account
// than root. A link that does not resolve, or leads out of base, is
// reported by the plan (false here).
func othersOnWay(sys system.System, base, link string) bool {
	real, err := sys.EvalSymlinks(link)
	if err != nil {
		return false
	}
	root, err := sys.EvalSymlinks(base)
	if err != nil || !within(real, root) {
		return false
	}
	for p := real; within(p, root) && p != root; p = filepath.Dir(p) {
		fi, err := sys.Lstat(p)
		if err != nil || othersMayChange(fi) {
			return err == nil
		}
	}
	return false
}

// ConfineTree confines every folder below base that an account other
// than root may change (as ConfineWay decides, for each folder and each
// link to one), without looking below a folder it confines: for the
// undo of an interrupted switch, which runs with no plan before it to
// say which folders its ops go through (the plan confines those with
// ConfineWay). gocfg calls it on /etc when it finds a journal to
// recover, as root.
func ConfineTree(sys system.System, base string) error {
	return confineTree(sys, filepath.Clean(base), filepath.Clean(base))
}

// confineTree is ConfineTree of the folder dir below base.
func confineTree(sys system.System, base, dir string) error {
	des, err := sys.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, de := range des {
		p := filepath.Join(dir, de.Name())
		fi, err := sys.Lstat(p)
		switch {
		case err != nil:
			continue // gone meanwhile
		case fi.Mode()&fs.ModeSymlink != 0:
			if othersOnWay(sys, base, p) {
				sys.Confine(p)
			}
		case !fi.IsDir():
		case othersMayChange(fi):
			sys.Confine(p)
		default:
			if err := confineTree(sys, base, p); err != nil {
				return err
			}
		}
	}
	return nil
}
