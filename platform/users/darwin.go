package users

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/accounts"
)

// macOS account rules (see doc.go).
const (
	// staffGID is staff, the primary group sysadminctl gives every user.
	staffGID = 20
	// lastSystemID is the highest uid or gid gocfg never creates nor
	// deletes on macOS: below 500 are macOS's own accounts, and 501 is the
	// first user, made at set-up.
	lastSystemID = 501
	// firstDarwinID is where gocfg starts looking for a free uid or gid.
	firstDarwinID = lastSystemID + 1
	// maxDarwinID is the highest ID gocfg picks.
	maxDarwinID = 1<<31 - 1
)

// planDarwin plans users and groups on macOS from the local directory
// (dscl), with the same rules as on Linux and macOS's IDs.
func (p *Provider) planDarwin(ctx context.Context, part *platform.Part, applied *Records, w wanted) (*platform.Part, error) {
	l := p.Layout
	skip := func(why string) (*platform.Part, error) {
		part.Notes = append(part.Notes, "users, groups: "+why)
		return part, nil
	}
	switch {
	case l.Rooted:
		return skip("making macOS accounts in an offline tree (--root) is not built: they live in the local directory (/var/db/dslocal), which only a running Mac's opendirectoryd writes; skipped")
	case !l.Privileged:
		return skip("needs root (sysadminctl and dscl change the local directory); skipped")
	}
	live, err := readDarwin(ctx, l.query())
	if err != nil {
		return nil, err
	}
	shells, err := accounts.ReadShells(l.Sys)
	if err != nil {
		return nil, err
	}
	defs := accounts.LoginDefs{UIDMin: firstDarwinID, UIDMax: maxDarwinID, GIDMin: firstDarwinID, GIDMax: maxDarwinID}
	pl := newPlanner(l, live.db, shells, defs, applied, w, part)
	pl.mac, pl.hidden = true, live.hidden
	if err := pl.run(ctx); err != nil {
		return nil, err
	}
	p.planned, p.plannedGroups = pl.planned, pl.plannedGroups
	return part, nil
}

// darwinNameRE is macOS's rule for short names: lowercase letters,
// digits, _, - and ., not starting with - or ..
var darwinNameRE = regexp.MustCompile(`^[a-z0-9_][a-z0-9_.-]*$`)

// validName says why name is not a valid user or group name for the
// planned OS ("" when it is).
func (pl *planner) validName(name string) string {
	if !pl.mac {
		return validName(name)
	}
	switch {
	case name == "":
		return "the name is empty"
	case len(name) > 244:
		return "the name is longer than 244 characters"
	case !darwinNameRE.MatchString(name):
		return "the name must be lowercase letters, digits, _, - and . (not starting with - or .)"
	}
	return ""
}

// validateDarwin checks what only macOS refuses: the IDs and names
// reserved for its own accounts, and changing a uid.
func (pl *planner) validateDarwin() []error {
	var errs []error
	bad := func(option, hint, format string, args ...any) {
		errs = append(errs, &ConfigError{Option: option, Msg: fmt.Sprintf(format, args...), Hint: hint})
	}
	for _, name := range sortedKeys(pl.want.users) {
		u, opt := pl.want.users[name], "users."+name
		if pl.validName(name) != "" {
			continue
		}
		live, exists := pl.db.User(name)
		switch {
		case exists && u.UID != nil && *u.UID != live.UID:
			bad(opt+".uid", fmt.Sprintf("leave users.%s.uid unset, or set it to %d", name, live.UID),
				"%s has uid %d; gocfg does not change the uid of an existing macOS user (its files would keep the old one)", name, live.UID)
		case exists:
		case strings.HasPrefix(name, "_"):
			bad(opt, "name it without the leading _", "%q: names starting with _ are macOS's own system accounts, which gocfg does not create", name)
		case u.UID != nil && *u.UID >= 0 && *u.UID <= lastSystemID:
			bad(opt+".uid", fmt.Sprintf("use %d or above, or leave it unset to let gocfg pick the first free one", firstDarwinID),
				"uid %d is reserved: macOS's own accounts are below 500 and its first user is 501, and gocfg never deletes an account with a uid of 501 or below", *u.UID)
		}
	}
	for _, name := range sortedKeys(pl.want.groups) {
		g, opt := pl.want.groups[name], "groups."+name
		if pl.validName(name) != "" {
			continue
		}
		live, exists := pl.db.Group(name)
		switch {
		case exists && g.GID != nil && *g.GID != live && (live <= lastSystemID || *g.GID <= lastSystemID):
			bad(opt+".gid", fmt.Sprintf("leave groups.%s.gid unset, or set it to %d", name, live),
				"%s has gid %d; gocfg does not change a gid of 501 or below, nor to one (macOS's own groups)", name, live)
		case exists:
		case strings.HasPrefix(name, "_"):
			bad(opt, "name it without the leading _", "%q: names starting with _ are macOS's own system groups, which gocfg does not create", name)
		case g.GID != nil && *g.GID >= 0 && *g.GID <= lastSystemID:
			bad(opt+".gid", fmt.Sprintf("use %d or above, or leave it unset to let gocfg pick the first free one", firstDarwinID),
				"gid %d is reserved for macOS's own groups; gocfg never deletes a group with a gid of 501 or below", *g.GID)
		}
	}
	return errs
}

