package launchd

import (
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/machine"
)

// The options whose values are plists: the jobs.
const (
	agentsOption  = "macos.launchd.agents"
	daemonsOption = "macos.launchd.daemons"
)

func init() {
	platform.RegisterProvider(platform.Factory{Name: "launchd", Rank: 90, OS: "darwin",
		Plists: []string{agentsOption, daemonsOption},
		FromConfig: func(m *machine.Machine, cfg *platform.Config) (platform.Provider, error) {
			primary, err := cfg.PrimaryUser()
			if err != nil {
				return nil, err
			}
			agents, _ := cfg.Plists[agentsOption].(map[string]any)
			daemons, _ := cfg.Plists[daemonsOption].(map[string]any)
			c, err := NewConfig(primary, agents, daemons)
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
