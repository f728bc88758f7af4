package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// folderChoice is one folder a private temporary folder may be made in:
// its path, and the variable it came from ("" for a fixed one).
type folderChoice struct{ from, dir string }

// choosePrivateFolder returns the first of choices, links resolved, where
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
		// Links resolved: the folder made is made in the folder they
		// lead to now, which is what is checked, and what a later change
		// of a link cannot move (reviewer R21: on macOS /tmp and /var
		// are links, and secrets edit refused, calling them another
		// user's).
		if real, err := filepath.EvalSymlinks(dir); err == nil && filepath.IsAbs(c.dir) {
			dir = real
		}
		switch _, err := os.Lstat(dir); {
		case !filepath.IsAbs(c.dir):
			why = "not an absolute path"
		case seen[dir]:
			continue
		case errors.Is(err, fs.ErrNotExist):
			why = "does not exist"
		case err != nil:
			why = "cannot be looked at: " + err.Error()
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
