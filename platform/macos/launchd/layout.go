package launchd

import (
	"errors"

	"github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/system"
)

// check refuses a dry run whose Query is not set: DryRun runs no
// command and answers every one with success, so launchctl print would
// say that every job is loaded.
func check(l *machine.Machine) error {
	if _, dry := l.Sys.(*system.DryRun); dry && l.Query == nil && !l.Offline {
		return errors.New("launchd: Machine.Query is not set, and launchd cannot be asked through --dry-run's System")
	}
	return nil
}

// allowed says whether this run may manage a job of kind for user.
func allowed(l *machine.Machine, kind, user string) bool {
	return l.Privileged || l.Offline || kind == KindAgent && l.Manages(user)
}

// daemonsDir and agentsDir are where the plists go.
const (
	daemonsDir = "/Library/LaunchDaemons"
	agentsDir  = "Library/LaunchAgents" // under the user's home
)
