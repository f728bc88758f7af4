package hostname

import "github.com/gocfg/gocfg/platform"

// Config is the part of the merged configuration this provider reads.
type Config struct {
	// HostName is `networking.host_name`; nil when unset.
	HostName *string `json:"host_name"`
}

// ConfigFromJSON picks this provider's part out of the whole evaluated
// configuration as plain JSON (`gocfg eval --json`): networking.host_name.
func ConfigFromJSON(js []byte) (*Config, error) {
	return platform.ConfigAt[Config](js, "networking")
}
