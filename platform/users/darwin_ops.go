package users

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/gocfg/gocfg/platform/accounts"
	"github.com/gocfg/gocfg/platform/macos"
	"github.com/gocfg/gocfg/platform/system"
)

// disabledUser is the AuthenticationAuthority value that disables an
// account's logins (what `pwpolicy -disableuser` adds).
const disabledUser = ";DisabledUser;"

// sysadminctlLine matches the prefix sysadminctl puts on each line it
// logs ("2024-04-29 14:32:47.618 sysadminctl[59582:36005535] ").
var sysadminctlLine = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\d{4}-\d\d-\d\d [0-9:.]+ sysadminctl\[[0-9:]+\] `) })

// said is what sysadminctl printed, for an error: its lines without the
// log prefix and the dashed rules, joined by "; ".
func said(out []byte) string {
	var lines []string
	for _, l := range strings.Split(string(out), "\n") {
		l = strings.TrimSpace(sysadminctlLine().ReplaceAllString(strings.TrimSpace(l), ""))
		if l != "" && strings.Trim(l, "-") != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		return "(nothing)"
	}
	if len(lines) > 6 {
		lines = lines[len(lines)-6:]
	}
	return strings.Join(lines, "; ")
}

// addUser runs `sysadminctl -addUser` and checks with `id -u` that the
// account is there with uid (sysadminctl exits 0 when it fails). An
// account it made with another uid is deleted again.
func addUser(ctx context.Context, sys system.System, name string, uid int, home, realName, shell string, admin bool) error {
	args := []string{"-addUser", name}
	if realName != "" {
		args = append(args, "-fullName", realName)
	}
	args = append(args, "-UID", strconv.Itoa(uid))
	if shell != "" {
		args = append(args, "-shell", shell)
	}
	args = append(args, "-home", home)
	if admin {
		args = append(args, "-admin")
	}
	out, err := darwinRun(ctx, sys, macos.Sysadminctl, args...)
	if err != nil {
		return fmt.Errorf("user %s: %w", name, err)
	}
	got, ok := liveUID(ctx, sys, name)
	switch {
	case !ok:
		return fmt.Errorf("user %s: sysadminctl -addUser did not create it (it exits 0 when it fails; run it by hand to see more); it said: %s", name, said(out))
	case got != uid:
		if _, err := darwinRun(ctx, sys, macos.Sysadminctl, "-deleteUser", name, "-keepHome"); err != nil {
			return fmt.Errorf("user %s: sysadminctl -addUser gave it uid %d, not %d, and deleting it again failed (delete it by hand): %w", name, got, uid, err)
		}
		return fmt.Errorf("user %s: sysadminctl -addUser gave it uid %d, not %d, so it was deleted again; it said: %s", name, got, uid, said(out))
	}
	return nil
}

// deleteUser runs `sysadminctl -deleteUser` and checks with `id -u` that
// the account is gone.
func deleteUser(ctx context.Context, sys system.System, name string, keepHome bool) error {
	args := []string{"-deleteUser", name}
	if keepHome {
		args = append(args, "-keepHome")
	}
	out, err := darwinRun(ctx, sys, macos.Sysadminctl, args...)
	if err != nil {
		return fmt.Errorf("user %s: %w", name, err)
	}
	if _, ok := liveUID(ctx, sys, name); ok {
		return fmt.Errorf("user %s: sysadminctl -deleteUser did not delete it (it exits 0 when it fails; run it by hand to see more); it said: %s", name, said(out))
	}
	return nil
}

// setUserAttr sets one attribute of a user with dscl; "" deletes it.
func setUserAttr(ctx context.Context, sys system.System, name, attr, value string) error {
	if value == "" {
		_, err := darwinRun(ctx, sys, macos.Dscl, ".", "-delete", "/Users/"+name, attr)
		return err
	}
	_, err := darwinRun(ctx, sys, macos.Dscl, ".", "-create", "/Users/"+name, attr, value)
	return err
}

// editMember adds user to group (or removes it) with dseditgroup.
func editMember(ctx context.Context, sys system.System, group, user string, add bool) error {
	flag := "-d"
	if add {
		flag = "-a"
	}
	_, err := darwinRun(ctx, sys, macos.Dseditgroup, "-o", "edit", flag, user, "-t", "user", group)
	return err
}

// editMembers adds user to (add) or removes it from those of groups that
// exist and where it is not so already, with dseditgroup.
func editMembers(ctx context.Context, sys system.System, db *accounts.Database, user string, groups []string, add bool) error {
	for _, g := range groups {
		if ge, ok := db.GroupEntry(g); ok && ge.HasMember(user) != add {
			if err := editMember(ctx, sys, g, user, add); err != nil {
				return err
			}
		}
	}
	return nil
}

// setHidden hides a user from the login window (dscl IsHidden 1) or
// shows it again (IsHidden deleted).
func setHidden(ctx context.Context, sys system.System, name string, hidden bool) error {
	if hidden {
		return setUserAttr(ctx, sys, name, "IsHidden", "1")
	}
	return setUserAttr(ctx, sys, name, "IsHidden", "")
}

// setGroupGID sets a group record's gid (dscl PrimaryGroupID), making
// the record if there is none.
func setGroupGID(ctx context.Context, sys system.System, name string, gid int) error {
	_, err := darwinRun(ctx, sys, macos.Dscl, ".", "-create", "/Groups/"+name, "PrimaryGroupID", strconv.Itoa(gid))
	return err
}

// createGroup makes a group record with its gid and RealName.
func createGroup(ctx context.Context, sys system.System, name string, gid int) error {
	if err := setGroupGID(ctx, sys, name, gid); err != nil {
		return err
	}
	_, err := darwinRun(ctx, sys, macos.Dscl, ".", "-create", "/Groups/"+name, "RealName", name)
	return err
}

// DarwinUserAddOp creates a macOS user with sysadminctl -addUser
// (verified with id), then hides it (dscl IsHidden), adds it to its
// groups (dseditgroup) and makes its home folder (createhomedir).
type DarwinUserAddOp struct {
	Name       string  `json:"name"`
	UID        int     `json:"uid"`
	Home       string  `json:"home"`
	CreateHome bool    `json:"create_home,omitempty"`
	RealName   *string `json:"real_name,omitempty"`
	Shell      *string `json:"shell,omitempty"`
	// Admin: a member of admin (sysadminctl -admin).
	Admin bool `json:"admin,omitempty"`
	// Groups are the other supplementary groups.
	Groups []string `json:"groups,omitempty"`
	Hidden bool     `json:"hidden,omitempty"`
}

// Describe says what the op does.
func (o *DarwinUserAddOp) Describe() string { return "create user " + o.Name }

// Apply creates the user, refusing when the name or uid is taken.
func (o *DarwinUserAddOp) Apply(ctx context.Context, sys system.System) error {
	a, err := readDarwin(ctx, sys)
	if err != nil {
		return err
	}
	if err := userFree(a.db, o.Name, o.UID); err != nil {
		return err
	}
	if err := addUser(ctx, sys, o.Name, o.UID, o.Home, deref(o.RealName), deref(o.Shell), o.Admin); err != nil {
		return err
	}
	if o.Hidden {
		if err := setHidden(ctx, sys, o.Name, true); err != nil {
			return err
		}
	}
	for _, g := range o.Groups {
		if err := editMember(ctx, sys, g, o.Name, true); err != nil {
			return err
		}
	}
	if o.CreateHome {
		if _, err := darwinRun(ctx, sys, Createhomedir, "-c", "-u", o.Name); err != nil {
			return err
		}
	}
	return nil
}

// Undo deletes the user if it is the one the op made (same uid and
// home), with the home folder when the op made it, after taking it out
// of the groups the op put it in.
func (o *DarwinUserAddOp) Undo(ctx context.Context, sys system.System) error {
	a, err := readDarwin(ctx, sys)
	if err != nil {
		return err
	}
	u, ok := a.db.User(o.Name)
	if !ok || u.UID != o.UID || u.Home != o.Home {
		return nil
	}
	groups := o.Groups
	if o.Admin {
		groups = append([]string{"admin"}, groups...)
	}
	if err := editMembers(ctx, sys, a.db, o.Name, groups, false); err != nil {
		return err
	}
	return deleteUser(ctx, sys, o.Name, !o.CreateHome)
}

// DarwinUserModOp changes a macOS user's RealName and UserShell with
// `dscl . -create` (an empty value before: Undo deletes the attribute).
type DarwinUserModOp struct {
	Name     string     `json:"name"`
	RealName *StrChange `json:"real_name,omitempty"`
	Shell    *StrChange `json:"shell,omitempty"`
}

// Describe says what the op does.
func (o *DarwinUserModOp) Describe() string { return "change user " + o.Name }

type attrChange struct {
	attr string
	c    *StrChange
	live string
}

func (o *DarwinUserModOp) changes(gecos, shell string) []attrChange {
	return []attrChange{{"RealName", o.RealName, gecos}, {"UserShell", o.Shell, shell}}
}

// Apply changes the attributes that are still as planned, refusing
// (having changed nothing) when one changed since the plan.
func (o *DarwinUserModOp) Apply(ctx context.Context, sys system.System) error {
	a, err := readDarwin(ctx, sys)
	if err != nil {
		return err
	}
	u, ok := a.db.User(o.Name)
	if !ok {
		return changed("user %s does not exist", o.Name)
	}
	var todo []attrChange
	for _, ch := range o.changes(u.GECOS, u.Shell) {
		if ch.c == nil || ch.live == ch.c.To {
			continue
		}
		if ch.live != ch.c.From {
			return changed("the %s of user %s is %q", ch.attr, o.Name, ch.live)
		}
		todo = append(todo, ch)
	}
	for _, ch := range todo {
		if err := setUserAttr(ctx, sys, o.Name, ch.attr, ch.c.To); err != nil {
			return err
		}
	}
	return nil
}

// Undo puts back the attributes that still have the op's values.
func (o *DarwinUserModOp) Undo(ctx context.Context, sys system.System) error {
	a, err := readDarwin(ctx, sys)
	if err != nil {
		return err
	}
	u, ok := a.db.User(o.Name)
	if !ok {
		return nil
	}
	for _, ch := range o.changes(u.GECOS, u.Shell) {
		if ch.c == nil || ch.c.From == ch.c.To || ch.live != ch.c.To {
			continue
		}
		if err := setUserAttr(ctx, sys, o.Name, ch.attr, ch.c.From); err != nil {
			return err
		}
	}
	return nil
}

// DarwinHiddenOp hides a macOS user (`dscl . -create /Users/<name>
// IsHidden 1`) or shows it again (`dscl . -delete ... IsHidden`).
type DarwinHiddenOp struct {
	Name   string `json:"name"`
	Hidden bool   `json:"hidden"`
}

