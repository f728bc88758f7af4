package main

import (
	"fmt"
	"os"
	"strconv"

	"github.com/gocfg/gocfg/internal/pathtrust"
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
