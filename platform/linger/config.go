package linger

import "github.com/gocfg/gocfg/platform"

// Config is the part of the configuration this provider reads.
type Config struct {
	// Users maps a user to users.<name>.linger, for the users that set it.
	Users map[string]bool
}

// ConfigFromJSON picks users.<name>.linger out of the evaluated
// configuration as plain JSON (`gocfg eval --json`).
func ConfigFromJSON(js []byte) (*Config, error) {
	var doc struct {
		Users map[string]struct {
			Linger *bool `json:"linger"`
		} `json:"users"`
	}
	if err := platform.DecodeConfig(js, &doc); err != nil {
		return nil, err
	}
	c := &Config{Users: map[string]bool{}}
	for name, u := range doc.Users {
		if u.Linger != nil {
			c.Users[name] = *u.Linger
		}
	}
	return c, nil
}
