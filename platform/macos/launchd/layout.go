package launchd

import (
	"context"
	"errors"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/platform/macos"
	"github.com/gocfg/gocfg/platform/system"
)

// A Layout is what the provider knows of the machine it plans for.
type Layout struct {
	// Sys changes the machine (relocated under --root, recorded under
	// --dry-run); Query runs the read-only commands of planning
	// (launchctl print, dscl) even in a dry run; nil means Sys.
	Sys, Query system.System
	// Store is the state folder's generations; Current is the current
	// generation (0: none) and To the one the plan makes current, whose
	// store holds the desired plists.
	Store       *generations.Store
	Current, To int
	// Offline: --root DIR --os darwin: the plists are written and
	// removed, launchctl is not run.
	Offline bool
	// Privileged: gocfg runs as root (daemons, any user's agents, file
	// ownership).
	Privileged bool
	// Self is the user gocfg runs as: without root, the only user whose
	// agents it manages.
	Self string
	// Lookup finds a user's uid and home; nil means dscl through Query
	// (offline: /Users/<name>, uid unknown).
	Lookup func(ctx context.Context, name string) (macos.User, error)
}

// check refuses a dry run whose Query is not set: DryRun runs no
// command and answers every one with success, so launchctl print would
// say that every job is loaded.
func (l *Layout) check() error {
	if _, dry := l.Sys.(*system.DryRun); dry && l.Query == nil && !l.Offline {
		return errors.New("launchd: Layout.Query is not set, and launchd cannot be asked through --dry-run's System")
	}
	return nil
}

func (l *Layout) query() system.System {
	if l.Query != nil {
		return l.Query
	}
	return l.Sys
}

func (l *Layout) lookup(ctx context.Context, name string) (macos.User, error) {
	switch {
	case l.Lookup != nil:
		return l.Lookup(ctx, name)
	case l.Offline:
		// An offline tree has no directory service to ask.
		return macos.User{Name: name, UID: -1, GID: -1, Home: "/Users/" + name}, nil
	}
	return macos.LookupUser(ctx, l.query(), name)
}

// allowed says whether this run may manage a job of kind for user.
func (l *Layout) allowed(kind, user string) bool {
	if l.Privileged || l.Offline {
		return true
	}
	return kind == KindAgent && user == l.Self && user != ""
}

// daemonsDir and agentsDir are where the plists go.
const (
	daemonsDir = "/Library/LaunchDaemons"
	agentsDir  = "Library/LaunchAgents" // under the user's home
)
