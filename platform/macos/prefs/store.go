package prefs

import (
	"context"

	"github.com/gocfg/gocfg/platform/macos"
	"github.com/gocfg/gocfg/platform/system"
)

// A Store reads and writes preference domains.
type Store interface {
	// Export returns every key of the domain (an empty map for a domain
	// that does not exist).
	Export(ctx context.Context, d Domain) (map[string]any, error)
	// Write sets one key.
	Write(ctx context.Context, d Domain, key string, v any) error
	// Delete removes one key.
	Delete(ctx context.Context, d Domain, key string) error
}

// Access says how a switch reaches the preferences; ops keep it in the
// journal, so that a later process can undo them the same way.
type Access struct {
	// Offline: no cfprefsd (--root): the plist files are the store.
	Offline bool `json:"offline,omitempty"`
	// Privileged: gocfg runs as root, so user domains are written from
	// the user's session (launchctl asuser ... sudo -u).
	Privileged bool `json:"privileged,omitempty"`
	// User owns the user and host domains.
	User macos.User `json:"user"`
	// HostUUID names the ByHost files (offline only).
	HostUUID string `json:"host_uuid,omitempty"`
}

// Open returns the store a switch uses: `defaults` on a Mac, the plist
// files under --root.
func Open(sys system.System, a Access) Store {
	if a.Offline {
		return &Files{Sys: sys, User: a.User, HostUUID: a.HostUUID}
	}
	return &Defaults{Sys: sys, User: a.User, Privileged: a.Privileged}
}
