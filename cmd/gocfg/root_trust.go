package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/gocfg/gocfg/internal/pathtrust"
	"github.com/gocfg/gocfg/modules/loader"
)

// rootTrust is whom root's gocfg trusts with what it reads and applies:
// root, and the user who ran it through sudo (SUDO_UID), who could
// become root anyway. nil when gocfg does not run as root: an ordinary
// user's gocfg changes only what she may change herself.
func rootTrust(env *Env) func(uid int) bool {
	if env.EUID != 0 {
		return nil
	}
	sudo := -1
	if n, err := strconv.Atoi(env.Getenv("SUDO_UID")); err == nil && n > 0 {
		sudo = n
	}
	return pathtrust.Trusting(sudo)
}

// untrustedPath is the error for path, which root's gocfg would read
// and act on, when an untrusted user could change it (pathtrust); nil
// when no one could, or gocfg does not run as root. what says what path
// is to the command ("the repository to clone").
func untrustedPath(env *Env, path, what string) error {
	trusted := rootTrust(env)
	if trusted == nil {
		return nil
	}
	where, why := pathtrust.Exposure(os.Lstat, path, trusted, true)
	if where == "" {
		return nil
	}
	return withHints(fmt.Errorf("%s: %s %s %s, so another user could decide what root's gocfg applies", path, what, where, why),
		"give it, and each folder on the way, to root (or to the user who runs gocfg through sudo), and chmod go-w them; or copy it to such a place")
}

// trustedReader is the Reader an evaluation reads its modules and file()
// files through: next (nil: the loader's own reads), behind a
// pathtrust.Reader when gocfg runs as root, so that a module another
// user could change is an error at the module that reads it.
func trustedReader(env *Env, next loader.Reader) loader.Reader {
	trusted := rootTrust(env)
	if trusted == nil {
		return next
	}
	return &pathtrust.Reader{Next: next, Trusted: trusted}
}

// configTrustCheck is gocfg doctor's look, as root, at the modules of
// the configuration folder dir (every .hcl file under it, .git left
// out): the first that another user could change is an error, as the
// evaluation would refuse it (trustedReader). ok is false when gocfg
// does not run as root.
func configTrustCheck(env *Env, dir string) (c check, ok bool) {
	trusted := rootTrust(env)
	if trusted == nil {
		return check{}, false
	}
	r := &pathtrust.Reader{Trusted: trusted}
	var found error
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil || found != nil:
			return filepath.SkipAll
		case d.IsDir() && d.Name() == ".git":
			return filepath.SkipDir
		case d.IsDir() || filepath.Ext(p) != ".hcl":
			return nil
		}
		found = r.Check(p)
		return nil
	})
	if found != nil {
		return errCheck("config-trust", "give the folder and its modules to root (or to the user who runs gocfg through sudo) and chmod -R go-w it", "%v", found), true
	}
	return okCheck("config-trust", "%s: only root%s can change its modules", dir, map[bool]string{true: " and the sudo user", false: ""}[env.Getenv("SUDO_UID") != ""]), true
}
