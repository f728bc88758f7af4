package packages

import (
	"encoding/json"
	"fmt"

	"github.com/gocfg/gocfg/platform/system"
)

// Config is the part of the merged configuration this provider reads.
type Config struct {
	// SystemPackages is `environment.system_packages`.
	SystemPackages []string `json:"system_packages"`
	// PackageManager is `environment.package_manager`: auto (also when
	// empty), apt, dnf, pacman or brew.
	PackageManager string `json:"package_manager"`
}

// ConfigFromJSON picks this provider's part out of the whole evaluated
// configuration as plain JSON (`gocfg eval --json`):
// environment.system_packages and environment.package_manager.
func ConfigFromJSON(js []byte) (*Config, error) {
	var doc struct {
		Environment Config `json:"environment"`
	}
	if err := json.Unmarshal(js, &doc); err != nil {
		return nil, fmt.Errorf("read the evaluated configuration: %w", err)
	}
	return &doc.Environment, nil
}

// A Layout is what the provider knows of the machine it plans for.
type Layout struct {
	// Sys reaches the managed machine (dry-run); the package manager runs
	// through it.
	Sys system.System
	// Query runs the read-only commands of planning (dpkg-query,
	// apt-cache, rpm -q, pacman -Q); nil means Sys. Under --dry-run it is
	// the System DryRun wraps, since DryRun runs no command.
	Query system.System
	// Rooted: --root is in use (packages are skipped).
	Rooted bool
	// Privileged: running as root.
	Privileged bool
	// OS is "linux" or "darwin".
	OS string
}

func (l *Layout) query() system.System {
	if l.Query != nil {
		return l.Query
	}
	return l.Sys
}

// Records are the provider's part of resources.json:
//
//	{"manager": "apt", "packages": ["git", "hello"], "installed": ["hello"]}
//
// Packages is the declared list (the desired state of a rollback);
// Installed lists the packages gocfg installed, the only ones it removes.
type Records struct {
	Manager   string   `json:"manager,omitempty"`
	Packages  []string `json:"packages"`
	Installed []string `json:"installed"`
}

func (r *Records) normalize() *Records {
	if r.Packages == nil {
		r.Packages = []string{}
	}
	if r.Installed == nil {
		r.Installed = []string{}
	}
	return r
}
