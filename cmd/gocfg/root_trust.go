package main

import (
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/gocfg/gocfg/internal/pathtrust"
	"github.com/gocfg/gocfg/modules/loader"
	"github.com/gocfg/gocfg/platform/accounts"
	"github.com/gocfg/gocfg/platform/system"
)

// rootPolicy is whom root's gocfg trusts with what it reads and
// applies: root, and the user who ran it through sudo (SUDO_UID). A user
// whom sudo lets run gocfg as root with a configuration of her choosing
// is root already (a configuration can do anything), so trusting her
// files adds nothing; root's environment is root's to set. A group
// that may write counts as its owner's when it is her private group
// (umask 002). ok is false when gocfg does not run as root: an ordinary
// user's gocfg changes only what she may change herself.
func rootPolicy(env *Env) (p pathtrust.Policy, ok bool) {
	if env.EUID != 0 {
		return p, false
	}
	sudo := sudoUID(env)
	db := sync.OnceValue(func() *accounts.Database {
		d, err := accounts.Read(system.NewReal())
		if err != nil {
			return nil
		}
		return d
	})
	return pathtrust.Policy{
		Trusted: pathtrust.Trusting(sudo),
		PrivateGroup: func(uid, gid int) bool {
			d := db()
			if d == nil {
				return false
			}
			a, ok := d.UserByUID(uid)
			return ok && a.GID == gid && d.GroupOnlyOf(gid, a.Name)
		},
	}, true
}

// untrusted is the error for path when part where of it could be
// changed by another user (why).
func untrusted(path, what, where, why string) error {
	return withHints(fmt.Errorf("%s: %s %s %s, so another user could decide what root's gocfg applies", path, what, where, why),
		"give it, and each folder on the way, to root (or to the user who runs gocfg through sudo), and chmod go-w them; or copy it to such a place")
}

// untrustedRepo is the error, run as root, for a local git repository
// path (a work tree, a bare repository or a bundle file) that another
// user could change: its way, and everything git reads of it (the
// whole .git folder, or bare repository; reviewer R4: objects and refs
// of hers in a folder of root's were cloned). A .git file pointing
// elsewhere and borrowed objects (objects/info/alternates) are refused
// as such. nil when no one could, or gocfg does not run as root. what
// says what path is to the command ("the repository to clone:").
func untrustedRepo(env *Env, path, what string) error {
	p, ok := rootPolicy(env)
	if !ok {
		return nil
	}
	p.Leaf = true
	if where, why := pathtrust.Exposure(pathtrust.OS, path, p); where != "" {
		return untrusted(path, what, where, why)
	}
	fi, err := os.Stat(path)
	if err != nil || !fi.IsDir() {
		return nil // a bundle file, checked; or nothing, which git reports
	}
	dir := path
	if gfi, err := os.Lstat(filepath.Join(path, ".git")); err == nil {
		if !gfi.IsDir() {
			return untrusted(path, what, filepath.Join(path, ".git"), "is not a folder (a .git file or link points elsewhere)")
		}
		dir = filepath.Join(path, ".git")
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
		if why := pathtrust.PartExposure(info, p); why != "" {
			found = untrusted(path, what, q, why)
			return filepath.SkipAll
		}
		return nil
	})
	if found == nil && walkErr != nil {
		found = untrusted(path, what, dir, "cannot be read whole ("+walkErr.Error()+")")
	}
	return found
}

// localRepoPath is the local path a git URL names, relative ones taken
// from base (file://, with host "" or localhost, unescaped as git reads
// it, reviewer R4; or a path); ok is false for a remote one.
func localRepoPath(base, u string) (path string, ok bool, err error) {
	switch {
	case strings.HasPrefix(u, "file:"):
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
		return filepath.Clean(pu.Path), true, nil
	case strings.Contains(u, "://") || scpLike().MatchString(u) || (strings.Contains(u, ":") && !strings.Contains(strings.SplitN(u, ":", 2)[0], "/")):
		return "", false, nil
	case filepath.IsAbs(u):
		return filepath.Clean(u), true, nil
	}
	return filepath.Join(base, u), true, nil
}

// trustedReader is the Reader an evaluation reads its modules and file()
// files through: next (nil: the loader's own reads), behind a
// pathtrust.Reader when gocfg runs as root, so that a module another
// user could change is an error at the module that reads it.
func trustedReader(env *Env, next loader.Reader) loader.Reader {
	p, ok := rootPolicy(env)
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

// configTrustCheck is gocfg doctor's look, as root, at the configuration
// folder dir: every .hcl file and every link under it (.git left out)
// as the evaluation would read it (trustedReader). The evaluation also
// checks modules imported from outside the folder and file() files,
// which only it knows. ok is false when gocfg does not run as root.
func configTrustCheck(env *Env, dir string) (c check, ok bool) {
	p, ok := rootPolicy(env)
	if !ok {
		return check{}, false
	}
	r := &pathtrust.Reader{Policy: p}
	found := r.Check(dir)
	if found == nil {
		err := filepath.WalkDir(dir, func(q string, d fs.DirEntry, err error) error {
			switch {
			case err != nil:
				return err
			case d.IsDir() && d.Name() == ".git":
				return filepath.SkipDir
			case d.Type()&fs.ModeSymlink == 0 && (d.IsDir() || filepath.Ext(q) != ".hcl"):
				return nil
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
		return errCheck("config-trust", "give the folder and its modules to root (or to the user who runs gocfg through sudo) and chmod -R go-w it", "%v", found), true
	}
	who := "root"
	if sudoUID(env) > 0 {
		who = "root and the sudo user"
	}
	return okCheck("config-trust", "%s: only %s can change its modules", dir, who), true
}

// sudoUID is SUDO_UID as rootPolicy takes it (-1: none).
func sudoUID(env *Env) int {
	if n, err := strconv.Atoi(env.Getenv("SUDO_UID")); err == nil && n > 0 {
		return n
	}
	return -1
}
