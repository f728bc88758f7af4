package users

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/accounts"
	"github.com/gocfg/gocfg/platform/system"
)

// changed is the error of an op that found the machine changed since the
// plan and changed nothing.
func changed(format string, args ...any) error {
	return fmt.Errorf(format+"; changed since the plan was made: %w", append(args, platform.ErrUnchanged)...)
}

// primaryOf reports whether some user has gid as primary group.
func primaryOf(db *accounts.Database, gid int) (string, bool) {
	for _, a := range db.Users() {
		if a.GID == gid {
			return a.Name, true
		}
	}
	return "", false
}

// UserAddOp creates a user with useradd, after its own group (groupadd)
// when PrivateGID is set.
type UserAddOp struct {
	Root string `json:"root,omitempty"`
	Name string `json:"name"`
	UID  int    `json:"uid"`
	// Group is the primary group's name; PrivateGID, when set, creates it
	// first with that gid.
	Group      string   `json:"group"`
	PrivateGID *int     `json:"private_gid,omitempty"`
	Home       string   `json:"home"`
	CreateHome bool     `json:"create_home,omitempty"`
	GECOS      *string  `json:"gecos,omitempty"`
	Shell      *string  `json:"shell,omitempty"`
	Groups     []string `json:"groups,omitempty"`
	// Password is the hash set after useradd (chpasswd --encrypted, on
	// its standard input: never on a command line). Only in the
	// journal, root's and 0600.
	Password string `json:"password,omitempty"`
}

// Describe says what the op does.
func (o *UserAddOp) Describe() string { return "create user " + o.Name }

func (o *UserAddOp) args() []string {
	a := []string{"--uid", strconv.Itoa(o.UID), "--gid", o.Group, "--home-dir", o.Home}
	if o.GECOS != nil {
		a = append(a, "--comment", *o.GECOS)
	}
	if o.Shell != nil {
		a = append(a, "--shell", *o.Shell)
	}
	if len(o.Groups) > 0 {
		a = append(a, "--groups", strings.Join(o.Groups, ","))
	}
	if o.CreateHome {
		a = append(a, "--create-home", "--key", "HOME_MODE=0700")
	} else {
		a = append(a, "--no-create-home")
	}
	return append(a, o.Name)
}

// Apply creates the group and the user, refusing when either exists.
func (o *UserAddOp) Apply(ctx context.Context, sys system.System) error {
	db, err := accounts.Read(sys)
	if err != nil {
		return err
	}
	if err := userFree(db, o.Name, o.UID); err != nil {
		return err
	}
	if o.CreateHome {
		// The plan found no home. One made since (a restore from a
		// backup) would be taken by useradd, and deleted by an undo
		// that could not tell it from the one useradd makes (tester BI).
		if _, err := sys.Lstat(o.Home); err == nil {
			return changed("the home folder %s of user %s exists", o.Home, o.Name)
		}
	}
	if o.PrivateGID != nil {
		if _, ok := db.Group(o.Group); ok {
			return changed("group %s exists already", o.Group)
		}
		if err := tool(ctx, sys, o.Root, "groupadd", "--gid", strconv.Itoa(*o.PrivateGID), o.Group); err != nil {
			return err
		}
	}
	if err := tool(ctx, sys, o.Root, "useradd", o.args()...); err != nil || o.Password == "" {
		return err
	}
	return SetPassword(ctx, sys, o.Root, o.Name, o.Password)
}