// Describe says what the op does.
func (o *DarwinHiddenOp) Describe() string {
	if o.Hidden {
		return "hide user " + o.Name
	}
	return "show user " + o.Name
}

// Apply hides or shows the user.
func (o *DarwinHiddenOp) Apply(ctx context.Context, sys system.System) error {
	a, err := readDarwin(ctx, sys)
	if err != nil {
		return err
	}
	if _, ok := a.db.User(o.Name); !ok {
		return changed("user %s does not exist", o.Name)
	}
	if a.hidden[o.Name] == o.Hidden {
		return nil
	}
	return setHidden(ctx, sys, o.Name, o.Hidden)
}

// Undo puts the other state back if the user still has the op's.
func (o *DarwinHiddenOp) Undo(ctx context.Context, sys system.System) error {
	a, err := readDarwin(ctx, sys)
	if err != nil {
		return err
	}
	if _, ok := a.db.User(o.Name); !ok || a.hidden[o.Name] != o.Hidden {
		return nil
	}
	return setHidden(ctx, sys, o.Name, !o.Hidden)
}

// DarwinUserDelOp deletes a macOS user gocfg created: out of its groups
// (dseditgroup), then `sysadminctl -deleteUser <name> -keepHome`
// (verified with id). It keeps what Undo needs to make the account
// again.
type DarwinUserDelOp struct {
	Name     string   `json:"name"`
	UID      int      `json:"uid"`
	GID      int      `json:"gid"`
	RealName string   `json:"real_name"`
	Home     string   `json:"home"`
	Shell    string   `json:"shell"`
	Groups   []string `json:"groups,omitempty"`
	Hidden   bool     `json:"hidden,omitempty"`
}

