package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/internal/buildinfo"
	"github.com/gocfg/gocfg/internal/pathtrust"
	"github.com/gocfg/gocfg/modules"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/accounts"
	"github.com/gocfg/gocfg/platform/files"
	"github.com/gocfg/gocfg/platform/macos"
	"github.com/gocfg/gocfg/platform/system"
	"github.com/gocfg/gocfg/platform/systemd"
	"github.com/gocfg/gocfg/platform/users"
	"github.com/spf13/cobra"
)

// machineFlags choose the machine a command plans for and how.
type machineFlags struct {
	Root string
	OS   string
	// sources, when set, is the folder under which the machine's host
	// System finds the configuration's source files at their paths: a
	// deploy bundle's (prepareBundle), instead of this machine's own
	// files.
	sources string
	// cmd is the command they were registered on, whose annotations
	// and flags say how it may touch the machine (commandSysMode).
	cmd *cobra.Command
	// existing is set for the commands that act on generations already
	// there (rollback, generations list, diff, gc and delete, status,
	// store verify, secrets activate): a --root that does not exist is
	// an error for them, where a switch makes it. A typo in --root would
	// otherwise make that folder, and the state folder's lock in it, for
	// nothing, or say there are no generations.
	existing bool
	// identities are the --identity files of a --root --secrets build or
	// rollback: the recovery of an interrupted switch decrypts with them
	// too (lock), as the switch did.
	identities []string
}

// registerExisting is register for a command that acts on generations
// already there (existing).
func (f *machineFlags) registerExisting(cmd *cobra.Command) {
	f.register(cmd)
	f.existing = true
}

// register adds --root and --os to cmd, which opens the machine: cmd
// must declare how it touches it (sysAnnotations).
func (f *machineFlags) register(cmd *cobra.Command) {
	f.cmd = cmd
	nonEmptyVar(cmd.Flags(), &f.Root, "root", "", "relocate every managed path (homes, /etc, the state folder) under `DIR`, like systemctl --root", "to manage this machine itself")
	cmd.Flags().StringVar(&f.OS, "os", "", "platform whose tree is built under --root: linux or darwin (default: the one the tree's current generation was made for, else this machine's)")
}

// validate checks --os: linux or darwin, and another platform than this
// machine's only under --root. Under --root, the platform the tree's
// current generation was made for (treeOS) is the default, and another
// --os is refused: a Mac's tree switched, rolled back or looked at as a
// Linux one (--os forgotten) had its preferences, agents and names
// planned away, or said no drift (tester O).
func (f *machineFlags) validate(env *Env) error {
	if f.Root != "" {
		tree, gen := treeOS(env, f.Root)
		switch {
		case tree == "":
		case f.OS == "" && tree != env.OS:
			f.OS = tree
			fmt.Fprintf(env.Stderr, "gocfg: note: the tree under %s is a %s tree (generation %d was made for it): taken as --os %s\n", f.Root, tree, gen, tree)
		case f.OS != "" && f.OS != tree:
			return withHints(fmt.Errorf("--os %s: the tree under %s is a %s tree (generation %d was made for it)", f.OS, f.Root, tree, gen),
				"leave --os out, or build the other platform's tree under another --root")
		}
	}
	if f.OS == "" {
		return nil
	}
	if f.OS != "linux" && f.OS != "darwin" {
		return withHints(fmt.Errorf("--os %s: unknown platform", f.OS), "use --os linux or --os darwin")
	}
	if f.Root == "" && f.OS != env.OS {
		return withHints(fmt.Errorf("--os %s needs --root: this machine runs %s", f.OS, env.OS), "build the other platform's tree under a folder: --root DIR --os "+f.OS)
	}
	return nil
}

// treeOS is the platform the current generation of the tree under root
// was made for, and its number ("" when there is none, or it records
// none).
func treeOS(env *Env, root string) (string, int) {
	if !filepath.IsAbs(root) {
		root = filepath.Join(env.WorkDir, root)
	}
	st := generations.New(system.NewReadOnly(system.NewRooted(filepath.Clean(root), system.NewReal())), "/var/lib/gocfg")
	cur, err := st.Current()
	if err != nil || cur <= 0 {
		return "", 0
	}
	meta, err := st.Meta(cur)
	if err != nil {
		return "", 0
	}
	return meta.OS, cur
}

// evalEnv is env as the configuration sees it: `host.os` is the
// platform whose tree is built (--os), so a Mac's configuration evaluates
// as on a Mac, and `host.distro` is read from the tree under --root.
func (f *machineFlags) evalEnv(env *Env) *Env {
	if (f.OS == "" || f.OS == env.OS) && f.Root == "" {
		return env
	}
	e := *env
	if f.OS != "" {
		e.OS = f.OS
	}
	e.Distro = modules.ReadDistro(e.OS, f.Root)
	return &e
}

