package files

import (
	"path/filepath"
	"strings"
)

// otherGocfg returns the state folder of another gocfg whose link lv
// is ("" when lv is no such link): a link into <state>/current/files/
// or <state>/generations/<n>/files/ of a state folder not this run's.
// Root's gocfg and a user's own both manage her home (home-manager as a
// NixOS module and standalone at once): each took the other's link for
// a hand edit, force = true on both sides replaced it at every switch,
// and letting go put the other's link back as "what was there before",
// to dangle (tester R). Such a link is neither forced nor backed up: one
// configuration must let go of the path.
func (pl *planner) otherGocfg(lv *live) string {
	if lv.kind != isLink || !filepath.IsAbs(lv.target) {
		return ""
	}
	t := filepath.Clean(lv.target)
	for _, mark := range []string{"/current/files/", "/generations/"} {
		i := strings.Index(t, mark)
		if i <= 0 {
			continue
		}
		state := t[:i]
		if mark == "/generations/" && !strings.Contains(t[i+len(mark):], "/files/") {
			continue
		}
		if filepath.Base(state) != "gocfg" || pl.l.Store == nil || state == filepath.Clean(pl.l.Store.Dir()) {
			return ""
		}
		return state
	}
	return ""
}

// otherGocfgProblem is the conflict of f's path held by another gocfg's
// link, from its state folder state.
func otherGocfgProblem(state string) string {
	who := "another gocfg"
	if state == "/var/lib/gocfg" {
		who = "root's gocfg"
	}
	return "a link of " + who + " (state folder " + state + ") is here: both would write this path at every switch"
}
