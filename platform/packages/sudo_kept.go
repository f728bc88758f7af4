package packages

import (
	"bufio"
	"bytes"
	"strings"

	"github.com/gocfg/gocfg/platform/system"
)

// sudoKept is the note of a plan that leaves sudo installed, which gocfg
// installed and the configuration no longer wants, because root has no
// password: Debian's sudo refuses its removal then (its prerm; tester W:
// a switch that dropped security.sudo, which brings sudo, failed on it).
// The undo of a switch that installed sudo passes over the guard
// (forceRemoval): the machine had no sudo before.
const sudoKept = "left installed, and no longer managed by gocfg: Debian's sudo refuses to be removed while root has no password, so that someone can still become root (give root a password, then remove it with apt-get remove sudo)"

// rootLocked reports whether root's password, in the machine's
// /etc/shadow, is locked or unset for logins ("*", or starting with "!"),
// as Debian's sudo prerm checks it; false when it cannot be read.
func rootLocked(q system.System) bool {
	b, err := q.ReadFile("/etc/shadow")
	if err != nil {
		return false
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		name, rest, ok := strings.Cut(sc.Text(), ":")
		if !ok || name != "root" {
			continue
		}
		hash, _, _ := strings.Cut(rest, ":")
		return hash == "*" || strings.HasPrefix(hash, "!")
	}
	return false
}
