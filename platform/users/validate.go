package users

import (
	"errors"
	"fmt"
	"maps"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gocfg/gocfg/internal/filestat"
	"github.com/gocfg/gocfg/modules/optpath"
	"github.com/gocfg/gocfg/platform"
)

// problems collects the configuration errors of a plan, each naming its
// option.
type problems []error

func (ps *problems) add(option, hint, format string, args ...any) {
	*ps = append(*ps, &platform.ConfigError{Option: option, Msg: fmt.Sprintf(format, args...), Hint: hint})
}

// maxID is the largest user or group ID: IDs are 32-bit, and 4294967295
// is (uid_t)-1, which the system calls take for "no change" (useradd and
// groupadd refuse it).
const maxID = 1<<32 - 2

// idHint is the hint of an ID out of range.
const idHint = "IDs are whole numbers from 0 to 4294967294; leave it unset to let gocfg pick one"

// userNameHint and groupNameHint are the hints of a name the account
// system refuses.
const (
	userNameHint  = "user names are like alice, build-bot or _svc"
	groupNameHint = "group names are like developers or _svc"
)

// shellHint is the hint of a shell that is not an absolute path.
const shellHint = "write the shell's path, like /bin/bash"

// userOption is the path of users.<name> (with the fields after it) as
// optpath writes it, the name quoted when it is not an identifier
// (users."", users."j.doe".uid): the path an error's Option must be for
// the CLI to find where the value is defined.
func userOption(name string, fields ...string) string {
	return optpath.Path{"users", name}.Append(fields...).String()
}

// groupOption is userOption for groups.<name>.
func groupOption(name string, fields ...string) string {
	return optpath.Path{"groups", name}.Append(fields...).String()
}

// validate checks every declaration against the machine; it returns
// every problem found, each naming its option.
func (pl *planner) validate() error {
	var ps problems
	uidOf := map[int]string{}
	for _, name := range sortedKeys(pl.want.users) {
		if pl.checkName(&ps, userOption(name), name, userNameHint) {
			pl.validateUser(&ps, name, uidOf)
		}
	}
	gidOf := map[int]string{}
	for _, name := range sortedKeys(pl.want.groups) {
		if pl.checkName(&ps, groupOption(name), name, groupNameHint) {
			pl.validateGroup(&ps, name, gidOf)
		}
	}
	ps = append(ps, pl.b.validate(pl.want, pl.db)...)
	return errors.Join(ps...)
}

// checkName reports whether name is a valid user or group name, adding
// the problem of the option opt (with hint) when it is not.
func (pl *planner) checkName(ps *problems, opt, name, hint string) bool {
	return checkName(pl.b, ps, opt, name, hint)
}

// checkName is planner.checkName with the account system b's rules.
func checkName(b interface{ validName(string) string }, ps *problems, opt, name, hint string) bool {
	why := b.validName(name)
	if why != "" {
		ps.add(opt, hint, "%q: %s", name, why)
	}
	return why == ""
}

// validateUser checks users.<name>, whose name is valid; uidOf holds the
// uids declared so far.
func (pl *planner) validateUser(ps *problems, name string, uidOf map[int]string) {
	u := pl.want.users[name]
	opt := userOption(name)
	if u.UID != nil {
		pl.validateUID(ps, name, *u.UID, uidOf)
	}
	if u.Home != nil {
		pl.validateHome(ps, name, *u.Home)
	}
	if u.Shell != nil {
		pl.validateShell(ps, name, *u.Shell)
	}
	if u.Description != nil {
		if why := pl.b.badDescription(*u.Description); why != "" {
			ps.add(opt+".description", "", "%q: %s", *u.Description, why)
		}
	}
	for _, g := range u.Groups {
		pl.validateUserGroup(ps, name, g)
	}
	if field, _ := u.passwordOption(); field != "" && pl.b.passwords() {
		checkPasswords(ps, name, u)
		if !pl.db.HasShadow() {
			// chpasswd would write the hash into /etc/passwd, which
			// everyone reads (reviewer).
			ps.add(opt+"."+field, "create /etc/shadow (pwconv), or leave the option unset",
				"this machine has no /etc/shadow: gocfg does not write a password hash into /etc/passwd, which every account reads")
		}
	}
}

