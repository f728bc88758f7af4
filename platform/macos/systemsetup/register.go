package systemsetup

import "github.com/gocfg/gocfg/platform"

func init() {
	platform.Register(platform.Kind[Config, Records]{Name: "systemsetup", Rank: 35, OS: "darwin", Config: ConfigFromJSON, Records: DecodeRecords, New: platform.New[Provider]})

	// Its ops, by their names in journals.
	platform.RegisterOp("systemsetup.set", func() platform.Op { return &SetOp{} })
}
