package prefs

import (
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/machine"
)

// The options whose values are plists: the three preference scopes.
const (
	userDefaults = "macos.defaults"
	hostDefaults = "macos.current_host_defaults"
	sysDefaults  = "macos.system_defaults"
)

func init() {
	platform.RegisterProvider(platform.Factory{Name: "defaults", Rank: 70, OS: "darwin",
		Plists: []string{userDefaults, hostDefaults, sysDefaults},
		FromConfig: func(m *machine.Machine, cfg *platform.Config) (platform.Provider, error) {
			primary, err := cfg.PrimaryUser()
			if err != nil {
				return nil, err
			}
			c, err := NewConfig(primary, cfg.Plists[userDefaults], cfg.Plists[hostDefaults], cfg.Plists[sysDefaults])
			if err != nil {
				return nil, err
			}
			return &Provider{Machine: m, Config: c}, nil
		},
		FromRecords: platform.FromRecords(DecodeRecords, func(m *machine.Machine, r *Records) platform.Provider {
			return &Provider{Machine: m, Records: r}
		}),
	})
}
