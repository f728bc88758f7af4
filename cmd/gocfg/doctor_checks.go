package main

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/internal/buildinfo"
	"github.com/gocfg/gocfg/modules/loader"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/accounts"
	"github.com/gocfg/gocfg/platform/macos"
	"github.com/gocfg/gocfg/platform/system"
	"github.com/gocfg/gocfg/platform/systemd"
	"golang.org/x/sys/unix"
)

// versionCheck says which gocfg runs.
func versionCheck() check { return okCheck("version", "%s", buildinfo.Read()) }

// platformCheck says which platform gocfg manages: this machine's, or
// the tree's under --root.
func platformCheck(env *Env, m *machine) check {
	switch {
	case m.rooted:
		return okCheck("os", "%s tree under %s (this machine: %s/%s)", m.os, m.rootDir, env.OS, env.Arch)
	case env.OS != "linux" && env.OS != "darwin":
		return errCheck("os", "gocfg manages linux and darwin machines; build a tree for one with --root DIR --os linux|darwin",
			"%s/%s is not supported", env.OS, env.Arch)
	}
	return okCheck("os", "%s/%s", env.OS, env.Arch)
}

// userCheck says what the invoking user may manage.
func userCheck(env *Env, m *machine) check {
	if m.privileged {
		return okCheck("user", "root: every managed path, units, users and packages")
	}
	return okCheck("user", "%s (uid %d): only their own home's files; /etc, system units, users and packages need root", env.User, env.EUID)
}

// configChecks check the configuration folder and its git state.
func configChecks(ctx context.Context, opts *doctorOptions, m *machine) []check {
	env := opts.Env
	loc, _ := opts.Config.location(env)
	if !filepath.IsAbs(loc) {
		loc = filepath.Join(env.WorkDir, loc)
	}
	loc = filepath.Clean(loc)
	fi, err := m.host.Stat(loc)
	if errors.Is(err, fs.ErrNotExist) {
		return []check{warnCheck("config", "gocfg init writes one that describes this machine; gocfg init --apply SOURCE clones yours",
			"%s: no configuration", loc)}
	}
	if err != nil {
		return []check{errCheck("config", "", "%v", err)}
	}
	dir := loc
	if !fi.IsDir() {
		dir = filepath.Dir(loc)
	}
	var checks []check
	entry, err := loader.ResolveEntry(loc, opts.Config.host(env))
	if err != nil {
		checks = append(checks, errCheck("config", "pass --host NAME to pick hosts/NAME.hcl, or create default.hcl in that folder", "%v", err))
	} else {
		if r, err := filepath.Rel(dir, entry); err == nil && fi.IsDir() {
			entry = r
		}
		checks = append(checks, okCheck("config", "%s (entry module %s)", loc, entry))
	}
	if c, ok := configTrustCheck(env, dir); ok {
		checks = append(checks, c)
	}
	if err := gitConfigTrust(ctx, env, dir); err != nil {
		return append(checks, errCheck("config-git", "give the file to root or to yourself (run through sudo: to the sudo user) and chmod go-w it, or drop the include", "%v", err))
	}
	st, err := opts.Git(ctx, dir)
	return append(checks, gitCheck(dir, st, err))
}

// gitCheck reports the git state st of the configuration folder dir.
func gitCheck(dir string, st repoState, err error) check {
	const name = "config-git"
	switch {
	case err != nil:
		return warnCheck(name, "", "%v", err)
	case st.NoGit:
		return warnCheck(name, "install git", "git is not installed: generations record no commit of %s", dir)
	case !st.Repo:
		return warnCheck(name, "keep it in git (git init, commit, push) to bring it to your next machine with gocfg init --apply",
			"%s is not in a git repository: generations record no commit", dir)
	case st.Commit == "":
		return warnCheck(name, "commit it: generations record the commit they were made from", "%s: no commit yet", dir)
	}
	msg := "commit " + shortCommit(st.Commit)
	if st.Branch != "" {
		msg += " on " + st.Branch
	}
	var problems, hints []string
	switch {
	case st.Upstream == "":
		msg += ", no upstream"
	case st.Ahead > 0:
		msg += fmt.Sprintf(", %s ahead of %s", plural(st.Ahead, "commit"), st.Upstream)
	default:
		msg += ", tracking " + st.Upstream
	}
	if st.Dirty {
		problems = append(problems, "uncommitted changes")
		hints = append(hints, "commit them: a generation made now records the commit plus changes no other machine has")
	}
	if st.Behind > 0 {
		problems = append(problems, fmt.Sprintf("%s behind %s (as last fetched)", plural(st.Behind, "commit"), st.Upstream))
		hints = append(hints, "gocfg update pulls and switches")
	}
	if len(problems) > 0 {
		return warnCheck(name, strings.Join(hints, "; "), "%s; %s", msg, strings.Join(problems, "; "))
	}
	return okCheck(name, "%s", msg)
}

