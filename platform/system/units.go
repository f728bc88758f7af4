package system

import "context"

// A UnitScope names one systemd manager: the system's, or a user's.
type UnitScope struct {
	// User is the user whose manager it is; "" for the system manager.
	User string
	// UID and GID of that user (-1 for the system manager).
	UID, GID int
	// RuntimeDir is the user's XDG_RUNTIME_DIR (/run/user/<uid>), where
	// the manager's private socket is (systemd/private).
	RuntimeDir string
}

// System reports whether this is the system manager's scope.
func (s UnitScope) System() bool { return s.User == "" }

// UnitState is what a manager says of one unit.
type UnitState struct {
	// LoadState: loaded, not-found, masked, ...
	LoadState string
	// ActiveState: active, inactive, failed, activating, ...
	ActiveState string
	SubState    string
	// UnitFileState: enabled, disabled, static, ... ("" when unknown).
	UnitFileState string
	// MainPID of a service, 0 when none.
	MainPID int
	// SkippedForGood: the unit's last start was skipped, Condition*=
	// settings of it not met that stay so while the machine runs
	// (ConditionVirtualization=!container in a container,
	// ConditionCapability=): the start job succeeded, the unit stays
	// inactive, and another start would be skipped again. A skip for a
	// condition that may change (a path, AC power) is not one.
	SkippedForGood bool
	// JobQueued: a job of the manager's is installed on the unit, queued
	// or running (the unit's Job property).
	JobQueued bool
}

// Units talks to one systemd manager. Job methods wait for the job's
// result and return an error naming the unit when it is not "done".
type Units interface {
	// DaemonReload makes the manager read the unit files again.
	DaemonReload(ctx context.Context) error
	// Enable links unit files into the targets their [Install] section
	// names (replacing existing links); Disable removes those links. Neither
	// reloads the manager: run DaemonReload after them so that targets see
	// the new links. Over D-Bus, disabling a unit with neither file nor
	// link is an error (NoSuchUnit); offline it is not.
	Enable(ctx context.Context, names []string) error
	Disable(ctx context.Context, names []string) error
	// Start, Stop, Restart and Reload run a job and wait for its result.
	Start(ctx context.Context, name string) error
	Stop(ctx context.Context, name string) error
	Restart(ctx context.Context, name string) error
	Reload(ctx context.Context, name string) error
	// ResetFailed clears a unit's failed state (`systemctl
	// reset-failed`), so that the manager forgets a failure that was
	// undone and the machine is not "degraded" by it.
	ResetFailed(ctx context.Context, name string) error
	// State reads a unit's state.
	State(ctx context.Context, name string) (UnitState, error)
	// Journal returns up to n last lines the unit logged, best effort
	// ("" when the journal cannot be read).
	Journal(ctx context.Context, name string, n int) string
	// Close ends the connection.
	Close() error
}
