package users

import (
	"context"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/accounts"
)

// A backend is the account system of one OS: how the live accounts are
// read, the rules it puts on names, IDs and homes, and the ops that carry
// out the planner's decisions. The planner (planner.go) takes the same
// decisions for every OS; shadowBackend (Linux, the shadow tools, --root
// aware) and darwinBackend (macOS, dscl, sysadminctl and dseditgroup)
// turn them into ops.
type backend interface {
	// open reads the live accounts; skip, when not "", says why users and
	// groups cannot be planned here (a note; nothing is planned).
	open(ctx context.Context) (live *liveAccounts, skip string, err error)
	// check runs once the plan is made; skip as for open (then the plan
	// is dropped). hasOps: the plan changes something.
	check(ctx context.Context, hasOps bool) (skip string)

	// validName says why name is not a valid user or group name ("": it
	// is).
	validName(name string) string
	// badDescription says why the account database cannot hold a
	// description ("": it can).
	badDescription(s string) string
	// validate checks what only this OS refuses in the declarations.
	validate(want wanted, db *accounts.Database) []error
	// pools returns the pools the IDs of new users and groups come from,
	// with the IDs in use marked.
	pools() (uids, gids *idPool)
	// sharedGroup is the primary group every new user gets (macOS's
	// staff); ok false: each new user gets a group of its own name.
	sharedGroup() (g accounts.Group, ok bool)
	// hiding reports whether accounts can be hidden (users.<name>.is_hidden).
	hiding() bool
	// passwords reports whether gocfg sets passwords
	// (users.<name>.hashed_password).
	passwords() bool
	// defaultHome is a new user's home when users.<name>.home is unset.
	defaultHome(name string) string
	// createdHome says how a new user's home folder is made.
	createdHome() string
	// moveHomeHint says how to move an existing user's home by hand.
	moveHomeHint(name, home string) string
	// protectedUser and protectedGroup say why gocfg never deletes an
	// account it created ("": it may).
	protectedUser(a accounts.Account) string
	protectedGroup(g accounts.Group) string
	// sessions are the IDs of the login sessions of the account uid,
	// whose account the OS's tool does not delete while they last (""
	// none, or not known: the op's own refusal then says so).
	sessions(ctx context.Context, uid int) string

	// The ops that carry out each decision.
	addUser(s userAdd) platform.Op
	changeUser(s userChange) platform.Op
	hideUser(s userHide) platform.Op
	deleteUser(s userDel) platform.Op
	addGroup(s groupAdd) platform.Op
	changeGroup(s groupChange) platform.Op
	deleteGroup(s groupDel) platform.Op
	addMember(m Membership) platform.Op
	removeMember(m Membership) platform.Op
}

// liveAccounts are the accounts of the machine as the planner sees them.
type liveAccounts struct {
	db *accounts.Database
	// hidden holds the users the OS hides (macOS's IsHidden).
	hidden map[string]bool
	// shells are the login shells the machine allows (/etc/shells).
	shells accounts.Shells
}

// A step is one decision of the planner, OS-neutral; op asks the backend
// for the op that carries it out.
type step interface {
	op(b backend) platform.Op
}

// userAdd creates a user.
type userAdd struct {
	Name string
	UID  int
	// Group is the primary group's name; PrivateGID, when set, creates it
	// with the user.
	Group      string
	PrivateGID *int
	Home       string
	CreateHome bool
	GECOS      *string
	Shell      *string
	// Groups are the supplementary groups, sorted.
	Groups []string
	// Hidden: is_hidden, where the backend hides accounts.
	Hidden bool
	// Password is the hash the new account gets (hashed_password; ""
	// none: useradd leaves it locked).
	Password string
}

// userChange changes an existing user's fields.
type userChange struct {
	Name  string
	UID   *IntChange
	GECOS *StrChange
	Shell *StrChange
	// Password changes /etc/shadow's password field (the hashes).
	Password *StrChange
}

// applyTo is the account a as the change leaves it.
func (c userChange) applyTo(a accounts.Account) accounts.Account {
	if c.UID != nil {
		a.UID = c.UID.To
	}
	if c.GECOS != nil {
		a.GECOS = c.GECOS.To
	}
	if c.Shell != nil {
		a.Shell = c.Shell.To
	}
	return a
}

// userHide hides a user or shows it again.
type userHide struct {
	Name   string
	Hidden bool
}

// userDel deletes a user gocfg created, keeping what an undo needs.
type userDel struct {
	Name        string
	UID, GID    int
	GECOS, Home string
	Shell       string
	Groups      []string
	// PrivateGroup is the user's own group, deleted with it ("": none).
	PrivateGroup string
	// Hidden: the user is hidden now (made hidden again by an undo).
	Hidden bool
	// Password is the account's password field in /etc/shadow, for the
	// undo (shadow backend; "" unknown).
	Password string
}

// groupAdd creates a group.
type groupAdd struct {
	Name string
	GID  int
}

// groupChange changes a group's gid.
type groupChange struct {
	Name         string
	GID, PrevGID int
}

// groupDel deletes a group gocfg created, keeping its members.
type groupDel struct {
	Name    string
	GID     int
	Members []string
}

// memberAdd and memberRemove add and remove one membership.
type (
	memberAdd    Membership
	memberRemove Membership
)

func (s *userAdd) op(b backend) platform.Op    { return b.addUser(*s) }
func (s userChange) op(b backend) platform.Op  { return b.changeUser(s) }
func (s userHide) op(b backend) platform.Op    { return b.hideUser(s) }
func (s userDel) op(b backend) platform.Op     { return b.deleteUser(s) }
func (s groupAdd) op(b backend) platform.Op    { return b.addGroup(s) }
func (s groupChange) op(b backend) platform.Op { return b.changeGroup(s) }
func (s groupDel) op(b backend) platform.Op    { return b.deleteGroup(s) }
func (s memberAdd) op(b backend) platform.Op   { return b.addMember(Membership(s)) }
func (s memberRemove) op(b backend) platform.Op {
	return b.removeMember(Membership(s))
}
