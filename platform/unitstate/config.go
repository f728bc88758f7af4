package unitstate

import (
	"github.com/gocfg/gocfg/platform"
)

// Config is the part of the merged configuration this provider reads.
type Config struct {
	// Units is systemd.units, keyed by the full unit name (ssh.service).
	Units map[string]Unit `json:"units"`
	// Services and Timers are systemd.services and systemd.timers,
	// units gocfg writes itself, which this provider refuses to take
	// over as well.
	Services map[string]Written `json:"services"`
	Timers   map[string]Written `json:"timers"`
}

// Written is one unit of systemd.services or systemd.timers, as far as
// this provider reads it.
type Written struct {
	// Enable false leaves the unit out as if it were not declared
	// (platform/systemd): then it is not gocfg's to write, and
	// systemd.units may manage the unit of that name a package ships.
	// Unset is true, the option's default.
	Enable *bool `json:"enable"`
}

// written reports whether gocfg writes the unit w describes (ok: it is
// declared).
func written(w Written, ok bool) bool { return ok && (w.Enable == nil || *w.Enable) }

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