func (pl *planner) validateUID(ps *problems, name string, uid int, uidOf map[int]string) {
	opt := userOption(name, "uid")
	live, exists := pl.db.User(name)
	switch {
	case !idInRange(ps, opt, uid, "user"):
		return
	case exists && live.UID == 0 && uid != 0:
		ps.add(opt, "leave "+opt+" unset", "%s has uid 0; gocfg does not change it", name)
		return
	}
	other, taken := pl.uidOwner(uid, name)
	var folder, whose string
	if !taken && (!exists || live.UID != uid) {
		// A new account, or one renumbered (usermod -u chowns only her
		// own home: reviewer R31); not one that keeps its uid, which
		// would read the homes' folders at every plan.
		folder, whose = pl.keptHomeOf(uid, name)
	}
	if taken {
		hint := "pick a free uid, or leave it unset to let gocfg pick one"
		if pl.want.fromRecords {
			// Tester BE: a generation's configuration cannot be edited.
			hint = fmt.Sprintf("the generation gives %s uid %d, which %s has now: give %s another uid (usermod -u) or delete it, or switch to a configuration that gives %s another uid", name, uid, other, other, name)
		}
		ps.add(opt, hint, "uid %d belongs to user %s", uid, other)
	} else if folder != "" {
		hint := "pick another uid (unset, gocfg picks one that owns nothing), or give " + folder + " to root first (chown -R root:root " + folder + ") and to " + name + " after the switch if it is to have it"
		if pl.want.fromRecords {
			hint = "give " + folder + " to root (chown -R root:root " + folder + ") and roll back again, or switch to a configuration that gives " + name + " another uid"
		}
		ps.add(opt, hint, "uid %d owns %s, the home kept of %s: %s would own it, and every file in it", uid, folder, whose, name)
	} else {
		declaredOnce(ps, opt, uid, name, uidOf, "user")
	}
	uidOf[uid] = name
}

// keptHomeOf finds a home that uid owns and that stays when no account
// has that uid: the home of an account this plan deletes (kept), or a
// folder keptHomes finds; not the home that user name gets (her own,
// made again). whose says whose home it is. Tester BE: a plan deleted
// tbealice (uid 4101) and made tbeeve with uid = 4101, who then owned
// her 0600 diary and her ssh key; gocfg picks no such uid itself
// (allocate), but took one the configuration gave.
func (pl *planner) keptHomeOf(uid int, name string) (folder, whose string) {
	own := pl.newHome(name)
	for _, n := range sortedKeys(pl.delUsers) {
		a, ok := pl.db.User(n)
		if !ok || a.Home == "" || path.Clean(a.Home) == own {
			continue
		}
		// Who owns the folder, not whose it was: one given to root as
		// the hint says is no longer hers (reviewer R31).
		if fi, err := pl.sys.Lstat(a.Home); err == nil && fi.IsDir() {
			if owner, _ := filestat.Owner(fi); owner == uid {
				return path.Clean(a.Home), "user " + n + ", which this switch deletes"
			}
		}
	}
	if pl.kept == nil {
		pl.kept = pl.keptHomes() // once a plan, for every user given a uid
	}
	kept := pl.kept
	for _, f := range slices.Sorted(maps.Keys(kept)) {
		if kept[f].uid == uid && f != own {
			return f, "a deleted account"
		}
	}
	return "", ""
}

// idInRange reports whether id is a user or group ID (kind), adding the
// problem of the option opt when it is not.
func idInRange(ps *problems, opt string, id int, kind string) bool {
	if id < 0 || id > maxID {
		ps.add(opt, idHint, "%d is not a %s ID", id, kind)
		return false
	}
	return true
}

// declaredOnce adds the problem of the option opt when another user or
// group (kind) in idOf, the IDs declared before name's, has id too.
func declaredOnce(ps *problems, opt string, id int, name string, idOf map[int]string, kind string) {
	if other, ok := idOf[id]; ok {
		short := map[string]string{"user": "uid", "group": "gid"}[kind]
		ps.add(opt, "give each "+kind+" its own "+short, "%s %d is also declared for %s", short, id, optpath.Path{kind + "s", other})
	}
}

// absolute reports whether path is absolute, adding the problem of the
// option opt (with hint) when it is not.
func absolute(ps *problems, opt, hint, path string) bool {
	if !filepath.IsAbs(path) {
		ps.add(opt, hint, "%q is not an absolute path", path)
		return false
	}
	return true
}

func (pl *planner) validateHome(ps *problems, name, home string) {
	opt := userOption(name, "home")
	live, exists := pl.db.User(name)
	switch {
	case !absolute(ps, opt, "write it like "+pl.b.defaultHome(name), home):
	case exists && filepath.Clean(live.Home) != filepath.Clean(home):
		ps.add(opt, pl.b.moveHomeHint(name, home),
			"%s's home folder is %s; gocfg does not move the home folder of an existing user", name, live.Home)
	}
}

func (pl *planner) validateShell(ps *problems, name, shell string) {
	opt := userOption(name, "shell")
	shells := pl.live.shells
	switch {
	case !absolute(ps, opt, shellHint, shell):
	case noLogin(shell):
		// nologin and false are never in /etc/shells: they are what an
		// account that must not log in gets (useradd takes them).
	case !shells.Present:
		pl.warn("%s: this machine has no /etc/shells, so %s could not be checked", opt, shell)
	case !shells.Allows(shell) && pl.packagesPending:
		pl.warn("%s: %s is not in /etc/shells yet; the packages this switch installs should bring it (the user is created after them)", opt, shell)
		pl.waitForPackages(name)
	case !shells.Allows(shell):
		hint := "install the shell (its package lists it in /etc/shells)"
		if len(shells.List) > 0 {
			hint += ", or use one of: " + strings.Join(shells.List, ", ")
		}
		ps.add(opt, hint, "%s is not listed in /etc/shells", shell)
	}
}

