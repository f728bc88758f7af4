package machine

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/platform/accounts"
	"github.com/gocfg/gocfg/platform/macos"
	"github.com/gocfg/gocfg/platform/system"
)

// A Machine is what every provider knows of the machine it plans for.
type Machine struct {
	// Sys reaches the managed machine: relocated under --root, read-only
	// for plan and status, recorded under --dry-run.
	Sys system.System
	// Query runs the read-only commands of planning (dpkg-query,
	// launchctl print, dscl, scutil --get) even in a dry run; nil means
	// Sys.
	Query system.System
	// Host reads sources in the dotfiles repository on this machine
	// (never relocated); nil means Sys.
	Host system.System

	// Offline: --root is in use: the machine is a tree of files, no
	// command of its own runs (no systemctl, launchctl, hidutil), and
	// every scope is planned. Root is that tree as a host path.
	Offline bool
	Root    string
	// Privileged: gocfg runs as root (ownership applied, every user's
	// scope planned).
	Privileged bool
	// OS is "linux" or "darwin": the platform whose tree is managed.
	OS string
	// User is the invoking user: the only scope of an unprivileged run.
	User string
	// HomeEnv is the invoking user's $HOME ("" when unset).
	HomeEnv string

	// Accounts is the machine's account database as the command read it.
	// The accounts a plan creates are added by the users provider and
	// reach later providers as platform.Facts.
	Accounts *accounts.Database
	// Deleting names the accounts the plan deletes (platform.Facts.Deleted):
	// Owner refuses them.
	Deleting map[string]bool
	// DeletingGroups names the groups the plan deletes
	// (platform.Facts.DeletedGroups).
	DeletingGroups map[string]bool
	// Store is the state folder's generations; Current is the current
	// generation (0: none) and To the one the plan makes current, whose
	// store holds the desired contents.
	Store       *generations.Store
	Current, To int

	// Switch holds the options of the command that apply to every
	// provider.
	Switch Switch

	// Now is the clock (nil: time.Now).
	Now func() time.Time
	// RuntimeDir finds a user's XDG_RUNTIME_DIR (nil: /run/user/<uid>).
	RuntimeDir func(user string, uid int) string
	// LookupMac finds a macOS account (tests; nil: the Accounts, else
	// dscl through Query).
	LookupMac func(ctx context.Context, name string) (macos.User, error)
}

// Switch are the command's options that every provider honours.
type Switch struct {
	// BackupExt, when set, moves unmanaged files in the way to
	// <path><BackupExt> instead of stopping.
	BackupExt string
	// FailFast refuses the whole plan for a conflict in any home instead
	// of leaving that user's files as they are.
	FailFast bool
	// ReportOnly plans for gocfg status: nothing will be applied.
	ReportOnly bool
	// Secrets decrypts age.secrets under --root too (--secrets), with
	// Identities, identity files on this machine (--identity FILE),
	// instead of the tree's.
	Secrets    bool
	Identities []string
	// BestEffort is the boot unit's (gocfg secrets activate): a secret
	// that does not decrypt is left out, with a warning, and the others
	// are written, as agenix does; a switch refuses the plan instead.
	BestEffort bool
	// Hold names users whose home resources (files, secrets, user
	// units, launch agents, preferences) this plan leaves as they are, each with the reason: a
	// switch whose step failed in that user's home is undone and
	// planned again with the user held (DESIGN.md §7: one user's
	// hostile home fails only that user's resources). A provider plans
	// nothing for a held user's home: her records are the current
	// generation's, carried unchanged.
	Hold map[string]string
}

// Held reports whether user's home resources are held (Switch.Hold).
func (s Switch) Held(user string) bool {
	_, ok := s.Hold[user]
	return ok
}

// Holds reports whether a provider leaves user's home resources as they
// are because the switch holds her (Held): not with --fail-fast, not
// for status (ReportOnly), and not when the provider plans from a
// generation's records (fromRecords: a rollback).
func (s Switch) Holds(user string, fromRecords bool) bool {
	return user != "" && s.Held(user) && !s.FailFast && !s.ReportOnly && !fromRecords
}

// HomeArea is the store area of user's files (generations.HomeArea:
// uid and gid the user's, -1 when unknown; privileged when root owns it),
// given to the user's group where the file system has no ACLs only when
// that group is hers alone.
func (m *Machine) HomeArea(user string, uid, gid int, privileged bool) generations.Area {
	a := generations.HomeArea(user, uid, gid, privileged)
	a.ReaderGroupOnly = m.Accounts != nil && m.Accounts.GroupOnlyOf(gid, user)
	return a
}

// Reader is the System that answers questions: Query, else Sys.
func (m *Machine) Reader() system.System {
	if m.Query != nil {
		return m.Query
	}
	return m.Sys
}

