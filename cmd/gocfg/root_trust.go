package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/gocfg/gocfg/internal/gitclone"
	"github.com/gocfg/gocfg/internal/pathtrust"
	"github.com/gocfg/gocfg/modules/loader"
	"github.com/gocfg/gocfg/platform/accounts"
	"github.com/gocfg/gocfg/platform/system"
)

// trustPolicy is whom gocfg trusts with what it reads and applies.
// Run as root: root, and the user who ran it through sudo (SUDO_UID; or
// pkexec or doas: sudoUID). A user whom sudo lets run gocfg as root with
// a configuration of her choosing is root already (a configuration can
// do anything), so trusting her files adds nothing; root's environment
// is root's to set. Run by an ordinary user: herself and root. Her
// configuration runs commands as her and writes her home, so a file
// another user could change would let him act as her (tester AN: bob's
// link in a team folder she took sources from copied her SSH key into a
// 0644 file, and his module in her group-writable configuration ran his
// hook as her); git refuses such a repository for the same reason. A
// group that may write counts as its owner's when it is her private
// group (umask 002). ok is false only where nothing is checked (not a
// Unix machine).
func trustPolicy(env *Env) (p pathtrust.Policy, ok bool) {
	if env.EUID < 0 {
		return p, false
	}
	other := env.EUID // the one trusted besides root
	if env.EUID == 0 {
		other = sudoUID(env)
	}
	var private sync.Map // [2]int{uid, gid} → bool
	db := sync.OnceValue(func() *accounts.Database {
		d, err := accounts.Read(system.NewReal())
		if err != nil {
			return nil
		}
		return d
	})
	return pathtrust.Policy{
		Trusted: pathtrust.Trusting(other),
		PrivateGroup: func(uid, gid int) bool {
			key := [2]int{uid, gid}
			if v, ok := private.Load(key); ok {
				return v.(bool)
			}
			d := db()
			yes, known := false, false
			if d != nil {
				a, ok := d.UserByUID(uid)
				_, group := d.GroupByGID(gid)
				known = ok && group
				yes = ok && a.GID == gid && d.GroupOnlyOf(gid, a.Name)
			}
			if !known {
				// An account or a group of the name service only; and
				// no local account or group lets another in.
				name, nss := nssPrivateGroup(uid, gid)
				yes = nss && (d == nil || d.GroupOnlyOf(gid, name))
			}
			// Once per owner and group: UserByUID sorts every account
			// (reviewer R5: once per file, a no-op of 10,000 files
			// of mode 0664 went from 17 to 71 ms).
			private.Store(key, yes)
			return yes
		},
	}, true
}

// untrusted is the error for path when part where of it could be
// changed by another user (why).
func untrusted(path, what, where, why string) error {
	if pathtrust.Unlooked(why) {
		return withHints(fmt.Errorf("%s: %s %s %s, so gocfg cannot tell whether another user could change it", path, what, where, why),
			"fix what stops it from being looked at, or copy it to a folder of yours on a local file system")
	}
	err := fmt.Errorf("%s: %s %s %s, so another user could decide what gocfg applies", path, what, where, why)
	if fs, ok := pathtrust.Modeless(where); ok {
		return withHints(err, "it is on a "+fs+" file system, whose modes chmod cannot change: copy it to a folder of yours on a Linux file system")
	}
	return withHints(err, "give it, and each folder on the way, to root or to yourself (run through sudo: to the sudo user), and chmod go-w them; or copy it to such a place")
}

// rootWay checks the way to path and path itself
// (pathtrust.Exposure with Leaf): err says why another user could
// change it; p is the policy (Leaf set) for what the caller walks
// below; ok is false when nothing is checked (trustPolicy).
func rootWay(env *Env, path, what string) (p pathtrust.Policy, ok bool, err error) {
	p, ok = trustPolicy(env)
	if !ok {
		return p, false, nil
	}
	p.Leaf = true
	if where, why := pathtrust.Exposure(pathtrust.OS, path, p); where != "" {
		return p, true, untrusted(path, what, where, why)
	}
	return p, true, nil
}