// Undo deletes the user if it is the one the op made (same uid, home,
// comment and shell), with the home folder when the op created it and it
// holds only what useradd copied there (homeAsMade), then the group the
// op made if no user has it as primary group. A home that holds more is
// kept, owned by her uid, which gocfg then gives no other account
// (kept_homes.go), and the undo says so (platform.ErrKept): nothing of
// what was written in it is lost.
func (o *UserAddOp) Undo(ctx context.Context, sys system.System) error {
	db, err := accounts.Read(sys)
	if err != nil {
		return err
	}
	var kept error
	if a, ok := db.User(o.Name); ok && a.UID == o.UID && a.Home == o.Home &&
		(o.GECOS == nil || a.GECOS == *o.GECOS) && (o.Shell == nil || a.Shell == *o.Shell) {
		args := []string{o.Name}
		if o.CreateHome {
			var remove bool
			remove, kept = o.homeGoes(sys)
			if remove {
				args = []string{"--remove", o.Name}
			}
		}
		if err := tool(ctx, sys, o.Root, "userdel", args...); err != nil {
			return userBusy(o.Name, err)
		}
		if db, err = accounts.Read(sys); err != nil {
			return err
		}
	}
	if o.PrivateGID != nil && unusedGroup(db, o.Group, *o.PrivateGID) {
		if err := tool(ctx, sys, o.Root, "groupdel", o.Group); err != nil {
			return err
		}
	}
	return kept
}

// homeGoes says whether the undo deletes the home the op made (remove),
// or why it keeps it (kept, a platform.ErrKept; nil when there is no
// home left to delete).
func (o *UserAddOp) homeGoes(sys system.System) (remove bool, kept error) {
	found, what, err := homeAsMade(sys, o.Home, accounts.SkelDir(sys))
	switch {
	case !found:
		return false, nil
	case err != nil:
		return false, fmt.Errorf("%s: the home folder the switch made for %s could not be looked through (%v), so it is kept, owned by uid %d, which gocfg gives no other account while the folder is hers: %w", o.Home, o.Name, err, o.UID, platform.ErrKept)
	case what != "":
		return false, fmt.Errorf("%s: the home folder the switch made for %s holds %s, which useradd did not put there: kept, owned by uid %d, which gocfg gives no other account while the folder is hers: %w", o.Home, o.Name, what, o.UID, platform.ErrKept)
	}
	return true, nil
}

// An IntChange is a numeric field going From → To.
type IntChange struct {
	From int `json:"from"`
	To   int `json:"to"`
}

// A StrChange is a text field going From → To.
type StrChange struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// UserModOp changes a user's uid, comment and shell with usermod.
type UserModOp struct {
	Root  string     `json:"root,omitempty"`
	Name  string     `json:"name"`
	UID   *IntChange `json:"uid,omitempty"`
	GECOS *StrChange `json:"gecos,omitempty"`
	Shell *StrChange `json:"shell,omitempty"`
	// Password changes /etc/shadow's password field, from one hash to
	// another. Only in the journal, root's and 0600.
	Password *StrChange `json:"password,omitempty"`
}

// Describe says what the op does.
func (o *UserModOp) Describe() string { return "change user " + o.Name }

// Apply changes the fields that are still as planned.
func (o *UserModOp) Apply(ctx context.Context, sys system.System) error {
	db, err := accounts.Read(sys)
	if err != nil {
		return err
	}
	a, ok := db.User(o.Name)
	if !ok {
		return changed("user %s does not exist", o.Name)
	}
	var args []string
	if c := o.UID; c != nil && a.UID != c.To {
		if a.UID != c.From {
			return changed("user %s has uid %d", o.Name, a.UID)
		}
		if b, ok := db.UserByUID(c.To); ok {
			return changed("uid %d belongs to %s", c.To, b.Name)
		}
		args = append(args, "--uid", strconv.Itoa(c.To))
	}
	if c := o.GECOS; c != nil && a.GECOS != c.To {
		if a.GECOS != c.From {
			return changed("the comment of user %s is %q", o.Name, a.GECOS)
		}
		args = append(args, "--comment", c.To)
	}
	if c := o.Shell; c != nil && a.Shell != c.To {
		if a.Shell != c.From {
			return changed("the shell of user %s is %s", o.Name, a.Shell)
		}
		args = append(args, "--shell", c.To)
	}
	// A password changed since the plan (passwd) is set anyway: the
	// configuration declares the hash, and refusing would let its
	// user fail every root switch by running passwd while it plans
	// (tester Z).
	if len(args) > 0 {
		if err := tool(ctx, sys, o.Root, "usermod", append(args, o.Name)...); err != nil {
			return uidBusy(o.Name, err)
		}
	}
	if c := o.Password; c != nil && ShadowPassword(sys, o.Name) != c.To {
		return SetPassword(ctx, sys, o.Root, o.Name, c.To)
	}
	return nil
}

