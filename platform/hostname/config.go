package hostname

import (
	"encoding/json"
	"fmt"

	"github.com/gocfg/gocfg/platform/system"
)

// Config is the part of the merged configuration this provider reads.
type Config struct {
	// HostName is `networking.host_name`; nil when unset.
	HostName *string `json:"host_name"`
}

// ConfigFromJSON picks this provider's part out of the whole evaluated
// configuration as plain JSON (`gocfg eval --json`): networking.host_name.
func ConfigFromJSON(js []byte) (*Config, error) {
	var doc struct {
		Networking Config `json:"networking"`
	}
	if err := json.Unmarshal(js, &doc); err != nil {
		return nil, fmt.Errorf("read the evaluated configuration: %w", err)
	}
	return &doc.Networking, nil
}

// A Layout is what the provider knows of the machine it plans for.
type Layout struct {
	// Sys reaches the managed machine (relocated under --root, dry-run).
	Sys system.System
	// Rooted: --root is in use (the root's /etc/hostname is written).
	Rooted bool
	// Privileged: running as root.
	Privileged bool
	// OS is "linux" or "darwin".
	OS string
}