// untrustedRepo is the error for a local git repository
// path (a work tree, a bare repository or a bundle file) that another
// user could change: its way, and everything git reads of it (the
// whole .git folder, or bare repository; reviewer R4: objects and refs
// of hers in a folder of root's were cloned). A .git file pointing
// elsewhere and borrowed objects (objects/info/alternates) are refused
// as such. nil when no one could, or nothing is checked. what
// says what path is to the command ("the repository to clone:").
func untrustedRepo(env *Env, path, what string) error {
	p, ok, err := rootWay(env, path, what)
	if !ok || err != nil {
		return err
	}
	// Exactly what is named: git, given a path that is not a repository,
	// tries <path>.git, <path>.git/.git and <path>.bundle, none of which
	// the way above is (tester AJ: her /tmp/aj-dotfiles.bundle cloned for
	// root's /tmp/aj-dotfiles, an empty folder of root's).
	notRepo := func(why string) error {
		return withHints(fmt.Errorf("%s: %s %s, and git would look for another path in its place", path, what, why),
			"name the repository itself: its work tree, its bare folder (such as dotfiles.git) or its bundle file")
	}
	fi, err := os.Stat(path)
	switch {
	case err != nil:
		return notRepo("does not exist")
	case fi.Mode().IsRegular():
		if !isBundle(path) {
			return notRepo("is neither a folder nor a git bundle")
		}
		// git tries <path>.git (and <path>.git/.git) as folders before
		// it takes a bundle (reviewer R5): none may be there, or be
		// made there by another user.
		sibling := pathtrust.Policy{Trusted: p.Trusted, Missing: true}
		if _, err := os.Lstat(path + ".git"); err == nil {
			return notRepo("is a bundle beside a " + filepath.Base(path) + ".git, which git would take instead")
		} else if where, why := pathtrust.Exposure(pathtrust.OS, path+".git", sibling); where != "" {
			return untrusted(path, what, where, why+" (git would take a "+filepath.Base(path)+".git made there before the bundle)")
		}
		return nil // a bundle file, checked
	case !fi.IsDir():
		return notRepo("is neither a folder nor a git bundle")
	}
	dir := path
	if gfi, err := os.Lstat(filepath.Join(path, ".git")); err == nil {
		if !gfi.IsDir() {
			return untrusted(path, what, filepath.Join(path, ".git"), "is not a folder (a .git file or link points elsewhere)")
		}
		dir = filepath.Join(path, ".git")
		if !isBareRepo(dir) {
			// git would go on to <path>.git (reviewer R5).
			return notRepo("has a .git folder that is not a repository")
		}
	} else if !isBareRepo(path) {
		return notRepo("is not a git repository")
	}
	if _, err := os.Lstat(filepath.Join(dir, "objects", "info", "alternates")); err == nil {
		return untrusted(path, what, filepath.Join(dir, "objects", "info", "alternates"), "borrows objects from another repository")
	}
	var found error
	walkErr := filepath.WalkDir(dir, func(q string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if why := pathtrust.PartExposure(q, info, p); why != "" {
			found = untrusted(path, what, q, why)
			return filepath.SkipAll
		}
		if info.Mode()&fs.ModeSymlink != 0 {
			// git makes no link in a repository; one leads git's reads
			// out of what is walked here (reviewer R5: objects/pack, a
			// link of root's to her folder).
			found = untrusted(path, what, q, "is a link, which git does not make in a repository")
			return filepath.SkipAll
		}
		return nil
	})
	if found == nil && walkErr != nil {
		found = untrusted(path, what, dir, "cannot be read whole ("+walkErr.Error()+")")
	}
	return found
}