// owner returns the owner of fi.
func owner(fi fs.FileInfo) (uid, gid int, ok bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0, false
	}
	return int(st.Uid), int(st.Gid), true
}

// stateFolderCheck checks the state folder dir: root's when gocfg runs
// as root (privileged), else the user's (euid); writable by its owner
// alone. host is dir on this machine (under --root, in the tree), the
// path the hints' commands name. An ordinary user is never told to take
// a folder of root's (reviewer R10: "chown -R 1004 /var/lib/gocfg", on
// root's tree, would give her the state the homes' links point into).
func stateFolderCheck(sys system.System, dir, host string, privileged bool, euid int) check {
	const name = "state-folder"
	fi, err := sys.Lstat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return okCheck(name, "%s: not created yet (the first gocfg switch creates it)", dir)
	case err != nil:
		return errCheck(name, "", "%v", err)
	case !fi.IsDir():
		return errCheck(name, "move it away; gocfg switch creates the folder", "%s is not a folder (%s)", dir, fi.Mode().Type())
	}
	want, whose := euid, "yours"
	if privileged {
		want, whose = 0, "root's"
	}
	uid, _, ok := owner(fi)
	if ok && uid != want {
		if !privileged && uid == 0 {
			return errCheck(name, rootStateHint, "%s is root's, not yours", dir)
		}
		hint := "chown -R " + strconv.Itoa(want) + " " + host
		if privileged {
			hint = "chown -R root:root " + host + ": only root may change what the links in the homes point at"
		}
		return errCheck(name, hint, "%s is owned by uid %d, not %s", dir, uid, whose)
	}
	if perm := fi.Mode().Perm(); perm&0o022 != 0 {
		return errCheck(name, "chmod go-w "+host, "%s is writable by others (mode %04o)", dir, modeBits(fi.Mode()))
	}
	return okCheck(name, "%s: %s, mode %04o", dir, whose, modeBits(fi.Mode()))
}

// modeBits is m as chmod takes it: the permissions, and the sticky,
// setuid and setgid bits (tester BG: doctor said 0777 of a folder of
// mode 1777).
func modeBits(m fs.FileMode) uint32 {
	bits := uint32(m.Perm())
	if m&fs.ModeSticky != 0 {
		bits |= 0o1000
	}
	if m&fs.ModeSetgid != 0 {
		bits |= 0o2000
	}
	if m&fs.ModeSetuid != 0 {
		bits |= 0o4000
	}
	return bits
}

// rootStateHint is the hint for an ordinary user whose doctor meets
// root's state (root's machine, or a --root tree root made).
const rootStateHint = "the state is root's: run gocfg doctor as root (sudo gocfg doctor)"

