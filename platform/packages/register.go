package packages

import "github.com/gocfg/gocfg/platform"

func init() {
	platform.Register(platform.Kind[Config, Records]{Name: "packages", Rank: 40, Config: ConfigFromJSON, Records: DecodeRecords, New: platform.New[Provider]})
}