// untrustedFile is the error for a file gocfg would read
// or write on the command's behalf (a recipients file, a secret) that
// another user could change or put in place: its way (links followed)
// and the file itself, or, when it does not exist yet, a sticky folder
// she could make it in (tester AJ: a secrets.hcl she planted in /tmp
// had root's rekey decrypt root's secret for her, and re-encrypt root's
// own through her link). nil when no one could. Trusted are root and
// the user gocfg runs as (under sudo, the sudo user: trustPolicy).
func untrustedFile(env *Env, path, what string) error {
	where, why, err := fileExposure(env, path)
	if err != nil || where == "" {
		return err
	}
	return untrusted(path, what, where, why)
}

// fileExposure is untrustedFile's look at path: where on its way (or
// itself) another user could change it, and why; "" when no one could.
func fileExposure(env *Env, path string) (where, why string, err error) {
	p, ok := trustPolicy(env)
	if !ok {
		return "", "", nil
	}
	p.Leaf, p.Missing = true, true
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", "", err
	}
	where, why = pathtrust.Exposure(pathtrust.OS, abs, p)
	return where, why, nil
}

// isBundle reports whether the file path starts as a git bundle does.
func isBundle(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 16)
	n, _ := f.Read(head)
	return strings.HasPrefix(string(head[:n]), "# v2 git bundle") || strings.HasPrefix(string(head[:n]), "# v3 git bundle")
}

// isBareRepo reports whether dir is a bare repository: a HEAD file and
// objects and refs folders.
func isBareRepo(dir string) bool {
	for _, p := range []struct {
		name string
		dir  bool
	}{{"HEAD", false}, {"objects", true}, {"refs", true}} {
		fi, err := os.Lstat(filepath.Join(dir, p.name))
		if err != nil || fi.IsDir() != p.dir {
			return false
		}
	}
	return true
}

// untrustedTree is the error for a tree (a file or a
// folder, whole) that another user could change: its way, then every
// entry under it. For sudo gocfg deploy, whose bundles carry the
// sources to hosts that apply them as root (reviewer R5), and for the
// bundle a host applies (prepareBundle). A link in it is followed as
// the host's reads follow it (reviewer R6: a bundle's link to her file
// installed it): its way and target are checked, and a folder it leads
// to is walked too (once for each place it is reached from by a link,
// which only a trusted user can make); path itself may be a link. An entry that cannot be
// listed or looked at is refused, not passed over.
func untrustedTree(env *Env, path, what string) error {
	p, ok, err := rootWay(env, path, what)
	if !ok || err != nil {
		return err
	}
	return walkTrusted(path, path, what, p, map[string]bool{})
}

// walkTrusted checks every entry of the tree at dir (a part of the tree
// at top, reached through checked links) under p; seen are the folders
// a walk started from, links resolved, so that a loop of links ends.
func walkTrusted(top, dir, what string, p pathtrust.Policy, seen map[string]bool) error {
	// Every link on the way to dir was checked (rootWay, Exposure): no
	// one else can change where it leads.
	resolved, err := filepath.EvalSymlinks(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil // the read of it fails alike
	}
	if err != nil {
		return untrusted(top, what, dir, "cannot be looked at ("+unwrapPathError(err).Error()+")")
	}
	if seen[resolved] {
		return nil
	}
	seen[resolved] = true
	linkPolicy := p
	linkPolicy.Missing = true
	var found error
	_ = filepath.WalkDir(resolved, func(q string, d fs.DirEntry, err error) error {
		var info fs.FileInfo
		if err == nil {
			info, err = d.Info()
		}
		if err != nil {
			found = untrusted(top, what, q, "cannot be looked at ("+unwrapPathError(err).Error()+")")
			return filepath.SkipAll
		}
		if why := pathtrust.PartExposure(q, info, p); why != "" {
			found = untrusted(top, what, q, why)
			return filepath.SkipAll
		}
		if info.Mode()&fs.ModeSymlink == 0 {
			return nil
		}
		lp := linkPolicy
		target, err := os.Stat(q)
		if err == nil && !target.IsDir() && !target.Mode().IsRegular() {
			// A device, FIFO or socket (.bash_history → /dev/null):
			// never read, but the way to it must stay as it is
			// (reviewer R7: "chmod go-w /dev/null" was the hint).
			lp.Leaf = false
		}
		if where, why := pathtrust.Exposure(pathtrust.OS, q, lp); where != "" {
			found = untrusted(top, what, where, why+" (through the link "+q+")")
			return filepath.SkipAll
		}
		if err == nil && target.IsDir() {
			if err := walkTrusted(top, q, what, p, seen); err != nil {
				found = err
				return filepath.SkipAll
			}
		}
		return nil
	})
	return found
}

