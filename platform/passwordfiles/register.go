package passwordfiles

import "github.com/gocfg/gocfg/platform"

// name keys the provider's records in resources.json.
const name = "password_files"

// Rank: after secrets (55), whose decrypted files it reads, and users
// (10), whose accounts it sets.
const Rank = 57

func init() {
	platform.Register(platform.Kind[Config, Records]{Name: name, Rank: Rank, Config: ConfigFromJSON, Records: DecodeRecords, New: platform.New[Provider]})

	// Its op, by its name in journals.
	platform.RegisterOp("user.password.file", func() platform.Op { return &SetOp{} })
}
