package users

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/accounts"
	"github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/system"
)

// shadowBackend is the account system of Linux: the passwd and group
// databases (platform/accounts), changed with the shadow tools, which
// under --root run with `--root <root>`.
type shadowBackend struct {
	l    *machine.Machine
	defs accounts.LoginDefs
}

var _ backend = (*shadowBackend)(nil)

// open reads the passwd and group databases, /etc/shells and login.defs.
func (b *shadowBackend) open(context.Context) (*liveAccounts, string, error) {
	l := b.l
	switch {
	case !l.Privileged && l.Offline:
		return nil, "making accounts under --root needs root (the shadow tools chroot into the root); skipped", nil
	case !l.Privileged:
		return nil, "needs root; skipped", nil
	}
	db, err := accounts.Read(l.Sys)
	if err != nil {
		return nil, "", err
	}
	if l.Offline && !db.HasPasswd() {
		return nil, "the root has no /etc/passwd (put a base system in it first); skipped", nil
	}
	shells, err := accounts.ReadShells(l.Sys)
	if err != nil {
		return nil, "", err
	}
	if b.defs, err = accounts.ReadLoginDefs(l.Sys); err != nil {
		return nil, "", err
	}
	return &liveAccounts{db: db, shells: shells}, "", nil
}

// check refuses a plan that changes accounts under --root when a shadow
// tool has no --root option.
func (b *shadowBackend) check(ctx context.Context, hasOps bool) string {
	if !b.l.Offline || !hasOps {
		return ""
	}
	if missing := rootSupport(ctx, b.l.Reader()); len(missing) > 0 {
		return strings.Join(missing, ", ") + " cannot work on a --root folder (no --root option); skipped"
	}
	return ""
}

func (*shadowBackend) validName(name string) string { return validName(name) }

// badDescription refuses a ':' (the passwd field separator) and a line
// break.
func (*shadowBackend) badDescription(s string) string {
	if strings.ContainsAny(s, ":\n") {
		return "the comment may not contain ':' or a line break"
	}
	return ""
}

func (*shadowBackend) validate(wanted, *accounts.Database) []error { return nil }

// pools are useradd's: UID_MIN..UID_MAX and GID_MIN..GID_MAX of
// login.defs, the highest ID in use plus one.
func (b *shadowBackend) pools() (uids, gids *idPool) {
	uids, gids = newPool(b.defs.UIDMin, b.defs.UIDMax), newPool(b.defs.GIDMin, b.defs.GIDMax)
	uids.span = span("UID", b.defs.UIDMin, b.defs.UIDMax)
	gids.span = span("GID", b.defs.GIDMin, b.defs.GIDMax)
	return uids, gids
}

// sharedGroup: every new user gets a group of its own.
func (*shadowBackend) sharedGroup() (accounts.Group, bool) { return accounts.Group{}, false }

func (*shadowBackend) hiding() bool { return false }

func (*shadowBackend) passwords() bool { return true }

func (*shadowBackend) defaultHome(name string) string { return "/home/" + name }

func (*shadowBackend) createdHome() string { return " (created, 0700)" }

func (*shadowBackend) moveHomeHint(name, home string) string {
	return fmt.Sprintf("move it by hand (usermod --move-home --home %s %s), or leave users.%s.home unset", home, name, name)
}

// protectedUser: root and the system accounts (below UID_MIN).
func (b *shadowBackend) protectedUser(a accounts.Account) string {
	if a.UID == 0 || b.defs.SystemUID(a.UID) {
		return fmt.Sprintf("uid %d is a system account (below UID_MIN %d)", a.UID, b.defs.UIDMin)
	}
	return ""
}

// sessions are logind's (askLogind); none under --root, where no one of
// the tree is logged in.
func (b *shadowBackend) sessions(ctx context.Context, uid int) string {
	if b.l.Offline {
		return ""
	}
	return askLogind(ctx, b.l.Sys, uid).sessions
}

// protectedGroup: root's and the system groups (below GID_MIN).
func (b *shadowBackend) protectedGroup(g accounts.Group) string {
	if g.GID == 0 || b.defs.SystemGID(g.GID) {
		return fmt.Sprintf("gid %d is a system group (below GID_MIN %d)", g.GID, b.defs.GIDMin)
	}
	return ""
}

func (b *shadowBackend) addUser(s userAdd) platform.Op {
	return &UserAddOp{Root: root(b.l), Name: s.Name, UID: s.UID, Group: s.Group, PrivateGID: s.PrivateGID, Home: s.Home,
		CreateHome: s.CreateHome, GECOS: s.GECOS, Shell: s.Shell, Groups: s.Groups, Password: s.Password}
}