// A machine is one command's view of the machine and its state folder:
// the System seam (relocated and read-only or dry-run as the command and
// its flags say), the generations store and the engine.
type machine struct {
	env *Env
	// identities: machineFlags.identities.
	identities []string
	// sys is the machine, as the command's sysMode allows: read-only,
	// dry-run or real.
	sys system.System
	// host reads this machine's own files (the dotfiles repository),
	// never under --root; it changes nothing.
	host system.System
	// query is sys without the DryRun wrapper, and read-only: the
	// questions providers ask of the machine (dpkg-query, launchctl print)
	// must be answered even in a dry run, and only commands marked
	// ReadOnly run through it.
	query system.System
	// rootDir is the host path of --root ("" without it).
	rootDir    string
	store      *generations.Store
	engine     *platform.Engine
	rooted     bool
	privileged bool
	os         string
	accounts   *accounts.Database
}

// openMachine opens the machine for the command f was registered on,
// building the System stack from the mode the command declares
// (commandSysMode); this is the one place a System is built:
//
//	Real → env.WrapSystem (tests: a fake Mac) → Rooted (--root) → ReadOnly | DryRun | nothing
//
// query is the same stack under ReadOnly instead of DryRun, and host is
// Real under ReadOnly (without WrapSystem or Rooted), for the dotfiles
// repository: a deploy bundle's sources, Rooted at them, with --bundle.
func openMachine(env *Env, f machineFlags) (*machine, error) {
	mode, err := commandSysMode(f.cmd)
	if err != nil {
		return nil, err
	}
	m := &machine{env: env, privileged: env.EUID == 0, os: env.OS, identities: f.identities}
	if err := f.validate(env); err != nil {
		return nil, err
	}
	if f.OS != "" {
		m.os = f.OS
	}
	real := system.NewReal()
	m.host = system.NewReadOnly(real)
	if f.sources != "" {
		m.host = system.NewReadOnly(system.NewRooted(f.sources, real))
	} else if p, ok := trustPolicy(env); ok {
		// gocfg reads no source another user could change (pathtrust;
		// run by an ordinary user, trusting herself and root).
		// A deploy bundle's sources (above) were checked whole before
		// it was read (prepareBundle).
		m.host = pathtrust.NewSources(m.host, p)
	}
	var base system.System = real
	if env.WrapSystem != nil {
		base = env.WrapSystem(real)
	}
	if f.Root != "" {
		root := f.Root
		if !filepath.IsAbs(root) {
			root = filepath.Join(env.WorkDir, root)
		}
		root = filepath.Clean(root)
		if root == "/" {
			return nil, withHints(errors.New("--root /: that is the machine itself"), "leave --root out to apply to this machine")
		}
		// A --root that is not a folder would fail later with errors
		// about the tree's files (open /etc/passwd: not a directory).
		fi, err := real.Stat(root)
		switch {
		case err == nil && !fi.IsDir() && f.existing:
			// Tester U: status's hint said "(made if missing)", which
			// only a switch does.
			return nil, withHints(fmt.Errorf("--root %s: not a folder", root), "give --root the folder the machine's tree was built under")
		case err == nil && !fi.IsDir():
			return nil, withHints(fmt.Errorf("--root %s: not a folder", root), "give --root the folder the machine's tree is built under (made if missing)")
		case err != nil && f.existing && errors.Is(err, fs.ErrNotExist):
			return nil, withHints(fmt.Errorf("--root %s: no such folder, so no generation to act on", root), "check the path; gocfg switch --root builds a tree there")
		}
		if mode == sysReal {
			if err := real.MkdirAll(root, 0o755); err != nil {
				return nil, fmt.Errorf("--root: %w", err)
			}
			// After MkdirAll: a part that was missing when looked at
			// could be hers by then (second reviewer).
			warnRootTree(env, real, root)
		}
		base = system.NewRooted(root, base)
		m.rooted = true
		m.rootDir = root
		env.tree = root
	}
	m.query = system.NewReadOnly(base)
	switch mode {
	case sysReadOnly:
		m.sys = m.query
	case sysDryRun:
		m.sys = system.NewDryRun(base)
	default:
		m.sys = base
	}
	m.store = generations.New(m.sys, m.stateDir())
	if mode == sysReal {
		if err := guardState(env, m); err != nil {
			return nil, err
		}
	}
	m.store.Private = !m.privileged && !m.rooted
	m.store.Warn = func(msg string) { fmt.Fprintf(env.Stderr, "gocfg: warning: %s\n", msg) }
	bounds := setTestBounds(env)
	// Every job of the system manager, whatever op queues it, is bounded
	// when it waits on an ordinary account's processes (DESIGN.md §7).
	real.SetAccountWatch(accounts.Ordinary(real), systemd.JobTimeout())
	m.engine = &platform.Engine{Sys: m.sys, Store: m.store, RunHooks: !m.rooted, Fault: faultHook(env), Version: buildinfo.Version()}
	if bounds.BootID != "" {
		m.engine.Boot = func() string { return bounds.BootID }
	}
	if m.rooted {
		// The host's boot says nothing of when a tree's older journal
		// was written (platform.Engine.writtenThisBoot).
		m.engine.BootTime = func() time.Time { return time.Time{} }
	}
	db, err := m.readAccounts()
	if err != nil {
		return nil, err
	}
	m.accounts = db
	m.confineHomes()
	return m, nil
}

