package keyboard

import "github.com/gocfg/gocfg/platform"

func init() {
	platform.Register(platform.Kind[Config, Records]{Name: "keyboard", Rank: 100, OS: "darwin", Config: ConfigFromJSON, Records: DecodeRecords, New: platform.New[Provider]})

	// Its ops, by their names in journals.
	platform.RegisterOp("keyboard.set", func() platform.Op { return &SetOp{} })
}