// validateUserGroup checks one of users.<name>.groups.
func (pl *planner) validateUserGroup(ps *problems, name, g string) {
	opt := userOption(name, "groups")
	if !pl.checkName(ps, opt, g, "") {
		return
	}
	ok, why := pl.groupKnown(g)
	switch {
	case ok:
	case g == "wheel":
		// NixOS's administrators, which Debian calls sudo; no package
		// brings a group wheel there (tester W: the plan waited for the
		// packages, and the switch failed at its step, with no place).
		ps.add(opt, fmt.Sprintf("NixOS's extraGroups = [\"wheel\"] is admin = true here (users %q { admin = true }), which picks this system's administrators group: sudo on Debian, wheel on Fedora and Arch", name), "%s", why)
	case pl.packagesPending:
		pl.warn("%s: %s yet; the packages this switch installs should bring it (the user is changed after them)", opt, why)
		pl.waitForPackages(name)
	default:
		ps.add(opt, fmt.Sprintf("declare it (groups %q {}), or take it off users.%s.groups", g, name), "%s", why)
	}
}

// validateGroup checks groups.<name>, whose name is valid; gidOf holds
// the gids declared so far.
func (pl *planner) validateGroup(ps *problems, name string, gidOf map[int]string) {
	g := pl.want.groups[name]
	opt := groupOption(name, "members")
	if g.GID != nil {
		pl.validateGID(ps, name, *g.GID, gidOf)
	}
	for _, m := range g.Members {
		if !pl.checkName(ps, opt, m, "") {
			continue
		}
		if ok, why := pl.userKnown(m); !ok {
			ps.add(opt, fmt.Sprintf("declare it under users.%s, or take it off groups.%s.members (or off the option that puts it there, such as virtualisation.docker.users)", m, name), "%s", why)
		}
	}
}

func (pl *planner) validateGID(ps *problems, name string, gid int, gidOf map[int]string) {
	opt := groupOption(name, "gid")
	if !idInRange(ps, opt, gid, "group") {
		return
	}
	if live, ok := pl.db.Group(name); ok && live == 0 && gid != 0 {
		ps.add(opt, "leave "+opt+" unset", "%s has gid 0; gocfg does not change it", name)
	} else if other, ok := pl.gidOwner(gid, name); ok {
		ps.add(opt, "pick a free gid, or leave it unset to let gocfg pick one", "gid %d belongs to group %s", gid, other)
	} else {
		declaredOnce(ps, opt, gid, name, gidOf, "group")
	}
	gidOf[gid] = name
}

// uidOwner returns a user other than name that has uid and stays.
// (One the plan deletes does not stay: its uid is free, and the plan
// says so, planner.freedIDTaken.)
func (pl *planner) uidOwner(uid int, name string) (string, bool) {
	for _, a := range pl.db.Users() {
		if a.UID == uid && a.Name != name {
			if !pl.delUsers[a.Name] {
				return a.Name, true
			}
			pl.freedIDTaken = true
		}
	}
	return "", false
}

// gidOwner returns a group other than name that has gid and stays (see
// uidOwner).
func (pl *planner) gidOwner(gid int, name string) (string, bool) {
	for _, g := range pl.db.Groups() {
		if g.GID == gid && g.Name != name {
			if !pl.delGroups[g.Name] {
				return g.Name, true
			}
			pl.freedIDTaken = true
		}
	}
	return "", false
}

// groupKnown reports whether a group exists (and stays) or is declared.
func (pl *planner) groupKnown(name string) (bool, string) {
	_, declared := pl.want.groups[name]
	_, exists := pl.db.Group(name)
	return known("group", name, declared, exists, pl.delGroups[name])
}

// userKnown reports whether a user exists (and stays) or is declared.
func (pl *planner) userKnown(name string) (bool, string) {
	_, declared := pl.want.users[name]
	_, exists := pl.db.User(name)
	return known("user", name, declared, exists, pl.delUsers[name])
}

// known reports whether a user or group (kind) that exists or not, is
// declared (under kind+"s") or not, and that gocfg deletes or not, is
// there once the plan is applied; why not, when it is not.
func known(kind, name string, declared, exists, deleted bool) (bool, string) {
	switch {
	case declared:
		return true, ""
	case exists && deleted:
		return false, fmt.Sprintf("%s %q is no longer declared under %ss, so gocfg deletes it", kind, name, kind)
	case exists:
		return true, ""
	}
	return false, fmt.Sprintf("%s %q does not exist and is not declared under %ss", kind, name, kind)
}

// noLogin reports whether a shell is one that refuses logins
// (/usr/sbin/nologin, /sbin/nologin, /bin/false, /usr/bin/false).
func noLogin(shell string) bool {
	switch filepath.Clean(shell) {
	case "/usr/sbin/nologin", "/sbin/nologin", "/bin/false", "/usr/bin/false":
		return true
	}
	return false
}