// storeAreasCheck checks the folders of the store's areas (store/system,
// store/home-<user>): root's when root runs gocfg, each home area
// readable by its user alone (an ACL, or the user's group); the user's
// own when an ordinary user runs it. No store: no check.
func storeAreasCheck(m *machine) (check, bool) {
	const name = "store-areas"
	dir := filepath.Join(m.store.Dir(), "store")
	entries, err := m.sys.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return check{}, false
	}
	if err != nil {
		return errCheck(name, "", "%v", err), true
	}
	want, whose := m.env.EUID, "yours"
	if m.privileged {
		want, whose = 0, "root's"
	}
	var areas, readers, errs, warns []string
	rootsOnly := false // an area of root's, an ordinary user running
	for _, e := range entries {
		area := e.Name()
		user, home := strings.CutPrefix(area, "home-")
		if area != "system" && !home {
			continue
		}
		p := filepath.Join(dir, area)
		fi, err := m.sys.Lstat(p)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		areas = append(areas, area)
		uid, gid, ok := owner(fi)
		perm := fi.Mode().Perm()
		switch {
		case !fi.IsDir():
			errs = append(errs, fmt.Sprintf("%s is not a folder", area))
			continue
		case ok && uid != want:
			errs = append(errs, fmt.Sprintf("%s is owned by uid %d, not %s", area, uid, whose))
			rootsOnly = rootsOnly || !m.privileged && uid == 0
			continue
		case perm&0o022 != 0:
			errs = append(errs, fmt.Sprintf("%s is writable by others (mode %04o)", area, perm))
			continue
		case home && perm&0o007 != 0:
			errs = append(errs, fmt.Sprintf("%s is readable by everyone (mode %04o)", area, perm))
			continue
		}
		if !home || !m.privileged {
			continue
		}
		a, ok := m.accounts.User(user)
		if !ok || a.UID == 0 {
			continue
		}
		switch {
		case m.os == "linux" && aclGrants(m.hostPath(p), a.UID):
			readers = append(readers, user+" (ACL)")
		case gid == a.GID && perm&0o050 == 0o050:
			readers = append(readers, user+" (group)")
		default:
			warns = append(warns, fmt.Sprintf("%s cannot read %s: the links in their home do not resolve for them", user, area))
		}
	}
	msg := fmt.Sprintf("%s: %s", strings.Join(areas, ", "), whose)
	if len(readers) > 0 {
		msg += "; each home area readable by its user alone: " + strings.Join(readers, ", ")
	}
	switch {
	case len(errs) > 0:
		hint := "make them yours again and writable by you alone (chown -R, chmod go-w)"
		switch {
		case m.privileged:
			hint = "gocfg switch as root takes the areas back, keeping only the contents that verify"
		case rootsOnly:
			hint = rootStateHint
		}
		return errCheck(name, hint, "%s: %s", dir, strings.Join(errs, "; ")), true
	case len(warns) > 0:
		return warnCheck(name, "gocfg switch as root grants each user read access to their area", "%s; %s", msg, strings.Join(warns, "; ")), true
	}
	return okCheck(name, "%s", msg), true
}

// hostPath is the host path of the machine path p (under --root, in
// the tree).
func (m *machine) hostPath(p string) string {
	if m.rootDir == "" {
		return p
	}
	return filepath.Join(m.rootDir, p)
}

// aclGrants reports whether the POSIX access ACL of the host path p
// lets uid read and search it (an entry user:<uid>:r-x, within the mask).
func aclGrants(p string, uid int) bool {
	if runtime.GOOS != "linux" {
		return false
	}
	buf := make([]byte, 1024)
	n, err := unix.Lgetxattr(p, "system.posix_acl_access", buf)
	if err != nil || n < 4 || binary.LittleEndian.Uint32(buf) != 2 {
		return false
	}
	mask, user := uint16(7), uint16(0)
	for b := buf[4:n]; len(b) >= 8; b = b[8:] {
		tag, perm, id := binary.LittleEndian.Uint16(b), binary.LittleEndian.Uint16(b[2:]), binary.LittleEndian.Uint32(b[4:])
		switch {
		case tag == 0x10:
			mask = perm
		case tag == 0x02 && int(id) == uid:
			user = perm
		}
	}
	return user&mask&5 == 5
}

// lockCheck checks the state lock and the journal: a switch under way,
// one that was interrupted, or a damaged journal.
func lockCheck(m *machine) check {
	const name = "state-lock"
	pending, err := m.engine.Pending()
	var de *generations.DamagedError
	if errors.As(err, &de) {
		var h hintError
		hint := ""
		if errors.As(m.damagedJournal(err), &h) {
			hint = strings.ReplaceAll(strings.Join(h.hints, "; "), "; nothing was changed", "")
		}
		return errCheck(name, hint, "%v", err)
	}
	if ue := (*platform.UnknownOpError)(nil); errors.As(err, &ue) {
		return errCheck(name, unknownOpHint(ue), "%v", err) // reviewer R31
	}
	if err != nil {
		return errCheck(name, "", "%v", err)
	}
	if pid := m.lockHolder(); pid > 0 {
		return warnCheck(name, "wait for it to finish", "%s: held by pid %d: a switch or rollback is under way", m.store.LockPath(), pid)
	}
	if pending {
		return warnCheck(name, recoversFirst,
			"%s: a switch was interrupted (journal %s)", m.store.LockPath(), m.store.JournalPath())
	}
	return okCheck(name, "%s: free", m.store.LockPath())
}

