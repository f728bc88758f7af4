package unitstate

import (
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/machine"
)

func init() {
	platform.Register(platform.Kind[Config, Records]{Name: "unitstate", Rank: 65, OS: "linux",
		Config: ConfigFromJSON, Records: DecodeRecords, New: newProvider})

	// Its ops, by their names in journals.
	platform.RegisterOp("unitstate.set", func() platform.Op { return &SetOp{} })
	platform.RegisterOp("unitstate.link", func() platform.Op { return &LinkOp{} })
}

func newProvider(m *machine.Machine, c *Config, r *Records) platform.Provider {
	return &Provider{Machine: m, Config: c, Records: r}
}
