package touchid

import (
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/machine"
)

// The provider keeps no records (a rollback leaves the sudo file as the
// packages and the configuration left it), so it has no FromRecords.
func init() {
	platform.RegisterProvider(platform.Factory{Name: "touch_id", Rank: 80, OS: "darwin",
		FromConfig: func(m *machine.Machine, cfg *platform.Config) (platform.Provider, error) {
			c, err := ConfigFromJSON(cfg.JSON)
			if err != nil {
				return nil, err
			}
			return &Provider{Machine: m, Config: c}, nil
		}})
}
