package systemd

import (
	"github.com/gocfg/gocfg/modules/optpath"
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

// installed is the part of c that machine os gets, and off the units
// it leaves out because their `enable` is false, by ID, each with its
// option path (systemd.services."backup"). On Linux that is every
// unit whose enable is true: `false` leaves a unit out as if it were
// not declared (NixOS's systemd.services.<name>.enable), so a switch
// removes it as it removes a dropped unit. On another OS it is
// nothing: systemd is Linux's, and the configuration warns of the units
// it names there (modules/builtin/hcl/linux/systemd.hcl), since one
// repository often serves a Linux machine and a Mac.
func (c *Config) installed(os string) (in *Config, off map[string]string) {
	in, off = &Config{Users: map[string]UserUnits{}}, map[string]string{}
	if c == nil || os != "linux" {
		return in, off
	}
	in.Services, in.Timers = enabledUnits("systemd", c.Services, c.Timers, off, idsIn(""))
	for user, uu := range c.Users {
		prefix := optpath.Path{"home", user, "systemd"}.String()
		s, t := enabledUnits(prefix, uu.Services, uu.Timers, off, idsIn(user))
		if len(s)+len(t) > 0 {
			in.Users[user] = UserUnits{Services: s, Timers: t}
		}
	}
	return in, off
}

// enabledUnits are the services and timers of one manager (its options
// under prefix) whose enable is true; each of the others is added to
// off, under its ID (id of its unit name).
func enabledUnits(prefix string, services map[string]unit.Service, timers map[string]unit.Timer, off map[string]string, id func(name string) string) (map[string]unit.Service, map[string]unit.Timer) {
	s, t := map[string]unit.Service{}, map[string]unit.Timer{}
	for key, v := range services {
		if v.Enable {
			s[key] = v
		} else {
			off[id(unit.ServiceName(key))] = prefix + ".services." + optpath.Segment(key)
		}
	}
	for key, v := range timers {
		if v.Enable {
			t[key] = v
		} else {
			off[id(unit.TimerName(key))] = prefix + ".timers." + optpath.Segment(key)
		}
	}
	return s, t
}
