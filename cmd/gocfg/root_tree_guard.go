package main

import (
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/gocfg/gocfg/internal/filestat"
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
	if p, why := wayExposure(sys, root, euid); p != "" {
		return p, why
	}
	// The way the kernel takes, where a link on the given one leads
	// elsewhere (a root-owned /tmp/tree → /home/mallory/tree).
	if real := resolvedWay(root); real != filepath.Clean(root) {
		return wayExposure(sys, real, euid)
	}
	return "", ""
}

// resolvedWay is root with the links of its longest existing part
// resolved, and the rest (made by the switch) as given.
func resolvedWay(root string) string {
	rest := ""
	for p := filepath.Clean(root); ; p = filepath.Dir(p) {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Join(real, rest)
		}
		if p == "/" {
			return filepath.Clean(root)
		}
		rest = filepath.Join(filepath.Base(p), rest)
	}
}

// wayExposure is rootTreeExposure for the folders of one path as given.
func wayExposure(sys system.System, root string, euid int) (path, why string) {
	var way []string
	for p := filepath.Clean(root); ; p = filepath.Dir(p) {
		way = append(way, p)
		if p == "/" {
			break
		}
	}
	trusted := func(uid int) bool { return uid == 0 || uid == euid }
	for i := len(way) - 1; i >= 0; i-- {
		p := way[i]
		fi, err := sys.Lstat(p)
		if err != nil {
			return "", ""
		}
		if uid, _ := filestat.Owner(fi); !trusted(uid) {
			return p, fmt.Sprintf("is owned by uid %d", uid)
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			continue // its owner is checked; what it leads to is the next part's parent
		}
		if i > 0 && fi.Mode().Perm()&0o022 != 0 && fi.Mode()&fs.ModeSticky == 0 {
			return p, "may be written by others (mode " + fmt.Sprintf("%#o", fi.Mode().Perm()) + ", no sticky bit)"
		}
	}
	return "", ""
}

// warnRootTree warns when root's switch builds a --root tree that another
// user could swap under it (rootTreeExposure).
func warnRootTree(env *Env, sys system.System, root string) {
	if env.EUID != 0 {
		return
	}
	if p, why := rootTreeExposure(sys, root, env.EUID); p != "" {
		fmt.Fprintf(env.Stderr, "gocfg: warning: --root %s: %s %s: its owner or others could put another tree in its place while gocfg writes it\n", root, p, why)
		fmt.Fprintf(env.Stderr, "gocfg: hint: build the tree in a folder that only root can change (chown root and chmod go-w each folder on the way)\n")
	}
}
