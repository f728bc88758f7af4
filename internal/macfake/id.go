package macfake

import (
	"context"
	"sort"
	"strconv"
	"strings"
)

func init() {
	register("id", runID)
}

// runID answers `id -u [name]`, `id -g [name]`, `id -G [name]` and `id
// -Gn [name]` (`-nG` too) from the fake directory; without a name, for
// the user the command runs as.
func runID(_ context.Context, f *Fake, c Call) ([]byte, int) {
	if len(c.Args) == 0 || len(c.Args) > 2 {
		return failf("macfake: id %s is not faked", strings.Join(c.Args, " "))
	}
	name := c.User
	if len(c.Args) == 2 {
		name = c.Args[1]
	}
	d, err := f.directory()
	if err != nil {
		return failf("macfake: %v", err)
	}
	u, ok := d.users[name]
	if !ok {
		return failf("id: %s: no such user", name)
	}
	switch c.Args[0] {
	case "-u":
		return []byte(strconv.Itoa(u.UID) + "\n"), 0
	case "-g":
		return []byte(strconv.Itoa(u.GID) + "\n"), 0
	case "-G", "-Gn", "-nG":
		// The primary group first, then the others by name.
		var primary string
		var others []string
		for _, g := range d.names("Groups") {
			gr := d.groups[g]
			switch {
			case gr.GID == u.GID && primary == "":
				primary = g
			case containsString(d.members(g), name):
				others = append(others, g)
			}
		}
		sort.Strings(others)
		var out []string
		if primary != "" {
			out = append(out, primary)
		}
		out = append(out, others...)
		if c.Args[0] == "-G" {
			for i, g := range out {
				out[i] = strconv.Itoa(d.groups[g].GID)
			}
		}
		return []byte(strings.Join(out, " ") + "\n"), 0
	}
	return failf("macfake: id %s is not faked", c.Args[0])
}

func containsString(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
