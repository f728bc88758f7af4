package users

import (
	"context"
	"strconv"
	"strings"

	"github.com/gocfg/gocfg/platform/system"
)

// letManagerGo stops the systemd user manager of the account uid that
// userdel refused as in use (err), when that manager is all that holds
// her: she has no login session and does not linger. It reports whether
// it stopped one (or found none running), so that userdel can be run
// again.
//
// The switch that drops an account stops her units and ends her
// lingering first (Change.AfterDependents); systemd-logind then stops
// her manager on its own, but later than userdel runs (tester BE: every
// switch dropping a lingering account failed). systemctl stop waits for
// it. A login of hers, a lingering gocfg does not end, or a process of
// hers outside the manager still make userdel fail, with its hint; live
// only (not under --root).
func letManagerGo(ctx context.Context, sys system.System, uid int, err error) bool {
	if err == nil || !strings.Contains(err.Error(), "is currently used by process") {
		return false
	}
	return stopIdleManager(ctx, sys, uid)
}

// stopIdleManager stops the systemd user manager of uid when she has no
// login session and does not linger, and waits for it (systemctl stop);
// it reports whether it did, or found none running. UserDelOp runs it
// before userdel too: logind stops her manager on its own once her
// lingering ends, but a userdel that ran before that stop began
// succeeded, and left her manager's last processes running under the
// freed uid (CI: sd-pam and an ExecStopPost of hers after the switch).
func stopIdleManager(ctx context.Context, sys system.System, uid int) bool {
	u := askLogind(ctx, sys, uid)
	if !u.known || u.sessions != "" || u.lingers {
		return false
	}
	_, serr := sys.Run(ctx, system.Command{Path: "systemctl", Args: []string{"stop", "user@" + strconv.Itoa(uid) + ".service"}, Env: toolEnv, UID: -1, GID: -1})
	return serr == nil
}

// logindUser is what systemd-logind says of an account.
type logindUser struct {
	// known: logind answered (false: no bus, logind masked; she may be
	// logged in, reviewer R32).
	known bool
	// sessions are the IDs of her sessions, space-separated ("" none),
	// closing ones too: a process she left running after she logged
	// out keeps its session.
	sessions string
	// lingers: her manager runs without a session.
	lingers bool
}

// askLogind asks logind about the account uid (loginctl show-user, which
// only reads). logind may have let her go already (no session, no
// lingering: "is not logged in or lingering") while her manager still
// stops: that is an answer too. --all: an empty Sessions= is not shown
// otherwise.
func askLogind(ctx context.Context, sys system.System, uid int) logindUser {
	out, err := sys.Run(ctx, system.Command{Path: "loginctl", Args: []string{"show-user", strconv.Itoa(uid), "--all", "--property=Sessions", "--property=Linger"}, Env: toolEnv, UID: -1, GID: -1, ReadOnly: true})
	switch {
	case err != nil && strings.Contains(err.Error(), "is not logged in or lingering"):
		return logindUser{known: true}
	case err != nil:
		return logindUser{}
	}
	props := map[string]string{}
	for _, line := range strings.Split(string(out), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			props[k] = strings.TrimSpace(v)
		}
	}
	return logindUser{known: true, sessions: props["Sessions"], lingers: props["Linger"] != "no"}
}
