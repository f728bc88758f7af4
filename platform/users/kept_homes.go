package users

import (
	"maps"
	"path"
	"slices"

	"github.com/gocfg/gocfg/internal/filestat"
)

// keptHomes finds the folders that the homes' parent folders hold and
// that belong to a uid no account has: the home of a user deleted with
// her home kept (gocfg keeps it; so does userdel without -r), and
// whatever else her uid owned, which her uid still opens. useradd's way
// (the highest uid in use plus one) gives that uid to the next account
// made, which then owns her files (tester R: dave, made after carol was
// deleted, read carol's dotfiles and her private gocfg state). NixOS
// keeps a uid-map for this; gocfg reads the file system, which keeps no
// list that a rollback could lose. The folders looked at are the
// backend's home base (/home, /Users) and those of the homes of the
// accounts and of the users declared. It returns folder → owner uid and
// gid (-1 when a group has it).
func (pl *planner) keptHomes() map[string]keptOwner {
	bases := map[string]bool{path.Dir(pl.b.defaultHome("x")): true}
	for _, a := range pl.db.Users() {
		if a.Home != "" && a.UID > 0 {
			bases[path.Dir(path.Clean(a.Home))] = true
		}
	}
	for _, u := range pl.want.users {
		if u.Home != nil {
			bases[path.Dir(path.Clean(*u.Home))] = true
		}
	}
	kept := map[string]keptOwner{}
	for _, base := range slices.Sorted(maps.Keys(bases)) {
		if base == "/" || base == "." {
			continue // "/" holds the system's folders, not homes
		}
		entries, err := pl.sys.ReadDir(base)
		if err != nil {
			continue
		}
		for _, e := range entries {
			p := path.Join(base, e.Name())
			fi, err := pl.sys.Lstat(p)
			if err != nil || !fi.IsDir() {
				continue
			}
			uid, gid := filestat.Owner(fi)
			if _, taken := pl.db.UserByUID(uid); uid <= 0 || taken {
				continue
			}
			if _, taken := pl.db.GroupByGID(gid); gid <= 0 || taken {
				gid = -1
			}
			kept[p] = keptOwner{uid, gid}
		}
	}
	return kept
}

// keptOwner is the owner of a kept home: its uid, and its gid when no
// group has it.
type keptOwner struct{ uid, gid int }
