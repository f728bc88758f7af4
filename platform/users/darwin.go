package users

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/accounts"
	"github.com/gocfg/gocfg/platform/machine"
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

// darwinBackend is the account system of macOS: the local directory,
// read with dscl and changed with sysadminctl, dscl and dseditgroup
// (darwin_ops.go), with macOS's names, IDs and primary group.
type darwinBackend struct {
	l *machine.Machine
	// primary is macos.primary_user: never deleted.
	primary string
}

var _ backend = (*darwinBackend)(nil)

// open reads the local directory (dscl) and /etc/shells.
func (b *darwinBackend) open(ctx context.Context) (*liveAccounts, string, error) {
	l := b.l
	switch {
	case l.Offline:
		return nil, "making macOS accounts in an offline tree (--root) is not built: they live in the local directory (/var/db/dslocal), which only a running Mac's opendirectoryd writes; skipped", nil
	case !l.Privileged:
		return nil, "needs root (sysadminctl and dscl change the local directory); skipped", nil
	}
	live, err := readDarwin(ctx, l.Reader())
	if err != nil {
		return nil, "", err
	}
	shells, err := accounts.ReadShells(l.Sys)
	if err != nil {
		return nil, "", err
	}
	live.shells = shells
	return live, "", nil
}

func (*darwinBackend) check(context.Context, bool) string { return "" }

