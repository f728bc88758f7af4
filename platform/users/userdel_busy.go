package users

import (
	"errors"
	"strings"
)

// userBusyError is userdel's refusal to delete an account while a
// process of it runs (exit status 8, "user NAME is currently used by
// process PID"): a login of hers, her lingering manager, a process she
// left running. Tester AI: every switch or rollback that drops her
// account then failed whole, with nothing saying what to do.
type userBusyError struct {
	name string
	err  error
	// refusal says what the tool does not do to an account in use
	// ("" userdel's).
	refusal string
}

func (e *userBusyError) Error() string { return e.err.Error() }
func (e *userBusyError) Unwrap() error { return e.err }

// Hint says how to end her processes, which only root decides.
func (e *userBusyError) Hint() string {
	refusal := e.refusal
	if refusal == "" {
		refusal = "userdel does not delete an account in use"
	}
	return "processes of " + e.name + " still run, and " + refusal + ": end them (loginctl disable-linger " + e.name + " if she lingers, then loginctl terminate-user " + e.name + "; or pkill -KILL -u " + e.name + "), then run the command again"
}

// userBusy is err, with the hint when it is userdel's refusal of name
// as in use.
func userBusy(name string, err error) error {
	if err == nil || !strings.Contains(err.Error(), "is currently used by process") {
		return err
	}
	var busy *userBusyError
	if errors.As(err, &busy) {
		return err
	}
	return &userBusyError{name: name, err: err}
}

// uidBusy is err, with the hint when it is usermod's refusal to change
// the uid of name while a process of hers runs (tester BH: no hint).
func uidBusy(name string, err error) error {
	if err == nil || !strings.Contains(err.Error(), "is currently used by process") {
		return err
	}
	return &userBusyError{name: name, err: err, refusal: "usermod does not change the uid of an account in use"}
}
