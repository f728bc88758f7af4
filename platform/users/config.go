package users

import (
	"encoding/json"
	"fmt"

	"github.com/gocfg/gocfg/platform/system"
)

// Config is the part of the merged configuration this provider reads,
// decoded from `gocfg eval --json`-shaped JSON (unset options absent).
type Config struct {
	Users  map[string]User  `json:"users"`
	Groups map[string]Group `json:"groups"`
}

// User is `users.<name>`.
type User struct {
	UID         *int     `json:"uid,omitempty"`
	Description *string  `json:"description,omitempty"`
	Home        *string  `json:"home,omitempty"`
	Shell       *string  `json:"shell,omitempty"`
	Groups      []string `json:"groups,omitempty"`
	// CreateHome is true when unset.
	CreateHome *bool `json:"create_home,omitempty"`
	// IsHidden is macOS only; ignored on Linux.
	IsHidden bool `json:"is_hidden,omitempty"`
}

// Group is `groups.<name>`.
type Group struct {
	GID     *int     `json:"gid,omitempty"`
	Members []string `json:"members,omitempty"`
}

// ConfigFromJSON picks this provider's part out of the whole evaluated
// configuration as plain JSON (`gocfg eval --json`): users and groups.
func ConfigFromJSON(js []byte) (*Config, error) {
	var c Config
	if err := json.Unmarshal(js, &c); err != nil {
		return nil, fmt.Errorf("read the evaluated configuration: %w", err)
	}
	return &c, nil
}

// A Layout is what the provider knows of the machine it plans for.
type Layout struct {
	// Sys reaches the managed machine (relocated under --root, dry-run):
	// the passwd and group files are read through it and the shadow tools
	// (on macOS dscl, sysadminctl, dseditgroup) run through it.
	Sys system.System
	// Query runs the read-only commands of planning (`useradd --help`
	// under --root; `dscl . -readall` on macOS); nil means Sys. Under
	// --dry-run it is the System DryRun wraps, since DryRun runs no
	// command.
	Query system.System
	// Rooted: --root is in use; Root is the root folder as a host path,
	// passed to the shadow tools' --root.
	Rooted bool
	Root   string
	// Privileged: running as root.
	Privileged bool
	// OS is "linux" or "darwin".
	OS string
	// PrimaryUser is macos.primary_user (macOS): never deleted, even when
	// gocfg created it.
	PrimaryUser string
	// PackagesPending: environment.system_packages names packages to
	// install in this switch, which may bring a shell or a group a user
	// needs (zsh, docker): then those are warnings, not errors, and the
	// user waits for packages:install.
	PackagesPending bool
}

func (l *Layout) query() system.System {
	if l.Query != nil {
		return l.Query
	}
	return l.Sys
}

// root is what the ops pass to the shadow tools' --root ("" live).
func (l *Layout) root() string {
	if !l.Rooted {
		return ""
	}
	return l.Root
}