// storeCheck is gocfg store verify's summary.
func storeCheck(m *machine) check {
	const name = "store"
	nums, err := m.store.Numbers()
	if err != nil {
		return errCheck(name, "", "%v", err)
	}
	if len(nums) == 0 {
		return okCheck(name, "no generation yet: nothing is stored")
	}
	cur, err := m.store.Current()
	if err != nil {
		return errCheck(name, "see gocfg generations list; gocfg rollback --to N makes one current", "%v", err)
	}
	if uid, yes := m.othersState(); yes {
		hint := "run gocfg doctor as its owner"
		if uid == 0 {
			hint = rootStateHint
		}
		return warnCheck(name, hint, "generation %d is current; the store is uid %d's: not checked", cur, uid)
	}
	exp := m.expectations(nums)
	// The roots too, as store verify checks them (reviewer R10: a
	// generation's files root removed was damage to store verify, not
	// to doctor).
	rep, err := m.store.Verify(generations.VerifyOptions{Expect: exp.expect, Complete: exp.complete, Roots: exp.rootsOf})
	if err != nil {
		return errCheck(name, "", "%v", err)
	}
	checked := fmt.Sprintf("generation %d is current; checked %s and %s of %s", cur, plural(rep.Objects, "stored folder"), plural(rep.Files, "file"), generationList(rep.Generations))
	if len(rep.Damaged) > 0 {
		return errCheck(name, "gocfg store verify lists them; gocfg store verify --repair writes them again where the sources still give them",
			"%s: %s damaged", checked, plural(len(rep.Damaged), "stored content is", "stored contents are"))
	}
	if len(exp.problems) > 0 {
		return warnCheck(name, "", "%s; %s", checked, strings.Join(exp.problems, "; "))
	}
	return okCheck(name, "%s: nothing is damaged", checked)
}

// unitUsers returns the users whose user units the current generation
// manages, and whether it manages system units.
func unitUsers(m *machine) (cur int, users []string, systemUnits bool) {
	cur, err := m.store.Current()
	if err != nil || cur == 0 {
		return 0, nil, false
	}
	applied, err := m.readApplied(cur)
	if err != nil {
		return cur, nil, false
	}
	recs, err := systemd.DecodeRecords(applied["systemd"])
	if err != nil {
		return cur, nil, false
	}
	for _, u := range recs.Units {
		switch {
		case u.Scope == "system":
			systemUnits = true
		case !slices.Contains(users, u.User):
			users = append(users, u.User)
		}
	}
	slices.Sort(users)
	return cur, users, systemUnits
}

// systemdChecks check the systemd managers gocfg talks to: the system's,
// and the user managers of the users with user units in the current
// generation, with their linger.
func systemdChecks(ctx context.Context, m *machine) []check {
	if m.rooted {
		return []check{okCheck("systemd", "offline tree under --root: unit files are written and enabled by links; no manager is asked")}
	}
	cur, users, systemUnits := unitUsers(m)
	return unitChecks(ctx, m.query, m.accounts, cur, users, systemUnits)
}

// unitChecks check the system manager (needed when generation cur has
// system units), the user managers of users and their linger, asking
// sys.
func unitChecks(ctx context.Context, sys system.System, db *accounts.Database, cur int, users []string, systemUnits bool) []check {
	checks := []check{managerCheck(ctx, sys, system.UnitScope{UID: -1, GID: -1}, systemUnits, cur)}
	if len(users) == 0 {
		return append(checks, okCheck("systemd-user", "no user units are managed"))
	}
	var lingering, notLingering []string
	for _, u := range users {
		a, ok := db.User(u)
		if !ok {
			checks = append(checks, warnCheck("systemd-user", "", "user %s has user units in generation %d but no account", u, cur))
			continue
		}
		scope := system.UnitScope{User: u, UID: a.UID, GID: a.GID, RuntimeDir: "/run/user/" + strconv.Itoa(a.UID)}
		checks = append(checks, managerCheck(ctx, sys, scope, true, cur))
		if systemd.Lingers(sys, u) {
			lingering = append(lingering, u)
		} else {
			notLingering = append(notLingering, u)
		}
	}
	if len(notLingering) > 0 {
		hint := "loginctl enable-linger " + strings.Join(notLingering, " ") + ": otherwise their units run only while they are logged in"
		msg := strings.Join(notLingering, ", ") + ": no linger"
		if len(lingering) > 0 {
			msg += "; " + strings.Join(lingering, ", ") + ": linger"
		}
		return append(checks, warnCheck("linger", hint, "%s", msg))
	}
	if len(lingering) > 0 {
		checks = append(checks, okCheck("linger", "%s: linger (their managers run from boot)", strings.Join(lingering, ", ")))
	}
	return checks
}

// managerCheckTimeout bounds doctor's wait for a manager's answer.
const managerCheckTimeout = 5 * time.Second