// Sources is the System that reads the dotfiles repository: Host, else
// Sys.
func (m *Machine) Sources() system.System {
	if m.Host != nil {
		return m.Host
	}
	return m.Sys
}

// Self is the user gocfg runs as: root when privileged, else User.
func (m *Machine) Self() string {
	if m.Privileged {
		return "root"
	}
	return m.User
}

// Clock returns Now, or time.Now when it is unset.
func (m *Machine) Clock() time.Time {
	if m.Now != nil {
		return m.Now()
	}
	return time.Now()
}

// UserRuntimeDir is RuntimeDir's answer, or /run/user/<uid>.
func (m *Machine) UserRuntimeDir(user string, uid int) string {
	if m.RuntimeDir != nil {
		return m.RuntimeDir(user, uid)
	}
	return "/run/user/" + strconv.Itoa(uid)
}

// LookupMacUser finds a macOS account with LookupMac, else in the
// account database the command read once (dscl . -readall on a Mac, the
// tree's files offline), else with dscl through the Reader; an offline
// tree has no directory service to ask, so there an account it lacks
// gets the macOS defaults (home /Users/<name>, ids unknown, so files keep
// the owner gocfg gives them).
func (m *Machine) LookupMacUser(ctx context.Context, name string) (macos.User, error) {
	if m.LookupMac != nil {
		return m.LookupMac(ctx, name)
	}
	if m.Accounts != nil {
		if a, ok := m.Accounts.User(name); ok {
			return macos.User{Name: name, UID: a.UID, GID: a.GID, Home: a.Home}, nil
		}
	}
	switch {
	case m.Offline:
		return macos.User{Name: name, UID: -1, GID: -1, Home: "/Users/" + name}, nil
	}
	return macos.LookupUser(ctx, m.Reader(), name)
}

// Manages says whether this run manages a user's resources (user ""
// is the system's: /etc, system units): every scope when privileged or
// offline, else only the invoking user's.
func (m *Machine) Manages(user string) bool {
	if m.Privileged || m.Offline {
		return true
	}
	return user != "" && user == m.User
}

// Owner is the UID and GID that own what gocfg makes for a user (-1, -1
// when this run does not set ownership: unprivileged, or offline in a
// tree without an account database). A live machine without the
// account is an error, and so is a tree whose /etc/passwd lacks it.
func (m *Machine) Owner(user string) (int, int, error) {
	if !m.Privileged {
		return -1, -1, nil
	}
	if m.Deleting[user] {
		return 0, 0, fmt.Errorf("user %s is deleted by this switch (no longer declared under users): what gocfg writes for her would be left to her uid, which an account made later may get", user)
	}
	a, ok := m.Accounts.User(user)
	switch {
	case !ok && m.Offline && m.Accounts.HasPasswd():
		// A tree with an account database that lacks her: the home
		// would be root's, which she could never read (tester U).
		return 0, 0, fmt.Errorf("user %s is not in the tree's /etc/passwd", user)
	case !ok && m.Offline:
		return -1, -1, nil
	case !ok:
		return 0, 0, fmt.Errorf("user %s does not exist on this machine", user)
	}
	return a.UID, a.GID, nil
}

// OwnerHint is the hint of Owner's error for user, of the option that
// puts something of hers on the machine: declare her, or, when the
// switch deletes her (reviewer R33: it said "create it first" of an
// account the configuration had just dropped), keep her or drop it too.
// accountOption is her declaration's path (users.<name>).
func (m *Machine) OwnerHint(user, accountOption, option string) string {
	if m.Deleting[user] {
		return "keep " + accountOption + " declared, or remove " + option + " as well"
	}
	return "declare the user under " + accountOption + " or create it first"
}

// OwnerNow is the owner of a file of user's that a generation recorded
// as uid and gid (a rollback, a status, an undo): the uid and gid the
// user has now (Owner), else the recorded ones. The recorded uid may be
// another account's by now, after usermod -u or an account made again.
// A file whose owner gocfg leaves alone (-1, -1) stays so.
func (m *Machine) OwnerNow(user string, uid, gid int) (int, int) {
	if uid < 0 && gid < 0 {
		return uid, gid
	}
	if u, g, err := m.Owner(user); err == nil && u >= 0 {
		return u, g
	}
	return uid, gid
}

// Home is a user's home folder in the account database, else the OS's
// default: /home/<name>, /Users/<name> on macOS.
func (m *Machine) Home(user string) string {
	if a, ok := m.Accounts.User(user); ok && a.Home != "" {
		return a.Home
	}
	if m.OS == "darwin" {
		return "/Users/" + user
	}
	return "/home/" + user
}
