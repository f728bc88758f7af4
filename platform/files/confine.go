package files

import (
	"path/filepath"
	"strings"

	"github.com/gocfg/gocfg/platform/system"
)

// ConfineHome puts home, the home folder of an account other than the
// one running gocfg, behind the privilege boundary (DESIGN.md §7): every
// later operation below it resolves from its descriptor and never follows
// a link out of it (see system.Confine). A "home" that holds /etc or the
// state folder (/, /var, /var/lib: system accounts) is left alone: its
// user does not control those.
func ConfineHome(sys system.System, home string) {
	home = filepath.Clean(home)
	if !filepath.IsAbs(home) || home == "/" {
		return
	}
	for _, p := range []string{"/etc", "/var/lib/gocfg"} {
		if within(p, home) {
			return
		}
	}
	if strings.ContainsRune(home, 0) {
		return
	}
	sys.Confine(home)
}
