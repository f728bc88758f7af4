package macfake

import (
	"context"
	"strings"
)

func init() {
	register("dseditgroup", runDseditgroup)
}

// runDseditgroup answers `dseditgroup -o edit -a|-d <user> -t user
// <group>` (as root) and `dseditgroup -o checkmember -m <user> <group>`.
// Adding a member twice, or removing one that is not there, succeeds, as
// with the real tool.
func runDseditgroup(_ context.Context, f *Fake, c Call) ([]byte, int) {
	a := c.Args
	d, err := f.directory()
	if err != nil {
		return failf("macfake: %v", err)
	}
	switch {
	case len(a) == 5 && a[0] == "-o" && a[1] == "checkmember" && a[2] == "-m":
		user, group := a[3], a[4]
		if _, ok := d.groups[group]; !ok {
			return failf("Group not found.")
		}
		if containsString(d.members(group), user) || d.users[user].GID == d.groups[group].GID && d.users[user].Name != "" {
			return []byte("yes " + user + " is a member of " + group + "\n"), 0
		}
		return []byte("no " + user + " is NOT a member of " + group + "\n"), 1
	case len(a) == 7 && a[0] == "-o" && a[1] == "edit" && (a[2] == "-a" || a[2] == "-d") && a[4] == "-t" && a[5] == "user":
		if c.User != "root" {
			return []byte("Username and password must be provided.\n"), 64
		}
		user, group := a[3], a[6]
		if _, ok := d.groups[group]; !ok {
			return []byte("Group not found.\n"), 64
		}
		if _, ok := d.users[user]; !ok && a[2] == "-a" {
			return []byte("Record was not found.\n"), 64
		}
		d.setMember(group, user, a[2] == "-a")
		if err := d.save(f); err != nil {
			return failf("macfake: %v", err)
		}
		return nil, 0
	}
	return failf("macfake: dseditgroup %s is not faked", strings.Join(a, " "))
}