// Describe says what the op does.
func (o *DarwinUserDelOp) Describe() string { return "delete user " + o.Name }

// Apply deletes the user if it still has the planned uid.
func (o *DarwinUserDelOp) Apply(ctx context.Context, sys system.System) error {
	a, err := readDarwin(ctx, sys)
	if err != nil {
		return err
	}
	if err := userHasUID(a.db, o.Name, o.UID); err != nil {
		return err
	}
	if err := editMembers(ctx, sys, a.db, o.Name, o.Groups, false); err != nil {
		return err
	}
	return deleteUser(ctx, sys, o.Name, true)
}

// Undo makes the account again with the same uid, home, shell, primary
// group and groups, if it is gone and the uid is free, but with logins
// disabled (AuthenticationAuthority ;DisabledUser;): its password is not
// kept. A user Apply did not get to delete gets its groups back.
func (o *DarwinUserDelOp) Undo(ctx context.Context, sys system.System) error {
	a, err := readDarwin(ctx, sys)
	if err != nil {
		return err
	}
	if _, ok := a.db.User(o.Name); !ok {
		if _, taken := a.db.UserByUID(o.UID); taken {
			return nil
		}
		if err := addUser(ctx, sys, o.Name, o.UID, o.Home, o.RealName, o.Shell, false); err != nil {
			return err
		}
		if _, err := darwinRun(ctx, sys, macos.Dscl, ".", "-append", "/Users/"+o.Name, "AuthenticationAuthority", disabledUser); err != nil {
			return err
		}
		if o.GID != staffGID {
			if err := setUserAttr(ctx, sys, o.Name, "PrimaryGroupID", strconv.Itoa(o.GID)); err != nil {
				return err
			}
		}
		if o.Hidden {
			if err := setHidden(ctx, sys, o.Name, true); err != nil {
				return err
			}
		}
	}
	return editMembers(ctx, sys, a.db, o.Name, o.Groups, true)
}