// managerCheck asks sys for the manager of scope. One that does not
// answer is an error when generation cur manages units there (needed),
// else a warning.
func managerCheck(ctx context.Context, sys system.System, scope system.UnitScope, needed bool, cur int) check {
	name, what := "systemd", "the system manager"
	if !scope.System() {
		name, what = "systemd-user", "the user manager of "+scope.User
	}
	ctx, cancel := context.WithTimeout(ctx, managerCheckTimeout)
	defer cancel()
	u, err := sys.Units(ctx, scope)
	if err == nil {
		_ = u.Close()
		return okCheck(name, "%s answers", what)
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		// doctor's bound ran out before the connection's own: the
		// socket took the connection and said nothing.
		err = fmt.Errorf("%w within %v", system.ErrNoAnswer, managerCheckTimeout)
	}
	err = systemd.ManagerDown(sys, scope, err)
	hint := systemd.ManagerHint(scope, err)
	if needed {
		return errCheck(name, hint, "cannot reach %s, which generation %d has units for: %v", what, cur, err)
	}
	return warnCheck(name, hint, "cannot reach %s: %v", what, err)
}

// Where macOS has the programs gocfg runs.
const (
	defaultsPath  = "/usr/bin/defaults"
	launchctlPath = "/bin/launchctl"
)

// macToolChecks check that a Mac has defaults and launchctl.
func macToolChecks(sys system.System, rooted bool) []check {
	if rooted {
		return []check{okCheck("macos", "offline tree under --root: preferences are written to their plist files, launchd jobs to their folders")}
	}
	checks := []check{fullDiskAccessCheck(sys)}
	for _, t := range []struct{ name, path, what string }{
		{"macos-defaults", defaultsPath, "preferences cannot be read or written"},
		{"macos-launchctl", launchctlPath, "launchd jobs cannot be loaded, nor preferences written in a user's session"},
	} {
		if isProgram(sys, t.path) {
			checks = append(checks, okCheck(t.name, "%s", t.path))
		} else {
			checks = append(checks, errCheck(t.name, "it is part of macOS: check the system's integrity", "%s is missing: %s", t.path, t.what))
		}
	}
	return checks
}

// tccDB is the database of macOS privacy permissions: only a process
// with Full Disk Access may read it.
const tccDB = "/Library/Application Support/com.apple.TCC/TCC.db"

// fullDiskAccessCheck tells whether gocfg runs with Full Disk Access,
// which macOS wants for changing users and groups over SSH and for the
// preferences of protected domains (Safari, Mail): reading the TCC
// database is refused without it.
func fullDiskAccessCheck(sys system.System) check {
	const name = "macos-disk-access"
	f, err := sys.Open(tccDB)
	switch {
	case err == nil:
		_ = f.Close()
		return okCheck(name, "Full Disk Access: granted")
	case errors.Is(err, fs.ErrPermission):
		return warnCheck(name, "System Settings > Privacy & Security > Full Disk Access: add the terminal (or the SSH server) that runs gocfg",
			"no Full Disk Access: users and groups cannot be changed over SSH, nor protected preferences (Safari, Mail) read")
	case errors.Is(err, fs.ErrNotExist):
		return okCheck(name, "Full Disk Access: nothing to check (%s is missing)", tccDB)
	}
	return warnCheck(name, "", "Full Disk Access: %v", err)
}

// isProgram reports whether p is an executable file.
func isProgram(sys system.System, p string) bool {
	fi, err := sys.Stat(p)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}

// linuxManagers are the package managers gocfg drives, in the order it
// looks for them, with the program that shows each is there.
var linuxManagers = []struct{ name, program string }{{"apt", "apt-get"}, {"dnf", "dnf"}, {"pacman", "pacman"}}

// packagesCheck says which package manager gocfg would use (none under
// --root: packages are installed on the live machine only).
func packagesCheck(sys system.System, goos string, rooted bool) check {
	const name = "packages"
	if rooted {
		return okCheck(name, "offline tree under --root: packages are installed on the live machine only")
	}
	if goos == "darwin" {
		for _, p := range macos.HomebrewPrefixes {
			if b := p + "/bin/brew"; isProgram(sys, b) {
				return okCheck(name, "Homebrew (%s)", b)
			}
		}
		return warnCheck(name, "install it from https://brew.sh", "Homebrew is not installed: homebrew packages, casks and taps cannot be installed")
	}
	for _, pm := range linuxManagers {
		for _, d := range []string{"/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"} {
			if p := d + "/" + pm.program; isProgram(sys, p) {
				return okCheck(name, "%s (%s)", pm.name, p)
			}
		}
	}
	return warnCheck(name, "gocfg installs packages with apt, dnf or pacman", "no package manager found: environment.system_packages cannot be installed")
}