// allocateDarwin picks the IDs of the users and groups this plan creates
// on macOS: the one the records name (a rollback) when it is free, else
// the first free one from 502 up.
func (pl *planner) allocateDarwin() error {
	uidPool := newPool(firstDarwinID, maxDarwinID)
	gidPool := newPool(firstDarwinID, maxDarwinID)
	for _, a := range pl.db.Users() {
		uidPool.use(a.UID)
	}
	for _, g := range pl.db.Groups() {
		gidPool.use(g.GID)
	}
	for _, u := range pl.want.users {
		if u.UID != nil {
			uidPool.use(*u.UID)
		}
	}
	for _, g := range pl.want.groups {
		if g.GID != nil {
			gidPool.use(*g.GID)
		}
	}
	pref := func(m map[string]int, name string, a int, ok bool) int {
		if v, found := m[name]; found {
			return v
		}
		if ok {
			return a
		}
		return -1
	}
	for _, name := range sortedKeys(pl.want.users) {
		u := pl.want.users[name]
		if _, exists := pl.db.User(name); exists {
			continue
		}
		if u.UID != nil {
			pl.uids[name] = *u.UID
			continue
		}
		a := pl.appliedUsers[name]
		uid, ok := uidPool.first(pref(pl.want.uid, name, uidOf(a), a != nil))
		if !ok {
			return &ConfigError{Option: "users." + name, Msg: "no free uid from 502 up", Hint: "set users." + name + ".uid"}
		}
		pl.uids[name] = uid
	}
	for _, name := range sortedKeys(pl.want.groups) {
		g := pl.want.groups[name]
		if _, exists := pl.db.Group(name); exists {
			continue
		}
		if g.GID != nil {
			pl.gids[name] = *g.GID
			continue
		}
		a := pl.appliedGroups[name]
		gid, ok := gidPool.first(pref(pl.want.gid, name, gidOf(a), a != nil))
		if !ok {
			return &ConfigError{Option: "groups." + name, Msg: "no free gid from 502 up", Hint: "set groups." + name + ".gid"}
		}
		pl.gids[name] = gid
	}
	return nil
}

func uidOf(a *UserRecord) int {
	if a == nil {
		return -1
	}
	return a.UID
}

func gidOf(a *GroupRecord) int {
	if a == nil {
		return -1
	}
	return a.GID
}

// planHidden hides a declared macOS user (is_hidden), or shows again one
// gocfg hid and no longer should; a user hidden by hand is left alone.
func (pl *planner) planHidden(d *draft, name string, u User, a *UserRecord) {
	live := pl.hidden[name]
	hidBefore := a != nil && a.Config.IsHidden
	switch {
	case u.IsHidden && !live:
		if hidBefore {
			d.drift = append(d.drift, "shown by hand since gocfg hid it")
		}
	case !u.IsHidden && live && hidBefore:
	default:
		return
	}
	d.before = append(d.before, showHidden(live))
	d.after = append(d.after, showHidden(u.IsHidden))
	d.ch.Ops = append(d.ch.Ops, &DarwinHiddenOp{Name: name, Hidden: u.IsHidden})
}

func showHidden(h bool) string {
	if h {
		return "hidden"
	}
	return "shown"
}