// gitConfigTrust is the error, with the git program, for a
// git configuration file that git reads in dir (includes followed) and
// another user could change: git runs programs it names (a clean
// filter, which git status may run; fsmonitor and hooks, which gocfg's
// runs turn off: gitinfo.NoPrograms). Tester AK: an include of hers set
// core.fsmonitor, and root's switch and doctor ran it. nil when all are
// a trusted user's, there is no git program (go-git runs nothing), or
// git cannot list them (not a repository; git's own refusals).
func gitConfigTrust(ctx context.Context, env *Env, dir string) error {
	if _, ok := trustPolicy(env); !ok {
		return nil
	}
	g := gitclone.New()
	if g.Git == "" {
		return nil
	}
	files, err := g.ConfigFiles(ctx, dir, env.EUID != 0)
	if err != nil {
		return nil
	}
	for _, f := range files {
		if err := untrustedFile(env, f, "a git configuration file git reads there:"); err != nil {
			return err
		}
	}
	return nil
}

// localRepoPath is the local path a git URL names, relative ones taken
// from base (file://, with host "" or localhost, unescaped as git reads
// it, reviewer R4; or a path); ok is false for a remote one.
func localRepoPath(base, u string) (path string, ok bool, err error) {
	switch {
	case isFileURL(u):
		pu, err := url.Parse(u)
		if err != nil {
			return "", true, fmt.Errorf("%s: %w", u, err)
		}
		if pu.Host != "" && pu.Host != "localhost" {
			return "", true, fmt.Errorf("%s: a file URL of another host", u)
		}
		if !filepath.IsAbs(pu.Path) {
			return "", true, fmt.Errorf("%s: not an absolute path", u)
		}
		return cleanRepoPath(u, pu.Path)
	case strings.Contains(u, "://") || scpLike().MatchString(u) || (strings.Contains(u, ":") && !strings.Contains(strings.SplitN(u, ":", 2)[0], "/")):
		return "", false, nil
	case filepath.IsAbs(u):
		return cleanRepoPath(u, u)
	}
	// Not filepath.Join, which would clean the .. away before it is seen
	// (reviewer R35: a remote ../link/../r.git).
	return cleanRepoPath(u, base+string(filepath.Separator)+u)
}

// isFileURL reports whether u is a file URL: its scheme in any case, as
// url.Parse and go-git read it (reviewer R35: FILE:// passed as a URL to
// another host, unchecked, and go-git cloned her repository).
func isFileURL(u string) bool {
	return len(u) >= len("file:") && strings.EqualFold(u[:len("file:")], "file:")
}

// cleanRepoPath is p, the path of the local repository u names, cleaned;
// a path with a ".." in it is refused. git resolves a/link/.. through the
// link, to the folder above the link's target, while a check of the
// cleaned path looks at a: tester BJ's file:///root-link/../r.git was
// checked as root's r.git, and hers was cloned and applied.
func cleanRepoPath(u, p string) (string, bool, error) {
	for _, part := range strings.Split(filepath.ToSlash(p), "/") {
		if part == ".." {
			return "", true, withHints(fmt.Errorf("%s: a path with .. in it, which git resolves through links where gocfg's check would not", u), "give the repository's path without ..")
		}
	}
	return filepath.Clean(p), true, nil
}

