package names

import (
	"encoding/json"
	"fmt"

	"github.com/gocfg/gocfg/platform/system"
)

// Config is the part of the merged configuration this provider reads:
// the networking options, nil when unset.
type Config struct {
	HostName      *string `json:"host_name"`
	ComputerName  *string `json:"computer_name"`
	LocalHostName *string `json:"local_host_name"`
}

// ConfigFromJSON picks this provider's part out of the whole evaluated
// configuration as plain JSON (`gocfg eval --json`): networking.host_name,
// networking.computer_name and networking.local_host_name.
func ConfigFromJSON(js []byte) (*Config, error) {
	var doc struct {
		Networking Config `json:"networking"`
	}
	if err := json.Unmarshal(js, &doc); err != nil {
		return nil, fmt.Errorf("read the evaluated configuration: %w", err)
	}
	return &doc.Networking, nil
}

// get returns the option of a name (nil when unset).
func (c *Config) get(key string) *string {
	switch key {
	case HostName:
		return c.HostName
	case ComputerName:
		return c.ComputerName
	case LocalHostName:
		return c.LocalHostName
	}
	return nil
}

// A Layout is what the provider knows of the machine it plans for.
type Layout struct {
	// Sys reaches the managed machine (relocated under --root, dry-run):
	// scutil runs through it; under --root the preferences file is read
	// and written through it.
	Sys system.System
	// Query runs the read-only commands of planning (`scutil --get`); nil
	// means Sys. Under --dry-run it is the System DryRun wraps, since
	// DryRun runs no command.
	Query system.System
	// Rooted: --root is in use (an offline tree: the preferences file).
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