// darwinOp turns an op the shared planner built into its macOS
// counterpart.
func (pl *planner) darwinOp(op platform.Op) platform.Op {
	switch o := op.(type) {
	case *UserAddOp:
		n := &DarwinUserAddOp{Name: o.Name, UID: o.UID, Home: o.Home, CreateHome: o.CreateHome, RealName: o.GECOS, Shell: o.Shell,
			Hidden: pl.want.users[o.Name].IsHidden}
		for _, g := range o.Groups {
			if g == "admin" {
				n.Admin = true
			} else {
				n.Groups = append(n.Groups, g)
			}
		}
		return n
	case *UserModOp:
		return &DarwinUserModOp{Name: o.Name, RealName: o.GECOS, Shell: o.Shell}
	case *UserDelOp:
		return &DarwinUserDelOp{Name: o.Name, UID: o.UID, GID: o.GID, RealName: o.GECOS, Home: o.Home, Shell: o.Shell,
			Groups: o.Groups, Hidden: pl.hidden[o.Name]}
	case *GroupAddOp:
		return &DarwinGroupAddOp{Name: o.Name, GID: o.GID}
	case *GroupModOp:
		return &DarwinGroupModOp{Name: o.Name, GID: o.GID, PrevGID: o.PrevGID}
	case *GroupDelOp:
		return &DarwinGroupDelOp{Name: o.Name, GID: o.GID, Members: o.Members}
	case *MemberAddOp:
		return &DarwinMemberAddOp{Group: o.Group, User: o.User}
	case *MemberRemoveOp:
		return &DarwinMemberRemoveOp{Group: o.Group, User: o.User}
	}
	return op
}

// defaultHome is a new user's home folder when users.<name>.home is
// unset.
func (pl *planner) defaultHome(name string) string {
	if pl.mac {
		return "/Users/" + name
	}
	return "/home/" + name
}

// createdHome says how a new user's home folder is made.
func (pl *planner) createdHome() string {
	if pl.mac {
		return " (created by createhomedir)"
	}
	return " (created, 0700)"
}

// moveHomeHint says how to move an existing user's home folder by hand.
func (pl *planner) moveHomeHint(name, home string) string {
	if pl.mac {
		return fmt.Sprintf("move it by hand (move the folder, then sudo dscl . -create /Users/%s NFSHomeDirectory %s), or leave users.%s.home unset", name, home, name)
	}
	return fmt.Sprintf("move it by hand (usermod --move-home --home %s %s), or leave users.%s.home unset", home, name, name)
}

// badDescription says why the account database cannot hold a
// description ("" when it can): a line break, and on Linux a ':' (the
// passwd field separator).
func (pl *planner) badDescription(s string) string {
	switch {
	case pl.mac && strings.Contains(s, "\n"):
		return "the full name may not contain a line break"
	case !pl.mac && strings.ContainsAny(s, ":\n"):
		return "the comment may not contain ':' or a line break"
	}
	return ""
}

// protectedUser says why gocfg never deletes an account it created ("":
// it may).
func (pl *planner) protectedUser(a accounts.Account) string {
	if !pl.mac {
		if a.UID == 0 || pl.defs.SystemUID(a.UID) {
			return fmt.Sprintf("uid %d is a system account (below UID_MIN %d)", a.UID, pl.defs.UIDMin)
		}
		return ""
	}
	switch {
	case a.Name == "root" || a.UID == 0:
		return "it is root"
	case strings.HasPrefix(a.Name, "_"):
		return "names starting with _ are macOS's own system accounts"
	case pl.l.PrimaryUser != "" && a.Name == pl.l.PrimaryUser:
		return "it is the primary user (macos.primary_user)"
	case a.UID <= lastSystemID:
		return "uid " + strconv.Itoa(a.UID) + " is 501 or below (macOS's own accounts and its first user)"
	}
	return ""
}

// protectedGroup says why gocfg never deletes a group it created ("": it
// may).
func (pl *planner) protectedGroup(g accounts.Group) string {
	if !pl.mac {
		if g.GID == 0 || pl.defs.SystemGID(g.GID) {
			return fmt.Sprintf("gid %d is a system group (below GID_MIN %d)", g.GID, pl.defs.GIDMin)
		}
		return ""
	}
	switch {
	case strings.HasPrefix(g.Name, "_"):
		return "names starting with _ are macOS's own system groups"
	case g.GID <= lastSystemID:
		return "gid " + strconv.Itoa(g.GID) + " is 501 or below (macOS's own groups)"
	}
	return ""
}
