package files

import (
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
		if err != nil || !fi.IsDir() {
			// Not there (gocfg makes it, as root), or a link, which the
			// plan checks leads inside /etc, or not a folder: the plan
			// reports it.
			seen[dir] = false
			return
		}
		uid, _ := filestat.Owner(fi)
		if uid != 0 || fi.Mode().Perm()&0o022 != 0 {
			l.Sys.Confine(dir)
			seen[dir] = true
			return
		}
		seen[dir] = false
	}
}