// Undo puts back the fields that still have the op's values.
func (o *UserModOp) Undo(ctx context.Context, sys system.System) error {
	db, err := accounts.Read(sys)
	if err != nil {
		return err
	}
	a, ok := db.User(o.Name)
	if !ok {
		return nil
	}
	var args []string
	if c := o.UID; c != nil && c.From != c.To && a.UID == c.To {
		if _, taken := db.UserByUID(c.From); !taken {
			args = append(args, "--uid", strconv.Itoa(c.From))
		}
	}
	if c := o.GECOS; c != nil && c.From != c.To && a.GECOS == c.To {
		args = append(args, "--comment", c.From)
	}
	if c := o.Shell; c != nil && c.From != c.To && a.Shell == c.To {
		args = append(args, "--shell", c.From)
	}
	if len(args) > 0 {
		if err := tool(ctx, sys, o.Root, "usermod", append(args, o.Name)...); err != nil {
			return err
		}
	}
	if c := o.Password; c != nil && c.From != c.To && ShadowPassword(sys, o.Name) == c.To {
		was := c.From
		if was == "" {
			// Empty (or unread at plan time): locked, never made an
			// account without a password.
			was = "!"
		}
		return SetPassword(ctx, sys, o.Root, o.Name, was)
	}
	return nil
}

// SetPassword sets name's password field to hash with chpasswd
// --encrypted, the hash on its standard input (a command line is every
// user's to read).
func SetPassword(ctx context.Context, sys system.System, root, name, hash string) error {
	return toolStdin(ctx, sys, root, []byte(name+":"+hash+"\n"), "chpasswd", "--encrypted")
}

// UserDelOp deletes a user gocfg created (userdel, the home folder kept),
// then its own group when gocfg made that too. It keeps what Undo needs
// to make the account again.
type UserDelOp struct {
	Root   string   `json:"root,omitempty"`
	Name   string   `json:"name"`
	UID    int      `json:"uid"`
	GID    int      `json:"gid"`
	GECOS  string   `json:"gecos"`
	Home   string   `json:"home"`
	Shell  string   `json:"shell"`
	Groups []string `json:"groups,omitempty"`
	// PrivateGroup is the user's own group, deleted with it ("" none).
	PrivateGroup string `json:"private_group,omitempty"`
	// Password is the account's password field in /etc/shadow when the
	// plan was made (a hash, or ! and * for none), which Undo puts back
	// (tester T: an undone deletion left the account locked, its
	// password lost). It is only in the journal, root's and 0600, as
	// /etc/shadow is root's; nothing prints it.
	Password string `json:"password,omitempty"`
}

// Describe says what the op does.
func (o *UserDelOp) Describe() string { return "delete user " + o.Name }

// Apply deletes the user if it still has the planned uid.
func (o *UserDelOp) Apply(ctx context.Context, sys system.System) error {
	db, err := accounts.Read(sys)
	if err != nil {
		return err
	}
	if err := userHasUID(db, o.Name, o.UID); err != nil {
		return err
	}
	if o.Root == "" {
		stopIdleManager(ctx, sys, o.UID)
	}
	if err := tool(ctx, sys, o.Root, "userdel", o.Name); err != nil {
		if o.Root != "" || !letManagerGo(ctx, sys, o.UID, err) {
			return userBusy(o.Name, err)
		}
		if err := tool(ctx, sys, o.Root, "userdel", o.Name); err != nil {
			return userBusy(o.Name, err)
		}
	}
	if o.PrivateGroup == "" {
		return nil
	}
	if db, err = accounts.Read(sys); err != nil {
		return err
	}
	if !unusedGroup(db, o.PrivateGroup, o.GID) {
		return nil // userdel removed it (USERGROUPS_ENAB), or others use it
	}
	return tool(ctx, sys, o.Root, "groupdel", o.PrivateGroup)
}