// confineHomes puts the home folder and the runtime folder
// (/run/user/<uid>, where a user's secrets without a path go) of every
// other account behind the privilege boundary when root runs (DESIGN.md
// §7): whatever a user plants there, root's file operations never follow
// it out (homes the configuration names but the account database lacks
// yet are confined by the files provider). The recovery of a killed
// switch runs its undo without the plan that confined them otherwise
// (tester V: a link put in place of /run/user/<uid>/gocfg/secrets made
// the undo write a file of hers into a root-only folder, or remove
// root's file). An ordinary user's run touches only their own folders,
// which need no boundary.
func (m *machine) confineHomes() {
	if !m.privileged {
		return
	}
	for _, a := range m.accounts.Users() {
		if a.UID != 0 && a.UID != m.env.EUID {
			files.ConfineHome(m.sys, a.Home)
			files.ConfineHome(m.sys, "/run/user/"+strconv.Itoa(a.UID))
		}
	}
}

// uidsNow looks up the uid each user has now, in the account database
// read again on first use (a switch may have made, changed or removed
// accounts since the machine was opened): false when there is no such
// user, or the database cannot be read.
func (m *machine) uidsNow() func(user string) (int, bool) {
	var db *accounts.Database
	read := false
	return func(user string) (int, bool) {
		if !read {
			read = true
			db, _ = m.readAccounts()
		}
		if db == nil {
			return 0, false
		}
		a, ok := db.User(user)
		return a.UID, ok
	}
}

// readAccounts reads the account database: /etc/passwd and /etc/group,
// except on a live Mac, whose accounts live in the local directory
// (dscl). An offline Mac tree gets the accounts every Mac has where it
// lacks them.
func (m *machine) readAccounts() (*accounts.Database, error) {
	if m.os == "darwin" && !m.rooted {
		return users.ReadDarwinAccounts(context.Background(), m.query)
	}
	db, err := accounts.Read(m.sys)
	if err != nil {
		return nil, err
	}
	if m.os == "darwin" {
		db = macos.WithBuiltinAccounts(db)
	}
	return db, nil
}

// stateDir is /var/lib/gocfg for root and under --root, else the user's
// ${XDG_STATE_HOME:-~/.local/state}/gocfg.
func (m *machine) stateDir() string {
	if m.privileged || m.rooted {
		return "/var/lib/gocfg"
	}
	if x := m.env.Getenv("XDG_STATE_HOME"); x != "" && filepath.IsAbs(x) {
		return filepath.Join(x, "gocfg")
	}
	return filepath.Join(m.env.Home, ".local", "state", "gocfg")
}

// conflictError reports every path in the way, with the remedies. A
// conflict that names its option (the entry that puts a file there) is
// followed by where that option is defined, when at (nil: nowhere)
// finds it.
func conflictError(cs []platform.Conflict, at definitionAt) error {
	var b strings.Builder
	if len(cs) == 1 {
		b.WriteString("1 path is in the way:")
	} else {
		fmt.Fprintf(&b, "%d paths are in the way:", len(cs))
	}
	seen := map[string]bool{}
	var hints []string
	for _, c := range cs {
		fmt.Fprintf(&b, "\n  %s: %s", platform.Printable(c.Path), platform.Printable(c.Problem))
		if c.Option != "" && at != nil {
			for _, line := range at(c.Option) {
				b.WriteString("\n    " + line)
			}
		}
		for _, r := range c.Remedies {
			if !seen[r.Text] && len(hints) < 4 {
				seen[r.Text] = true
				hints = append(hints, r.Text)
			}
		}
	}
	hints = append(hints, "nothing was changed")
	return withHints(errors.New(b.String()), hints...)
}
