package files

import "github.com/gocfg/gocfg/platform"

func init() {
	platform.Register(platform.Kind[Config, Records]{Name: "files", Rank: 50, Config: configWithHomeFiles, Records: DecodeRecords, New: platform.New[Provider]})
}
