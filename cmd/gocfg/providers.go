package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"

	"github.com/gocfg/gocfg/internal/diagnostics"
	"github.com/gocfg/gocfg/internal/filestat"
	"github.com/gocfg/gocfg/modules"
	"github.com/gocfg/gocfg/modules/plistval"
	"github.com/gocfg/gocfg/platform"
	mach "github.com/gocfg/gocfg/platform/machine"

	// The resource kinds gocfg plans: each package registers its provider
	// from init (platform.RegisterProvider). Adding a kind is its package
	// and one line here (docs/architecture.md).
	_ "github.com/gocfg/gocfg/platform/files"
	_ "github.com/gocfg/gocfg/platform/hostname"
	_ "github.com/gocfg/gocfg/platform/linger"
	_ "github.com/gocfg/gocfg/platform/macos/keyboard"
	_ "github.com/gocfg/gocfg/platform/macos/launchd"
	_ "github.com/gocfg/gocfg/platform/macos/names"
	_ "github.com/gocfg/gocfg/platform/macos/prefs"
	_ "github.com/gocfg/gocfg/platform/macos/systemsetup"
	_ "github.com/gocfg/gocfg/platform/macos/touchid"
	_ "github.com/gocfg/gocfg/platform/packages"
	_ "github.com/gocfg/gocfg/platform/passwordfiles"
	_ "github.com/gocfg/gocfg/platform/secrets"
	_ "github.com/gocfg/gocfg/platform/systemd"
	_ "github.com/gocfg/gocfg/platform/unitstate"
	_ "github.com/gocfg/gocfg/platform/users"
)

// planned describes the machine to the providers for a plan from
// generation current to generation to, with the command's switch
// options.
func (m *machine) planned(current, to int, sw mach.Switch) *mach.Machine {
	return &mach.Machine{
		Sys: m.sys, Query: m.query, Host: m.host,
		Offline: m.rooted, Root: m.rootDir, Privileged: m.privileged, OS: m.os, User: m.env.User, HomeEnv: m.env.Getenv("HOME"),
		Accounts: m.accounts, Store: m.store, Current: current, To: to, Switch: sw,
		Now: m.env.Now, RuntimeDir: runtimeDir(m.env),
	}
}

// providerConfig is the evaluated configuration as the providers read
// it: plain JSON (as gocfg eval --json prints it), and typed as plists
// the options the registered providers take so (Factory.Plists; plain
// JSON would lose what sets a <real> apart from an <integer>, and dates
// and data from strings).
func providerConfig(ev *modules.Evaluation, js []byte, os string) (*platform.Config, error) {
	cfg := &platform.Config{JSON: js, Plists: map[string]any{}}
	for _, o := range platform.PlistOptions(os) {
		if !ev.Declares(o) {
			continue
		}
		v, _, diags := ev.Value(o)
		if diags.HasErrors() {
			return nil, fmt.Errorf("%s: %s", o, diags.Error())
		}
		g, err := plistval.ToGo(v)
		if err != nil {
			return nil, fmt.Errorf("%s.%w", o, err)
		}
		cfg.Plists[o] = g
	}
	return cfg, nil
}

// runtimeDir finds a user's XDG_RUNTIME_DIR: the invoking user's own
// from the environment (as systemctl --user does), else /run/user/<uid>.
// The environment's is taken only when it is hers and private, as
// secrets edit takes a temporary folder (privateWay): her secrets go
// there, and a login that falls back to /tmp/runtime-$USER with mkdir -p
// took a folder another user had made first (tester AN: her secret was
// written into his folder, and a race on it made her gocfg chmod her
// ~/.netrc 0444).
func runtimeDir(env *Env) func(string, int) string {
	var warn sync.Once
	return func(user string, uid int) string {
		fallback := "/run/user/" + strconv.Itoa(uid)
		if user != env.User {
			return fallback
		}
		rt := env.Getenv("XDG_RUNTIME_DIR")
		if rt == "" {
			return fallback
		}
		if filepath.IsAbs(rt) && ownRuntimeDir(filepath.Clean(rt), uid) {
			return filepath.Clean(rt)
		}
		if resolved, err := filepath.EvalSymlinks(rt); err == nil && resolved == fallback {
			return fallback // /var/run/user/<uid>, through /var/run → /run (reviewer R9)
		}
		warn.Do(func() {
			fmt.Fprintf(env.Stderr, "gocfg: warning: XDG_RUNTIME_DIR=%s is not a folder of yours that only you may write in, on a way only you and root may change; gocfg uses %s instead (for %s's secrets and user manager)\n", diagnostics.Escaped(rt), fallback, user)
		})
		return fallback
	}
}

// ownRuntimeDir reports whether dir may hold uid's secrets: uid's own
// folder, closed to group and others for writing, on a way only root and
// uid may change (privateWay). Not a shared sticky folder, which
// privateWay takes for secrets edit's random names (reviewer R8:
// XDG_RUNTIME_DIR=/tmp put her secrets under /tmp/gocfg, a fixed name
// another user can make first).
func ownRuntimeDir(dir string, uid int) bool {
	fi, err := os.Lstat(dir)
	if err != nil || !fi.IsDir() || fi.Mode().Perm()&0o022 != 0 {
		return false
	}
	if owner, _ := filestat.Owner(fi); owner != uid {
		return false
	}
	return privateWay(dir, uid)
}
