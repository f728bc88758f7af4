package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/gocfg/gocfg/internal/filestat"
)

// folderChoice is one folder a private temporary folder may be made in:
// its path, and the variable it came from ("" for a fixed one).
type folderChoice struct{ from, dir string }

// choosePrivateFolder returns the first of choices, root's and euid's
// links resolved (trustedLinks), where
// no account but root and euid can change where a path leads
// (privateWay), and whose path is at most maxLen bytes (0: any); else an error that names each
// one tried, where it came from and why it was passed over, for what
// (the folder's use, "the SSH control sockets"), with hint.
func choosePrivateFolder(choices []folderChoice, euid, maxLen int, what, hint string) (string, error) {
	var tried []string
	seen := map[string]bool{}
	for _, c := range choices {
		if c.dir == "" {
			continue
		}
		name := c.dir
		if c.from != "" {
			name = c.from + "=" + c.dir
		}
		why := ""
		dir := filepath.Clean(c.dir)
		// Links of root's or euid's resolved (reviewer R21: on macOS
		// /tmp and /var are links, and secrets edit refused); another
		// user's link is refused (reviewer R22: hers in a sticky /tmp
		// chose a folder of alice's that a sync client shares).
		linkWhy := ""
		if filepath.IsAbs(dir) {
			var real string
			if real, linkWhy = trustedLinks(dir, euid); linkWhy == "" {
				dir = real
			}
		}
		switch _, err := os.Lstat(dir); {
		case !filepath.IsAbs(c.dir):
			why = "not an absolute path"
		case linkWhy != "":
			why = linkWhy
		case seen[dir]:
			continue
		case errors.Is(err, fs.ErrNotExist):
			why = "does not exist"
		case err != nil:
			why = "cannot be looked at: " + err.Error()
		case maxLen > 0 && len(dir) > maxLen && dir != filepath.Clean(c.dir):
			// The length counted is the path's as links resolve
			// (tester notes: /tmp/501 is /private/tmp/501 on macOS).
			why = fmt.Sprintf("%s as links resolve: a path of %d characters; at most %d fit", dir, len(dir), maxLen)
		case maxLen > 0 && len(dir) > maxLen:
			why = fmt.Sprintf("a path of %d characters; at most %d fit", len(dir), maxLen)
		case !privateWay(dir, euid):
			why = "another user can write it or a folder on the way to it, or it is not yours"
		default:
			return dir, nil
		}
		seen[dir] = true
		tried = append(tried, name+" ("+why+")")
	}
	return "", withHints(fmt.Errorf("no private folder for %s: tried %s", what, strings.Join(tried, "; ")), hint)
}

// trustedLinks resolves the links on the way to dir one at a time,
// following only a link that root or euid owns in a folder that root or
// euid owns and no one else may write, or that is sticky (only its
// owner, then, can replace the link); why says which link it would not
// follow ("" when none, or when dir does not exist: the caller says so).
func trustedLinks(dir string, euid int) (real, why string) {
	resolved := "/"
	parts := strings.Split(strings.TrimPrefix(filepath.Clean(dir), "/"), "/")
	for hops := 0; len(parts) > 0; {
		name := parts[0]
		parts = parts[1:]
		if name == "" || name == "." {
			continue
		}
		if name == ".." {
			resolved = filepath.Dir(resolved)
			continue
		}
		next := filepath.Join(resolved, name)
		fi, err := os.Lstat(next)
		if err != nil {
			return dir, ""
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			resolved = next
			continue
		}
		pfi, err := os.Lstat(resolved)
		if err != nil {
			return dir, ""
		}
		luid, _ := filestat.Owner(fi)
		puid, _ := filestat.Owner(pfi)
		closed := pfi.Mode().Perm()&0o022 == 0 || pfi.Mode()&fs.ModeSticky != 0
		// Each refusal says which (reviewer R23).
		switch hops++; {
		case hops > 40:
			return dir, "the links from " + next + " lead on more than 40 times (a loop)"
		case luid != 0 && luid != euid:
			return dir, fmt.Sprintf("the link %s is uid %d's", next, luid)
		case puid != 0 && puid != euid:
			return dir, fmt.Sprintf("the link %s is in a folder of uid %d's, who may replace it", next, puid)
		case !closed:
			return dir, fmt.Sprintf("the link %s is in a folder others may write (mode %#o, no sticky bit)", next, pfi.Mode().Perm())
		}
		target, err := os.Readlink(next)
		if err != nil {
			return dir, ""
		}
		if filepath.IsAbs(target) {
			resolved = "/"
		}
		parts = append(strings.Split(target, "/"), parts...)
	}
	return resolved, ""
}
