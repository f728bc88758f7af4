package secrets

import "github.com/gocfg/gocfg/platform"

// Rank 55: after users (10, whose accounts own the secrets), packages
// (40) and files (50); before systemd (60) and unitstate (65), whose
// units read the secrets when they start.
func init() {
	platform.Register(platform.Kind[Config, Records]{Name: "secrets", Rank: 55, Config: ConfigFromJSON, Records: DecodeRecords, Validate: validate, New: platform.New[Provider]})

	// Its ops, by their names in journals.
	platform.RegisterOp("secrets.mount", func() platform.Op { return &MountOp{} })
	platform.RegisterOp("secrets.set", func() platform.Op { return &SetOp{} })
	platform.RegisterOp("secrets.write", func() platform.Op { return &WriteOp{} })
	platform.RegisterOp("secrets.swap", func() platform.Op { return &SwapOp{} })
	platform.RegisterOp("secrets.link", func() platform.Op { return &LinkOp{} })
	platform.RegisterOp("secrets.unlink", func() platform.Op { return &UnlinkOp{} })
	platform.RegisterOp("secrets.units", func() platform.Op { return &UnitsOp{} })
	platform.RegisterOp("secrets.home-write", func() platform.Op { return &HomeWriteOp{} })
	platform.RegisterOp("secrets.home-remove", func() platform.Op { return &HomeRemoveOp{} })
}