// trustedReader is the Reader an evaluation reads its modules and file()
// files through: next (nil: the loader's own reads), behind a
// pathtrust.Reader (trustPolicy), so that a module another
// user could change is an error at the module that reads it.
func trustedReader(env *Env, next loader.Reader) loader.Reader {
	p, ok := trustPolicy(env)
	if !ok {
		return next
	}
	return &pathtrust.Reader{Next: next, Policy: p}
}

// readerRefusal is the refusal of a read by r, when r is the trusted
// reader: the evaluation fails with it even if the configuration made
// nothing of the error (try(file(p), d); reviewer R4), and so is not
// cached.
func readerRefusal(r loader.Reader) error {
	var tr *pathtrust.Reader
	if t, ok := r.(*pathtrust.Reader); ok {
		tr = t
	}
	if tr == nil {
		return nil
	}
	if err := tr.Refused(); err != nil {
		return withHints(err, "the evaluation read a file another user could change; nothing was applied")
	}
	return nil
}

// configTrustCheck is gocfg doctor's look at the configuration
// folder dir: every entry under it (.git left out), links followed, as
// the evaluation would read a module (trustedReader). The evaluation also
// checks modules imported from outside the folder and file() files,
// which only it knows. ok is false when nothing is checked.
func configTrustCheck(env *Env, dir string) (c check, ok bool) {
	p, ok := trustPolicy(env)
	if !ok {
		return check{}, false
	}
	// Every entry, not only modules: a folder of it others may write in
	// lets them replace a file a module names (source =; tester AJ).
	r := &pathtrust.Reader{Policy: p}
	found := r.Check(dir)
	if found == nil {
		err := filepath.WalkDir(dir, func(q string, d fs.DirEntry, err error) error {
			switch {
			case err != nil:
				return err
			case d.IsDir() && d.Name() == ".git":
				return filepath.SkipDir
			}
			if found = r.Check(q); found != nil {
				return filepath.SkipAll
			}
			return nil
		})
		if found == nil && err != nil {
			found = fmt.Errorf("%s: cannot be read whole: %w", dir, err)
		}
	}
	if found != nil {
		return errCheck("config-trust", "give the folder and its modules to root or to yourself (run through sudo: to the sudo user) and chmod -R go-w it", "%v", found), true
	}
	who := "root"
	switch {
	case env.EUID != 0:
		who = "root and you"
	case sudoUID(env) > 0:
		who = "root and the sudo user"
	}
	return okCheck("config-trust", "%s: only %s can change its modules", dir, who), true
}

// sudoUID is the user who ran root's gocfg through sudo (SUDO_UID),
// pkexec (PKEXEC_UID) or doas (DOAS_USER, a name looked up in the
// machine's accounts), as trustPolicy trusts her: each tool sets its
// variable itself, as sudo does SUDO_UID (-1: none of them). When they
// name different users, no one is trusted: a tool that keeps the
// caller's environment (doas's keepenv) leaves her a variable of
// another tool to set as she likes (reviewer R6).
func sudoUID(env *Env) int {
	uid := -1
	for _, v := range []string{"SUDO_UID", "PKEXEC_UID", "DOAS_USER"} {
		s := env.Getenv(v)
		if s == "" {
			continue
		}
		n := -1
		if v == "DOAS_USER" {
			n = uidOfName(s)
		} else if u, err := strconv.Atoi(s); err == nil && u > 0 {
			n = u
		}
		if n <= 0 || uid > 0 && n != uid {
			return -1
		}
		uid = n
	}
	return uid
}

// uidOfName is the uid of the account name on the machine, from
// /etc/passwd or else the name service (getent: LDAP, SSSD); -1: none.
func uidOfName(name string) int {
	if d, err := accounts.Read(system.NewReal()); err == nil {
		if a, ok := d.User(name); ok {
			return a.UID
		}
	}
	return nssUID(name)
}
