package main

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strconv"

	"github.com/gocfg/gocfg/internal/pathtrust"
	"github.com/gocfg/gocfg/platform/system"
)

// The state folder decides what gocfg applies and undoes: the journal
// names the paths a recovery writes and removes, with what goes there,
// and the generations hold what the links in the homes and in /etc point
// at. Nothing in it is signed, so a state folder that another user can
// change lets that user decide what root writes where (tester BG: with
// /var/lib/gocfg a tmpfs of mode 1777, an ordinary user's journal.json
// made root's next switch "undo" a step into /etc/passwd, given to her;
// store/ and generations/ she made before root's first switch were
// used, and her generation put her content behind another user's
// dotfiles). gocfg refuses to act on it, as sshd's StrictModes refuses
// keys others could change: the way to the folder, the folder (owned by
// root, or by the user whose own state it is, and writable by its owner
// alone: a sticky bit does not keep others from adding a journal), and
// each entry in it, in generations/ and in store/.

// stateExposure reports the first part of the state folder dir that a
// user p does not trust (trustPolicy) could change, and why ("" when
// none could). A folder that does not exist yet is made by gocfg, as
// its owner's.
func stateExposure(sys system.System, dir string, p pathtrust.Policy) (where, why string) {
	if where, why := pathtrust.Exposure(sys, dir, p); where != "" {
		return where, why
	}
	fi, err := sys.Stat(dir)
	if err != nil {
		return "", ""
	}
	if why := pathtrust.EntriesExposure(dir, fi, p); why != "" {
		return dir, why
	}
	for _, sub := range []string{"", "generations", "store"} {
		folder := filepath.Join(dir, sub)
		entries, err := sys.ReadDir(folder)
		if err != nil {
			continue // not there yet, or not a folder (an error later)
		}
		for _, e := range entries {
			path := filepath.Join(folder, e.Name())
			fi, err := sys.Lstat(path)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				return path, err.Error()
			}
			if why := pathtrust.PartExposure(path, fi, p); why != "" {
				return path, why
			}
		}
	}
	return "", ""
}

// stateView is how the state folder is looked at: this machine's file
// system, at the folder's path on it (under --root, in the tree, so
// that an ACL is read where it is, and messages name that path:
// reviewer R32).
func (m *machine) stateView() (sys system.System, dir string) {
	if m.rooted {
		return system.NewReadOnly(system.NewReal()), m.hostPath(m.store.Dir())
	}
	return m.query, m.store.Dir()
}

// guardState refuses a command that acts on m when its state folder is
// exposed (stateExposure), naming the part and what to do.
func guardState(env *Env, m *machine) error {
	sys, dir := m.stateView()
	_, msg, hint := stateDistrust(env, sys, dir)
	if msg == "" {
		return nil
	}
	return withHints(errors.New(msg+": another user could change what gocfg applies and undoes, so gocfg does not use it"), hint)
}

// stateTrustCheck is gocfg doctor's check of the same, but for the
// folder itself, which the state-folder check judges (false: nothing to
// add to it).
func stateTrustCheck(env *Env, m *machine) (check, bool) {
	const name = "state-trust"
	sys, dir := m.stateView()
	where, msg, hint := stateDistrust(env, sys, dir)
	switch {
	case where == dir:
		return check{}, false
	case msg != "":
		return errCheck(name, hint, "%s: another user could change what gocfg applies and undoes; switch, rollback and gc refuse to use it", msg), true
	}
	return okCheck(name, "the way to the state folder, and what it, generations/ and store/ hold: their owners' alone"), true
}

// stateDistrust says which part of the state folder dir is exposed
// (where), why (stateExposure), and what to do ("" when none is).
func stateDistrust(env *Env, sys system.System, dir string) (where, msg, hint string) {
	p, ok := trustPolicy(env)
	if !ok {
		return "", "", ""
	}
	where, why := stateExposure(sys, dir, p)
	if where == "" {
		return "", "", ""
	}
	owner, hold := "root", "root:root"
	if env.EUID != 0 {
		owner, hold = "you", strconv.Itoa(env.EUID)
	}
	if where == dir {
		msg = fmt.Sprintf("the state folder %s %s", dir, why)
	} else {
		msg = fmt.Sprintf("the state folder %s: %s %s", dir, where, why)
	}
	if where == dir || !isInside(dir, where) {
		return where, msg, fmt.Sprintf("make every folder on the way owned by %s and writable by its owner alone (chown %s %s; chmod go-w %s; a tmpfs mounted there: mount it with mode=0755), then run gocfg doctor", owner, hold, where, where)
	}
	return where, msg, fmt.Sprintf("move %s out of the state folder and look at what it holds before you put any of it back: another user may have put it there for gocfg to apply; if it is gocfg's own, chown -R %s %s and chmod -R go-w %s", where, hold, where, where)
}

// isInside reports whether path is below dir.
func isInside(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != "." && filepath.IsLocal(rel)
}
