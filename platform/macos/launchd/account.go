package launchd

import (
	"fmt"
	"strconv"

	"github.com/gocfg/gocfg/platform/macos"
)

// An account is a user whose agents this plan touches.
type account struct {
	user macos.User
	err  error
	// fileUID and fileGID own their plists (-1 without root).
	fileUID, fileGID int
	// session: their gui/<uid> domain exists (they are logged in), so
	// launchctl can load and unload their agents.
	session bool
}

// account looks a user up once per plan and, on a live machine, checks
// that launchctl can reach their gui domain.
func (pl *planner) account(name string) (*account, error) {
	if a, ok := pl.users[name]; ok {
		return a, a.err
	}
	l := pl.p.Machine
	a := &account{fileUID: -1, fileGID: -1}
	pl.users[name] = a
	a.user, a.err = l.LookupMacUser(pl.ctx, name)
	if a.err != nil {
		return a, a.err
	}
	if l.Privileged && a.user.UID >= 0 {
		a.fileUID, a.fileGID = a.user.UID, a.user.GID
	}
	if !l.Offline {
		domain := "gui/" + strconv.Itoa(a.user.UID)
		a.session = hasDomain(pl.ctx, l.Reader(), domain)
		if !a.session {
			pl.note(fmt.Sprintf("macos.launchd.agents: %s is not logged in (launchctl cannot reach %s); their agents are written and launchd loads them at the next login", name, domain))
		}
	}
	return a, nil
}
