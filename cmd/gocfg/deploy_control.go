package main

import "fmt"

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
	tmp := "/tmp"
	if env.OS == "darwin" {
		tmp = "/private/tmp"
	}
	most := maxSocketPath(env.OS) - controlSocketRoom
	return choosePrivateFolder([]folderChoice{{"$XDG_RUNTIME_DIR", env.Getenv("XDG_RUNTIME_DIR")}, {"$TMPDIR", env.Getenv("TMPDIR")}, {"", tmp}},
		env.EUID, most, "the SSH control sockets", controlRootHint(tmp, env.EUID, most))
}

// controlRootHint says how to make a control folder: tmp/UID where that
// path is short enough, else one mktemp names with 3 random letters (GNU mktemp wants 3 at least) (on
// macOS, /private/tmp leaves 17 characters: /tmp/$(id -u) fits a uid
// of 4 digits, not a directory service's of 5 or more).
func controlRootHint(tmp string, euid, most int) string {
	what := fmt.Sprintf("(yours, that no one else can write, of at most %d characters as links resolve)", most)
	if len(fmt.Sprintf("%s/%d", tmp, euid)) > most {
		return "make one: TMPDIR=$(mktemp -d /tmp/gXXX) gocfg deploy ... " + what
	}
	return "make one: mkdir -m 700 /tmp/$(id -u) && TMPDIR=/tmp/$(id -u) gocfg deploy ... " + what
}