// DarwinGroupAddOp creates a macOS group: `dscl . -create
// /Groups/<name> PrimaryGroupID <gid>`, and its RealName.
type DarwinGroupAddOp struct {
	Name string `json:"name"`
	GID  int    `json:"gid"`
}

// Describe says what the op does.
func (o *DarwinGroupAddOp) Describe() string { return "create group " + o.Name }

// Apply creates the group, refusing when the name or gid is taken.
func (o *DarwinGroupAddOp) Apply(ctx context.Context, sys system.System) error {
	a, err := readDarwin(ctx, sys)
	if err != nil {
		return err
	}
	if err := groupFree(a.db, o.Name, o.GID); err != nil {
		return err
	}
	return createGroup(ctx, sys, o.Name, o.GID)
}

// Undo deletes the group if it has the op's gid, no members and is no
// user's primary group.
func (o *DarwinGroupAddOp) Undo(ctx context.Context, sys system.System) error {
	a, err := readDarwin(ctx, sys)
	if err != nil {
		return err
	}
	if !unusedGroup(a.db, o.Name, o.GID) {
		return nil
	}
	_, err = darwinRun(ctx, sys, macos.Dscl, ".", "-delete", "/Groups/"+o.Name)
	return err
}

// DarwinGroupModOp changes a macOS group's gid (`dscl . -create
// /Groups/<name> PrimaryGroupID <gid>`).
type DarwinGroupModOp struct {
	Name    string `json:"name"`
	GID     int    `json:"gid"`
	PrevGID int    `json:"prev_gid"`
}

// Describe says what the op does.
func (o *DarwinGroupModOp) Describe() string { return "change group " + o.Name }

// Apply changes the gid if it is still the planned one.
func (o *DarwinGroupModOp) Apply(ctx context.Context, sys system.System) error {
	a, err := readDarwin(ctx, sys)
	if err != nil {
		return err
	}
	if todo, err := regroup(a.db, o.Name, o.GID, o.PrevGID); !todo {
		return err
	}
	return setGroupGID(ctx, sys, o.Name, o.GID)
}