func (b *shadowBackend) changeUser(s userChange) platform.Op {
	return &UserModOp{Root: root(b.l), Name: s.Name, UID: s.UID, GECOS: s.GECOS, Shell: s.Shell, Password: s.Password}
}

// hideUser is never asked for (hiding is false).
func (*shadowBackend) hideUser(s userHide) platform.Op {
	panic("users: the shadow tools cannot hide user " + s.Name)
}

func (b *shadowBackend) deleteUser(s userDel) platform.Op {
	return &UserDelOp{Root: root(b.l), Name: s.Name, UID: s.UID, GID: s.GID, GECOS: s.GECOS, Home: s.Home, Shell: s.Shell,
		Groups: s.Groups, PrivateGroup: s.PrivateGroup, Password: s.Password}
}

// ShadowPassword is name's password field in /etc/shadow ("" when it
// cannot be read: the undo of a deletion then leaves the account locked,
// and so does the undo of a password's change).
func ShadowPassword(sys system.System, name string) string {
	data, err := sys.ReadFile("/etc/shadow")
	if err != nil {
		return ""
	}
	defer clear(data)
	for line := range strings.SplitSeq(string(data), "\n") {
		if f := strings.SplitN(line, ":", 3); len(f) == 3 && f[0] == name {
			return f[1]
		}
	}
	return ""
}

func (b *shadowBackend) addGroup(s groupAdd) platform.Op {
	return &GroupAddOp{Root: root(b.l), Name: s.Name, GID: s.GID}
}

func (b *shadowBackend) changeGroup(s groupChange) platform.Op {
	return &GroupModOp{Root: root(b.l), Name: s.Name, GID: s.GID, PrevGID: s.PrevGID}
}

func (b *shadowBackend) deleteGroup(s groupDel) platform.Op {
	return &GroupDelOp{Root: root(b.l), Name: s.Name, GID: s.GID, Members: s.Members}
}

func (b *shadowBackend) addMember(m Membership) platform.Op {
	return &MemberAddOp{Root: root(b.l), Group: m.Group, User: m.User}
}

func (b *shadowBackend) removeMember(m Membership) platform.Op {
	return &MemberRemoveOp{Root: root(b.l), Group: m.Group, User: m.User}
}

// toolEnv is the environment of the shadow tools: a PATH with the
// sbin folders and untranslated messages.
var toolEnv = []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C"}

// shadowTools are the programs the ops run.
var shadowTools = []string{"useradd", "usermod", "userdel", "groupadd", "groupmod", "groupdel", "gpasswd", "chpasswd"}

// tool runs one shadow tool with args, after `--root root` when root is
// set, and returns its output; a failure names the command.
func tool(ctx context.Context, sys system.System, root, name string, args ...string) error {
	return toolStdin(ctx, sys, root, nil, name, args...)
}

// toolStdin is tool with stdin as the tool's standard input (what must
// not be on a command line, which every user can read).
func toolStdin(ctx context.Context, sys system.System, root string, stdin []byte, name string, args ...string) error {
	a := make([]string, 0, len(args)+2)
	if root != "" {
		a = append(a, "--root", root)
	}
	a = append(a, args...)
	// With --root, the tool changes only that tree (Rooted runs it).
	_, err := sys.Run(ctx, system.Command{Path: name, Args: a, Env: toolEnv, UID: -1, GID: -1, Tree: root != "", Stdin: stdin})
	return err
}

// nameRE is shadow's rule for user and group names (without the length
// limit).
var nameRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z_][a-z0-9_-]*[$]?$`) })

// maxName is the longest user or group name shadow accepts.
const maxName = 32

// validName says why name is not a valid user or group name ("" when it
// is).
func validName(name string) string {
	if why := NameProblem(name); why != "" {
		return why
	}
	switch {
	case len(name) > maxName:
		return "the name is longer than 32 characters"
	case !nameRE().MatchString(name):
		return "the name must start with a lowercase letter or _, then lowercase letters, digits, _ or - (and may end with $)"
	}
	return ""
}

// rootSupport reports which shadow tools lack a --root option, from
// their --help (through q, so --dry-run still asks).
func rootSupport(ctx context.Context, q system.System) []string {
	var missing []string
	for _, t := range shadowTools {
		out, err := q.Run(ctx, system.Command{Path: t, Args: []string{"--help"}, Env: toolEnv, UID: -1, GID: -1, ReadOnly: true})
		if err == nil && len(out) == 0 {
			continue // a System that runs nothing (DryRun) cannot tell
		}
		if !strings.Contains(string(out), "--root") {
			missing = append(missing, t)
		}
	}
	return missing
}
