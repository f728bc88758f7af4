package systemd

import (
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/systemd/unit"
)

// Config is the part of the evaluated configuration this provider reads.
type Config struct {
	// Services and Timers are the system manager's, keyed as configured
	// ("nginx", not "nginx.service").
	Services map[string]unit.Service
	Timers   map[string]unit.Timer
	// Users holds each user's own units.
	Users map[string]UserUnits
}

// UserUnits are `home.<user>.systemd`.
type UserUnits struct {
	Services map[string]unit.Service `json:"services"`
	Timers   map[string]unit.Timer   `json:"timers"`
}

// ConfigFromJSON picks the units out of the whole evaluated configuration
// as plain JSON.
func ConfigFromJSON(js []byte) (*Config, error) {
	var doc struct {
		Systemd struct {
			Services map[string]unit.Service `json:"services"`
			Timers   map[string]unit.Timer   `json:"timers"`
		} `json:"systemd"`
		Home map[string]struct {
			Systemd UserUnits `json:"systemd"`
		} `json:"home"`
	}
	if err := platform.DecodeConfig(js, &doc); err != nil {
		return nil, err
	}
	c := &Config{Services: doc.Systemd.Services, Timers: doc.Systemd.Timers, Users: map[string]UserUnits{}}
	for user, h := range doc.Home {
		if len(h.Systemd.Services)+len(h.Systemd.Timers) > 0 {
			c.Users[user] = h.Systemd
		}
	}
	return c, nil
}

// Empty reports whether no unit is configured.
func (c *Config) Empty() bool {
	return c == nil || len(c.Services)+len(c.Timers)+len(c.Users) == 0
}