// Undo puts the previous gid back if the group still has the op's.
func (o *DarwinGroupModOp) Undo(ctx context.Context, sys system.System) error {
	a, err := readDarwin(ctx, sys)
	if err != nil {
		return err
	}
	if !regroupBack(a.db, o.Name, o.GID, o.PrevGID) {
		return nil
	}
	return setGroupGID(ctx, sys, o.Name, o.PrevGID)
}

// DarwinGroupDelOp deletes a macOS group gocfg created (`dscl . -delete
// /Groups/<name>`), keeping its members for Undo.
type DarwinGroupDelOp struct {
	Name    string   `json:"name"`
	GID     int      `json:"gid"`
	Members []string `json:"members,omitempty"`
}

// Describe says what the op does.
func (o *DarwinGroupDelOp) Describe() string { return "delete group " + o.Name }

// Apply deletes the group if it still has the planned gid.
func (o *DarwinGroupDelOp) Apply(ctx context.Context, sys system.System) error {
	a, err := readDarwin(ctx, sys)
	if err != nil {
		return err
	}
	if err := groupHasGID(a.db, o.Name, o.GID); err != nil {
		return err
	}
	_, err = darwinRun(ctx, sys, macos.Dscl, ".", "-delete", "/Groups/"+o.Name)
	return err
}

// Undo makes the group again with its gid and members, if it is gone and
// the gid is free.
func (o *DarwinGroupDelOp) Undo(ctx context.Context, sys system.System) error {
	a, err := readDarwin(ctx, sys)
	if err != nil {
		return err
	}
	if !groupRestorable(a.db, o.Name, o.GID) {
		return nil
	}
	if err := createGroup(ctx, sys, o.Name, o.GID); err != nil {
		return err
	}
	for _, m := range o.Members {
		if _, ok := a.db.User(m); ok {
			if err := editMember(ctx, sys, o.Name, m, true); err != nil {
				return err
			}
		}
	}
	return nil
}

// DarwinMemberAddOp adds a user to a macOS group (`dseditgroup -o edit
// -a <user> -t user <group>`).
type DarwinMemberAddOp darwinMemberChange

// A darwinMemberChange is what DarwinMemberAddOp adds and
// DarwinMemberRemoveOp removes: User as a member of Group.
type darwinMemberChange struct {
	Group string `json:"group"`
	User  string `json:"user"`
}

// set makes User a member of Group or not, as darwinSetMember does.
func (c *darwinMemberChange) set(ctx context.Context, sys system.System, member, strict bool) error {
	return darwinSetMember(ctx, sys, c.Group, c.User, member, strict)
}

// Describe says what the op does.
func (o *DarwinMemberAddOp) Describe() string { return "add " + o.User + " to group " + o.Group }

// Apply adds the membership, refusing when it is there already.
func (o *DarwinMemberAddOp) Apply(ctx context.Context, sys system.System) error {
	return (*darwinMemberChange)(o).set(ctx, sys, true, true)
}

// Undo removes the membership if it is there.
func (o *DarwinMemberAddOp) Undo(ctx context.Context, sys system.System) error {
	return (*darwinMemberChange)(o).set(ctx, sys, false, false)
}

// DarwinMemberRemoveOp removes a user from a macOS group (`dseditgroup
// -o edit -d <user> -t user <group>`).
type DarwinMemberRemoveOp darwinMemberChange

// Describe says what the op does.
func (o *DarwinMemberRemoveOp) Describe() string {
	return "remove " + o.User + " from group " + o.Group
}

// Apply removes the membership, refusing when it is gone already.
func (o *DarwinMemberRemoveOp) Apply(ctx context.Context, sys system.System) error {
	return (*darwinMemberChange)(o).set(ctx, sys, false, true)
}

// Undo adds the membership back if the user and group exist.
func (o *DarwinMemberRemoveOp) Undo(ctx context.Context, sys system.System) error {
	return (*darwinMemberChange)(o).set(ctx, sys, true, false)
}

// darwinSetMember is setMember's macOS twin, with dseditgroup, as
// memberStep decides (strict: an Apply).
func darwinSetMember(ctx context.Context, sys system.System, group, user string, member, strict bool) error {
	a, err := readDarwin(ctx, sys)
	if err != nil {
		return err
	}
	if todo, err := memberStep(a.db, group, user, member, strict); !todo {
		return err
	}
	return editMember(ctx, sys, group, user, member)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
