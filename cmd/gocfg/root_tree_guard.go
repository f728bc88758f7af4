package main

import (
	"fmt"

	"github.com/gocfg/gocfg/internal/pathtrust"
	"github.com/gocfg/gocfg/platform/system"
)

// rootTreeExposure reports the first folder on the way to a --root tree
// (the tree included) that someone other than root and the running user
// could swap while gocfg writes the tree: one they own, or an entry of a
// folder others may write in without the sticky bit. gocfg guards the tree
// from its own "/" down; the folders above it are the host's, taken as
// they are (second reviewer, stop 59: a tree under a folder of hers lets
// her put another tree in its place between two steps of root's switch).
// path is "" when the way is safe; a part that does not exist ends the
// walk (the caller looks after making the tree, so that it sees what
// MkdirAll found or made).
func rootTreeExposure(sys system.System, root string, euid int) (path, why string) {
	return pathtrust.Exposure(sys, root, pathtrust.Policy{Trusted: pathtrust.Trusting(euid)})
}

// warnRootTree warns when a switch builds a --root tree that another
// user could swap under it (rootTreeExposure): root's, or an ordinary
// user's, whose tree is as much hers to lose (reviewer R8).
func warnRootTree(env *Env, sys system.System, root string) {
	if env.EUID < 0 {
		return
	}
	if p, why := rootTreeExposure(sys, root, env.EUID); p != "" {
		who := "root"
		if env.EUID != 0 {
			who = "you or root"
		}
		fmt.Fprintf(env.Stderr, "gocfg: warning: --root %s: %s %s: its owner or others could put another tree in its place while gocfg writes it\n", root, p, why)
		fmt.Fprintf(env.Stderr, "gocfg: hint: build the tree in a folder that only %s can change (chmod go-w each folder on the way, owned by %s)\n", who, who)
	}
}
