package systemsetup

import (
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/machine"
)

func init() {
	platform.Register(platform.Kind[Config, Records]{Name: "systemsetup", Rank: 35, OS: "darwin", Config: ConfigFromJSON, Records: DecodeRecords, New: newProvider})
}

func newProvider(m *machine.Machine, c *Config, r *Records) platform.Provider {
	return &Provider{Machine: m, Config: c, Records: r}
}
