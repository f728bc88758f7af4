package main

import (
	"fmt"
	"path/filepath"
)

// controlSocketRoom is what the control socket's path adds to the
// folder it is made in: "/gocfg-deploy-ssh-" and os.MkdirTemp's 10
// digits, "/" and ssh's %C (40 hex digits), and the 17 characters of
// the name ssh binds first (".XXXXXXXXXXXXXXXX").
const controlSocketRoom = 18 + 10 + 1 + 40 + 17

// maxSocketPath is the longest path a Unix socket may have on os:
// sun_path's 108 bytes on Linux, 104 on macOS, less its NUL.
func maxSocketPath(os string) int {
	if os == "linux" {
		return 107
	}
	return 103
}

// deployControlRoot is the folder the deploy's SSH control folder is
// made in: the user's runtime folder ($XDG_RUNTIME_DIR), $TMPDIR, else
// /tmp (/private/tmp on macOS, where /tmp is a link to it and $TMPDIR
// too long a path), the first where no one else can change where a path leads
// (privateWay: /tmp qualifies, being sticky) and whose socket paths are
// not too long for a socket. A control socket another user could put
// in place would take the deploy's connection: she would get every
// command and every file it sends, and answer for the host (tester AW:
// $TMPDIR, a team folder others could write, or root's under sudo -E,
// the user's). None of them: an error, not a fallback.
func deployControlRoot(env *Env) (string, error) {
	var tried []string
	dirs := []string{env.Getenv("XDG_RUNTIME_DIR"), env.Getenv("TMPDIR"), "/tmp"}
	if env.OS == "darwin" {
		dirs[2] = "/private/tmp"
	}
	for _, dir := range dirs {
		if dir == "" || !filepath.IsAbs(dir) {
			continue
		}
		dir = filepath.Clean(dir)
		switch {
		case len(dir)+controlSocketRoom > maxSocketPath(env.OS):
			tried = append(tried, dir+" (too long a path for ssh's control sockets)")
		case !privateWay(dir, env.EUID):
			tried = append(tried, dir+" (another user could change where a path in it leads)")
		default:
			return dir, nil
		}
	}
	return "", withHints(fmt.Errorf("no folder for the SSH control sockets: %v", tried),
		"set TMPDIR to a folder of yours that only you can write, on a short path")
}
