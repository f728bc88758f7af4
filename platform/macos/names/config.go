package names

import "github.com/gocfg/gocfg/platform"

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
	return platform.ConfigAt[Config](js, "networking")
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
