package systemsetup

import "github.com/gocfg/gocfg/platform"

// Config is the part of the merged configuration this provider reads.
type Config struct {
	// TimeZone is time.time_zone (nil: unset).
	TimeZone *string
	// RemoteLogin is services.openssh.enable, Firewall
	// networking.firewall.enable.
	RemoteLogin, Firewall bool
}

// ConfigFromJSON picks this provider's part out of the whole evaluated
// configuration as plain JSON (`gocfg eval --json`): time.time_zone,
// services.openssh.enable and networking.firewall.enable.
func ConfigFromJSON(js []byte) (*Config, error) {
	var doc struct {
		Time struct {
			TimeZone *string `json:"time_zone"`
		} `json:"time"`
		Services struct {
			OpenSSH struct {
				Enable bool `json:"enable"`
			} `json:"openssh"`
		} `json:"services"`
		Networking struct {
			Firewall struct {
				Enable bool `json:"enable"`
			} `json:"firewall"`
		} `json:"networking"`
	}
	if err := platform.DecodeConfig(js, &doc); err != nil {
		return nil, err
	}
	return &Config{TimeZone: doc.Time.TimeZone, RemoteLogin: doc.Services.OpenSSH.Enable, Firewall: doc.Networking.Firewall.Enable}, nil
}

// want returns the value the configuration asks of a setting (nil: not
// managed).
func (c *Config) want(key string) *string {
	on := "on"
	switch {
	case key == TimeZone:
		return c.TimeZone
	case key == RemoteLogin && c.RemoteLogin, key == Firewall && c.Firewall:
		return &on
	}
	return nil
}
