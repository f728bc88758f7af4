package linger

import "github.com/gocfg/gocfg/platform"

// name keys the provider's records in resources.json.
const name = "linger"

// Rank: after users (10), whose accounts it acts on, and before systemd
// (60).
const Rank = 15

func init() {
	platform.Register(platform.Kind[Config, Records]{Name: name, Rank: Rank, Config: ConfigFromJSON, Records: DecodeRecords, New: platform.New[Provider]})

	// Its op, by its name in journals.
	platform.RegisterOp("user.linger", func() platform.Op { return &SetOp{} })
}