// Undo makes the group and the account again, with the same IDs, if they
// are gone and their IDs free, with the password it had (chpasswd -e,
// the hash on its standard input; an op of an older journal without
// one leaves the account locked).
func (o *UserDelOp) Undo(ctx context.Context, sys system.System) error {
	db, err := accounts.Read(sys)
	if err != nil {
		return err
	}
	if o.PrivateGroup != "" && groupRestorable(db, o.PrivateGroup, o.GID) {
		if err := tool(ctx, sys, o.Root, "groupadd", "--gid", strconv.Itoa(o.GID), o.PrivateGroup); err != nil {
			return err
		}
	}
	if _, ok := db.User(o.Name); ok {
		return nil
	}
	if _, taken := db.UserByUID(o.UID); taken {
		return nil
	}
	args := []string{"--uid", strconv.Itoa(o.UID), "--gid", strconv.Itoa(o.GID), "--home-dir", o.Home, "--comment", o.GECOS, "--no-create-home"}
	if o.Shell != "" {
		args = append(args, "--shell", o.Shell)
	}
	var groups []string
	for _, g := range o.Groups {
		if _, ok := db.Group(g); ok {
			groups = append(groups, g)
		}
	}
	if len(groups) > 0 {
		args = append(args, "--groups", strings.Join(groups, ","))
	}
	if err := tool(ctx, sys, o.Root, "useradd", append(args, o.Name)...); err != nil || o.Password == "" {
		return err
	}
	return SetPassword(ctx, sys, o.Root, o.Name, o.Password)
}

// GroupAddOp creates a group with groupadd.
type GroupAddOp struct {
	Root string `json:"root,omitempty"`
	Name string `json:"name"`
	GID  int    `json:"gid"`
}

// Describe says what the op does.
func (o *GroupAddOp) Describe() string { return "create group " + o.Name }

// Apply creates the group, refusing when the name or gid is taken.
func (o *GroupAddOp) Apply(ctx context.Context, sys system.System) error {
	db, err := accounts.Read(sys)
	if err != nil {
		return err
	}
	if err := groupFree(db, o.Name, o.GID); err != nil {
		return err
	}
	return tool(ctx, sys, o.Root, "groupadd", "--gid", strconv.Itoa(o.GID), o.Name)
}

// Undo deletes the group if it has the op's gid, no members and is no
// user's primary group.
func (o *GroupAddOp) Undo(ctx context.Context, sys system.System) error {
	db, err := accounts.Read(sys)
	if err != nil {
		return err
	}
	if !unusedGroup(db, o.Name, o.GID) {
		return nil
	}
	return tool(ctx, sys, o.Root, "groupdel", o.Name)
}

// GroupModOp changes a group's gid with groupmod.
type GroupModOp struct {
	Root    string `json:"root,omitempty"`
	Name    string `json:"name"`
	GID     int    `json:"gid"`
	PrevGID int    `json:"prev_gid"`
}

// Describe says what the op does.
func (o *GroupModOp) Describe() string { return "change group " + o.Name }

// Apply changes the gid if it is still the planned one.
func (o *GroupModOp) Apply(ctx context.Context, sys system.System) error {
	db, err := accounts.Read(sys)
	if err != nil {
		return err
	}
	if todo, err := regroup(db, o.Name, o.GID, o.PrevGID); !todo {
		return err
	}
	return tool(ctx, sys, o.Root, "groupmod", "--gid", strconv.Itoa(o.GID), o.Name)
}

// Undo puts the previous gid back if the group still has the op's.
func (o *GroupModOp) Undo(ctx context.Context, sys system.System) error {
	db, err := accounts.Read(sys)
	if err != nil {
		return err
	}
	if !regroupBack(db, o.Name, o.GID, o.PrevGID) {
		return nil
	}
	return tool(ctx, sys, o.Root, "groupmod", "--gid", strconv.Itoa(o.PrevGID), o.Name)
}

