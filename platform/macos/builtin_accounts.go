package macos

import "github.com/gocfg/gocfg/platform/accounts"

// builtinUsers and builtinGroups are accounts every Mac has, with the
// ids macOS gives them. An offline tree (--root --os darwin) usually has
// no /etc/passwd or /etc/group, yet configurations name them (root:wheel
// owns /etc/pam.d/sudo_local).
var (
	builtinUsers = []accounts.Account{
		{Name: "root", UID: 0, GID: 0, GECOS: "System Administrator", Home: "/var/root", Shell: "/bin/sh"},
		{Name: "daemon", UID: 1, GID: 1, GECOS: "System Services", Home: "/var/root", Shell: "/usr/bin/false"},
		{Name: "nobody", UID: -2, GID: -2, GECOS: "Unprivileged User", Home: "/var/empty", Shell: "/usr/bin/false"},
	}
	builtinGroups = []accounts.Group{
		{Name: "wheel", GID: 0, Members: []string{"root"}},
		{Name: "daemon", GID: 1, Members: []string{"root"}},
		{Name: "everyone", GID: 12},
		{Name: "staff", GID: 20, Members: []string{"root"}},
		{Name: "admin", GID: 80, Members: []string{"root"}},
		{Name: "nobody", GID: -2},
	}
)

// WithBuiltinAccounts returns db with the accounts every Mac has added
// where db has no entry of that name.
func WithBuiltinAccounts(db *accounts.Database) *accounts.Database {
	var us []accounts.Account
	for _, u := range builtinUsers {
		if _, ok := db.User(u.Name); !ok {
			us = append(us, u)
		}
	}
	var gs []accounts.Group
	for _, g := range builtinGroups {
		if _, ok := db.GroupEntry(g.Name); !ok {
			gs = append(gs, g)
		}
	}
	if len(us) == 0 && len(gs) == 0 {
		return db
	}
	return db.With(us, gs)
}
