package keyboard

import "github.com/gocfg/gocfg/platform"

func init() {
	platform.Register(platform.Kind[Config, Records]{Name: "keyboard", Rank: 100, OS: "darwin", Config: ConfigFromJSON, Records: DecodeRecords, New: platform.New[Provider]})
}
