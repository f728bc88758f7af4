package users

import (
	"fmt"

	"github.com/gocfg/gocfg/platform/accounts"
)

// What an op decides from the account database before it changes
// anything. The Linux ops (ops.go, with shadow's tools) and the macOS ops
// (darwin_ops.go, with sysadminctl, dscl and dseditgroup) decide alike:
// only the tools they then run differ.

// userFree refuses, as changed since the plan, a user name or uid that
// is taken: what creating the user needs.
func userFree(db *accounts.Database, name string, uid int) error {
	if _, ok := db.User(name); ok {
		return changed("user %s exists already", name)
	}
	if a, ok := db.UserByUID(uid); ok {
		return changed("uid %d belongs to %s", uid, a.Name)
	}
	return nil
}

// groupFree refuses, as changed since the plan, a group name or gid that
// is taken: what creating the group needs.
func groupFree(db *accounts.Database, name string, gid int) error {
	if _, ok := db.Group(name); ok {
		return changed("group %s exists already", name)
	}
	if g, ok := db.GroupByGID(gid); ok {
		return changed("gid %d belongs to %s", gid, g.Name)
	}
	return nil
}

// userHasUID refuses, as changed since the plan, a user that is gone or
// has another uid than the planned one: what deleting the user needs.
func userHasUID(db *accounts.Database, name string, uid int) error {
	a, ok := db.User(name)
	if !ok {
		return changed("user %s does not exist", name)
	}
	if a.UID != uid {
		return changed("user %s has uid %d, not %d", name, a.UID, uid)
	}
	return nil
}

// groupHasGID refuses, as changed since the plan, a group that is gone or
// has another gid than the planned one: what deleting the group needs.
func groupHasGID(db *accounts.Database, name string, gid int) error {
	got, ok := db.Group(name)
	if !ok {
		return changed("group %s does not exist", name)
	}
	if got != gid {
		return changed("group %s has gid %d, not %d", name, got, gid)
	}
	return nil
}

// unusedGroup reports whether group name is there with gid, has no
// members and is no user's primary group: a group gocfg made that it may
// delete again.
func unusedGroup(db *accounts.Database, name string, gid int) bool {
	g, ok := db.GroupEntry(name)
	if !ok || g.GID != gid || len(g.Members) > 0 {
		return false
	}
	_, used := primaryOf(db, g.GID)
	return !used
}

// groupRestorable reports whether group name is gone and gid free, so
// that an Undo may make the group again.
func groupRestorable(db *accounts.Database, name string, gid int) bool {
	_, named := db.Group(name)
	_, taken := db.GroupByGID(gid)
	return !named && !taken
}

// regroup decides the Apply of a gid change prev → gid: whether to change
// it (false when the group has gid already), refusing a group that is
// gone, has a gid other than prev, or whose new gid is taken.
func regroup(db *accounts.Database, name string, gid, prev int) (bool, error) {
	got, ok := db.Group(name)
	switch {
	case !ok:
		return false, changed("group %s does not exist", name)
	case got == gid:
		return false, nil
	case got != prev:
		return false, changed("group %s has gid %d", name, got)
	}
	if g, ok := db.GroupByGID(gid); ok {
		return false, changed("gid %d belongs to %s", gid, g.Name)
	}
	return true, nil
}

// regroupBack decides the Undo of a gid change prev → gid: whether the
// group still has gid and prev is free to put back.
func regroupBack(db *accounts.Database, name string, gid, prev int) bool {
	if got, ok := db.Group(name); !ok || got != gid || gid == prev {
		return false
	}
	_, taken := db.GroupByGID(prev)
	return !taken
}

// memberStep decides whether to make user a member of group (member) or
// not. When strict (an Apply), a membership already as wanted means the
// machine changed since the plan and is refused; otherwise (an Undo) it is
// left as it is, as is a missing group or, when adding, a missing user.
func memberStep(db *accounts.Database, group, user string, member, strict bool) (bool, error) {
	g, ok := db.GroupEntry(group)
	switch {
	case !ok && strict && member:
		return false, fmt.Errorf("group %s does not exist", group)
	case !ok && strict:
		return false, changed("%s is not a member of group %s", user, group)
	case !ok:
		return false, nil
	case g.HasMember(user) == member && strict && member:
		return false, changed("%s is a member of group %s already", user, group)
	case g.HasMember(user) == member && strict:
		return false, changed("%s is not a member of group %s", user, group)
	case g.HasMember(user) == member:
		return false, nil
	}
	if _, ok := db.User(user); member && !ok && !strict {
		return false, nil
	}
	return true, nil
}