// darwinNameRE is macOS's rule for short names: lowercase letters,
// digits, _, - and ., not starting with - or ..
var darwinNameRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9_][a-z0-9_.-]*$`) })

// validName says why name is not a valid macOS short name ("" when it
// is).
func (*darwinBackend) validName(name string) string {
	if why := NameProblem(name); why != "" {
		return why
	}
	switch {
	case len(name) > 244:
		return "the name is longer than 244 characters"
	case !darwinNameRE().MatchString(name):
		return "the name must be lowercase letters, digits, _, - and . (not starting with - or .)"
	}
	return ""
}

// badDescription refuses a line break in a RealName.
func (*darwinBackend) badDescription(s string) string {
	if strings.Contains(s, "\n") {
		return "the full name may not contain a line break"
	}
	return ""
}

// validate checks what only macOS refuses: the IDs and names reserved
// for its own accounts, and changing a uid.
func (b *darwinBackend) validate(want wanted, db *accounts.Database) []error {
	var ps problems
	for _, name := range sortedKeys(want.users) {
		if b.validName(name) == "" {
			b.validateUser(&ps, name, want.users[name], db)
		}
	}
	for _, name := range sortedKeys(want.groups) {
		if b.validName(name) == "" {
			b.validateGroup(&ps, name, want.groups[name], db)
		}
	}
	return ps
}

func (b *darwinBackend) validateUser(ps *problems, name string, u User, db *accounts.Database) {
	opt := userOption(name)
	live, exists := db.User(name)
	switch {
	case exists && u.UID != nil && *u.UID != live.UID:
		ps.add(userOption(name, "uid"), fmt.Sprintf("leave %s unset, or set it to %d", userOption(name, "uid"), live.UID),
			"%s has uid %d; gocfg does not change the uid of an existing macOS user (its files would keep the old one)", name, live.UID)
	case exists:
	case strings.HasPrefix(name, "_"):
		ps.add(opt, "name it without the leading _", "%q: names starting with _ are macOS's own system accounts, which gocfg does not create", name)
	case u.UID != nil && *u.UID >= 0 && *u.UID <= lastSystemID:
		ps.add(userOption(name, "uid"), fmt.Sprintf("use %d or above, or leave it unset to let gocfg pick the first free one", firstDarwinID),
			"uid %d is reserved: macOS's own accounts are below 500 and its first user is 501, and gocfg never deletes an account with a uid of 501 or below", *u.UID)
	}
}

func (b *darwinBackend) validateGroup(ps *problems, name string, g Group, db *accounts.Database) {
	opt := groupOption(name)
	live, exists := db.Group(name)
	switch {
	case exists && g.GID != nil && *g.GID != live && (live <= lastSystemID || *g.GID <= lastSystemID):
		ps.add(groupOption(name, "gid"), fmt.Sprintf("leave %s unset, or set it to %d", groupOption(name, "gid"), live),
			"%s has gid %d; gocfg does not change a gid of 501 or below, nor to one (macOS's own groups)", name, live)
	case exists:
	case strings.HasPrefix(name, "_"):
		ps.add(opt, "name it without the leading _", "%q: names starting with _ are macOS's own system groups, which gocfg does not create", name)
	case g.GID != nil && *g.GID >= 0 && *g.GID <= lastSystemID:
		ps.add(groupOption(name, "gid"), fmt.Sprintf("use %d or above, or leave it unset to let gocfg pick the first free one", firstDarwinID),
			"gid %d is reserved for macOS's own groups; gocfg never deletes a group with a gid of 501 or below", *g.GID)
	}
}

// pools are macOS's: the first free ID from 502 up (the recorded one on
// a rollback).
func (*darwinBackend) pools() (uids, gids *idPool) {
	uids, gids = newPool(firstDarwinID, maxDarwinID), newPool(firstDarwinID, maxDarwinID)
	uids.lowest, gids.lowest = true, true
	uids.span, gids.span = "from 502 up", "from 502 up"
	return uids, gids
}

// sharedGroup is staff, sysadminctl's primary group for every user.
func (*darwinBackend) sharedGroup() (accounts.Group, bool) {
	return accounts.Group{Name: "staff", GID: staffGID}, true
}

func (*darwinBackend) hiding() bool { return true }

// passwords: no (sysadminctl takes a password, not a hash; the module
// warns that hashed_password is Linux only).
func (*darwinBackend) passwords() bool { return false }

func (*darwinBackend) defaultHome(name string) string { return "/Users/" + name }

func (*darwinBackend) createdHome() string { return " (created by createhomedir)" }

func (*darwinBackend) moveHomeHint(name, home string) string {
	return fmt.Sprintf("move it by hand (move the folder, then sudo dscl . -create /Users/%s NFSHomeDirectory %s), or leave users.%s.home unset", name, home, name)
}

// protectedUser: root, macOS's own accounts (_name, a uid of 501 or
// below) and the primary user.
func (b *darwinBackend) protectedUser(a accounts.Account) string {
	switch {
	case a.Name == "root" || a.UID == 0:
		return "it is root"
	case strings.HasPrefix(a.Name, "_"):
		return "names starting with _ are macOS's own system accounts"
	case b.primary != "" && a.Name == b.primary:
		return "it is the primary user (macos.primary_user)"
	case a.UID <= lastSystemID:
		return "uid " + strconv.Itoa(a.UID) + " is 501 or below (macOS's own accounts and its first user)"
	}
	return ""
}

// sessions: none known; sysadminctl's own refusal speaks for a user
// logged in.
func (*darwinBackend) sessions(context.Context, int) string { return "" }

// protectedGroup: macOS's own groups (_name, a gid of 501 or below).
func (*darwinBackend) protectedGroup(g accounts.Group) string {
	switch {
	case strings.HasPrefix(g.Name, "_"):
		return "names starting with _ are macOS's own system groups"
	case g.GID <= lastSystemID:
		return "gid " + strconv.Itoa(g.GID) + " is 501 or below (macOS's own groups)"
	}
	return ""
}

// addUser: admin is sysadminctl's -admin, the other groups dseditgroup.
func (*darwinBackend) addUser(s userAdd) platform.Op {
	o := &DarwinUserAddOp{Name: s.Name, UID: s.UID, Home: s.Home, CreateHome: s.CreateHome, RealName: s.GECOS, Shell: s.Shell, Hidden: s.Hidden}
	for _, g := range s.Groups {
		if g == "admin" {
			o.Admin = true
		} else {
			o.Groups = append(o.Groups, g)
		}
	}
	return o
}

// changeUser: the uid of an existing macOS user is never changed
// (validate refuses it).
func (*darwinBackend) changeUser(s userChange) platform.Op {
	return &DarwinUserModOp{Name: s.Name, RealName: s.GECOS, Shell: s.Shell}
}

func (*darwinBackend) hideUser(s userHide) platform.Op {
	return &DarwinHiddenOp{Name: s.Name, Hidden: s.Hidden}
}

// deleteUser: macOS users have no group of their own.
func (*darwinBackend) deleteUser(s userDel) platform.Op {
	return &DarwinUserDelOp{Name: s.Name, UID: s.UID, GID: s.GID, RealName: s.GECOS, Home: s.Home, Shell: s.Shell,
		Groups: s.Groups, Hidden: s.Hidden}
}

func (*darwinBackend) addGroup(s groupAdd) platform.Op {
	return &DarwinGroupAddOp{Name: s.Name, GID: s.GID}
}

func (*darwinBackend) changeGroup(s groupChange) platform.Op {
	return &DarwinGroupModOp{Name: s.Name, GID: s.GID, PrevGID: s.PrevGID}
}

func (*darwinBackend) deleteGroup(s groupDel) platform.Op {
	return &DarwinGroupDelOp{Name: s.Name, GID: s.GID, Members: s.Members}
}

func (*darwinBackend) addMember(m Membership) platform.Op {
	return &DarwinMemberAddOp{Group: m.Group, User: m.User}
}

func (*darwinBackend) removeMember(m Membership) platform.Op {
	return &DarwinMemberRemoveOp{Group: m.Group, User: m.User}
}
