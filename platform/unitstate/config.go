package unitstate

import (
	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/platform"
)

// Config is the part of the merged configuration this provider reads.
type Config struct {
	// Units is systemd.units, keyed by the full unit name (ssh.service).
	Units map[string]Unit `json:"units"`
	// Services and Timers are the names of systemd.services and
	// systemd.timers, units gocfg writes itself, which this provider
	// refuses to take over as well.
	Services map[string]json.RawMessage `json:"services"`
	Timers   map[string]json.RawMessage `json:"timers"`
}

// Unit is one entry of systemd.units.
type Unit struct {
	Enable bool `json:"enable"`
	// WantedBy: nil enables by the unit's [Install] section.
	WantedBy []string `json:"wanted_by"`
}

// ConfigFromJSON picks this provider's part out of the whole evaluated
// configuration as plain JSON (`gocfg eval --json`): systemd.units, and
// the names of systemd.services and systemd.timers.
func ConfigFromJSON(js []byte) (*Config, error) {
	return platform.ConfigAt[Config](js, "systemd")
}
