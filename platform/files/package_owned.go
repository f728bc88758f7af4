package files

import (
	"context"
	"slices"
	"strings"

	"github.com/gocfg/gocfg/platform/system"
)

// packageOwners are the questions that name the package owning a path,
// one per package manager: the first whose program is there answers.
// Each prints the package's name first (dpkg-query: "nginx-common:
// /etc/nginx/conf.d"; rpm and pacman, with these flags, the name alone);
// the path follows args.
var packageOwners = []struct {
	path string
	args []string
}{
	{"/usr/bin/dpkg-query", []string{"-S", "--"}},
	{"/usr/bin/rpm", []string{"-qf", "--qf", "%{NAME}\n", "--"}},
	{"/usr/bin/pacman", []string{"-Qoq", "--"}},
}

// packageOwning names the package that owns the /etc folder d, which
// gocfg recorded as made by it, or "". A folder a switch made before
// installing the package that ships it (gocfg made /etc/nginx/conf.d,
// then apt installed nginx-common) is the package's once it is there.
// Only asked of a live machine, as root: under --root the package
// database asked would be the host's, not the tree's.
func (pl *planner) packageOwning(d *Dir) string {
	l := pl.l
	if userOf(d.Root) != "" || l.Offline || !l.Privileged || l.OS != "linux" || strings.ContainsAny(d.Path, "*?[]\\") {
		// (dpkg-query -S takes a pattern: a folder whose name has
		// pattern characters could match another's.)
		return ""
	}
	q := l.Reader()
	for _, o := range packageOwners {
		if _, err := q.Lstat(o.path); err != nil {
			continue
		}
		out, err := q.Run(context.Background(), system.Command{Path: o.path, Args: append(slices.Clone(o.args), d.Path), UID: -1, GID: -1, ReadOnly: true,
			Env: []string{"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C"}})
		if err != nil {
			return ""
		}
		return ownerOf(string(out))
	}
	return ""
}

// ownerOf reads the package names from the answer of one of
// packageOwners: the first line that is not dpkg's "diversion by ...",
// its names before the colon, "a, b" for a folder several packages ship.
func ownerOf(out string) string {
	for line := range strings.SplitSeq(strings.TrimSpace(out), "\n") {
		if strings.HasPrefix(line, "diversion by ") {
			continue
		}
		name, _, _ := strings.Cut(line, ":")
		return strings.TrimSpace(name)
	}
	return ""
}
