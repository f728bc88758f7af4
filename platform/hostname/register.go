package hostname

import "github.com/gocfg/gocfg/platform"

func init() {
	platform.Register(platform.Kind[Config, Records]{Name: "hostname", Rank: 20, Config: ConfigFromJSON, Records: DecodeRecords, New: platform.New[Provider]})

	// Its ops, by their names in journals.
	platform.RegisterOp("hostname.set", func() platform.Op { return &SetOp{} })
}
