package secrets

import (
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/machine"
)

// Rank 55: after users (10, whose accounts own the secrets), packages
// (40) and files (50); before systemd (60) and unitstate (65), whose
// units read the secrets when they start.
func init() {
	platform.Register(platform.Kind[Config, Records]{Name: "secrets", Rank: 55,
		Config: ConfigFromJSON, Records: DecodeRecords, New: newProvider})
}

func newProvider(m *machine.Machine, c *Config, r *Records) platform.Provider {
	return &Provider{Machine: m, Config: c, Records: r}
}
