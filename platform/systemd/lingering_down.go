package systemd

import (
	"errors"
	"fmt"

	"github.com/gocfg/gocfg/platform/system"
)

// LingerDir holds a file per user whose manager lingers, as
// systemd-logind keeps it (loginctl enable-linger makes the file).
const LingerDir = "/var/lib/systemd/linger"

// Lingers reports whether user lingers on the machine sys shows.
func Lingers(sys system.System, user string) bool {
	_, err := sys.Lstat(LingerDir + "/" + user)
	return err == nil
}

// lingeringDown is the error of a user's manager that is not running
// though she lingers: systemd-logind started it at boot and it has
// stopped since (systemctl stop user@UID.service, or it failed), and
// enabling lingering, the usual hint, changes nothing (tester AC).
type lingeringDown struct {
	scope system.UnitScope
	err   error
}

func (e *lingeringDown) Error() string {
	return e.err.Error() + "; " + e.scope.User + " lingers, so her manager was started at boot and has stopped since"
}

func (e *lingeringDown) Unwrap() error { return e.err }

// ManagerDown is err, the error of reaching the manager of scope, said
// more precisely for ManagerHint when it is a user's manager that is not
// running though she lingers.
func ManagerDown(sys system.System, scope system.UnitScope, err error) error {
	if err == nil || scope.System() || scope.User == "" || !errors.Is(err, system.ErrNoManager) || !Lingers(sys, scope.User) {
		return err
	}
	return &lingeringDown{scope: scope, err: err}
}

// lingeringDownHint is the hint for a lingering user's manager that is
// not running.
func lingeringDownHint(scope system.UnitScope) string {
	return fmt.Sprintf("start it again with: systemctl start user@%d.service (%s already lingers, so it starts at boot)", scope.UID, scope.User)
}