// GroupDelOp deletes a group gocfg created (groupdel), keeping its
// members for Undo.
type GroupDelOp struct {
	Root    string   `json:"root,omitempty"`
	Name    string   `json:"name"`
	GID     int      `json:"gid"`
	Members []string `json:"members,omitempty"`
}

// Describe says what the op does.
func (o *GroupDelOp) Describe() string { return "delete group " + o.Name }

// Apply deletes the group if it still has the planned gid.
func (o *GroupDelOp) Apply(ctx context.Context, sys system.System) error {
	db, err := accounts.Read(sys)
	if err != nil {
		return err
	}
	if err := groupHasGID(db, o.Name, o.GID); err != nil {
		return err
	}
	return tool(ctx, sys, o.Root, "groupdel", o.Name)
}

// Undo makes the group again with its gid and members, if it is gone and
// the gid is free.
func (o *GroupDelOp) Undo(ctx context.Context, sys system.System) error {
	db, err := accounts.Read(sys)
	if err != nil {
		return err
	}
	if !groupRestorable(db, o.Name, o.GID) {
		return nil
	}
	if err := tool(ctx, sys, o.Root, "groupadd", "--gid", strconv.Itoa(o.GID), o.Name); err != nil {
		return err
	}
	var members []string
	for _, m := range o.Members {
		if _, ok := db.User(m); ok {
			members = append(members, m)
		}
	}
	if len(members) == 0 {
		return nil
	}
	return tool(ctx, sys, o.Root, "gpasswd", "--members", strings.Join(members, ","), o.Name)
}

// A memberChange is what MemberAddOp adds and MemberRemoveOp removes:
// User as a member of Group.
type memberChange struct {
	Root  string `json:"root,omitempty"`
	Group string `json:"group"`
	User  string `json:"user"`
}

// set makes User a member of Group or not, as setMember does.
func (c *memberChange) set(ctx context.Context, sys system.System, member, strict bool) error {
	return setMember(ctx, sys, c.Root, c.Group, c.User, member, strict)
}

// MemberAddOp adds a user to a group's members (gpasswd -a).
type MemberAddOp memberChange

// Describe says what the op does.
func (o *MemberAddOp) Describe() string { return "add " + o.User + " to group " + o.Group }

// Apply adds the membership, refusing when it is there already.
func (o *MemberAddOp) Apply(ctx context.Context, sys system.System) error {
	return (*memberChange)(o).set(ctx, sys, true, true)
}

// Undo removes the membership if it is there.
func (o *MemberAddOp) Undo(ctx context.Context, sys system.System) error {
	return (*memberChange)(o).set(ctx, sys, false, false)
}

// MemberRemoveOp removes a user from a group's members (gpasswd -d).
type MemberRemoveOp memberChange

// Describe says what the op does.
func (o *MemberRemoveOp) Describe() string { return "remove " + o.User + " from group " + o.Group }

// Apply removes the membership, refusing when it is gone already.
func (o *MemberRemoveOp) Apply(ctx context.Context, sys system.System) error {
	return (*memberChange)(o).set(ctx, sys, false, true)
}

// Undo adds the membership back if the user and group exist and it is
// not there.
func (o *MemberRemoveOp) Undo(ctx context.Context, sys system.System) error {
	return (*memberChange)(o).set(ctx, sys, true, false)
}

// setMember makes user a member of group (member) or not, with gpasswd,
// as memberStep decides (strict: an Apply).
func setMember(ctx context.Context, sys system.System, root, group, user string, member, strict bool) error {
	db, err := accounts.Read(sys)
	if err != nil {
		return err
	}
	if todo, err := memberStep(db, group, user, member, strict); !todo {
		return err
	}
	if !member {
		return tool(ctx, sys, root, "gpasswd", "--delete", user, group)
	}
	return tool(ctx, sys, root, "gpasswd", "--add", user, group)
}
