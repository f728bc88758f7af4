package names

import "github.com/gocfg/gocfg/platform"

func init() {
	platform.Register(platform.Kind[Config, Records]{Name: "names", Rank: 30, OS: "darwin", Config: ConfigFromJSON, Records: DecodeRecords, New: platform.New[Provider]})

	// Its ops, by their names in journals.
	platform.RegisterOp("names.set", func() platform.Op { return &SetOp{} })
}
