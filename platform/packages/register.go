package packages

import "github.com/gocfg/gocfg/platform"

func init() {
	platform.Register(platform.Kind[Config, Records]{Name: "packages", Rank: 40, Config: ConfigFromJSON, Validate: (*Config).validate, Records: DecodeRecords, New: platform.New[Provider]})

	// Its ops, by their names in journals.
	platform.RegisterOp("packages.install", func() platform.Op { return &InstallOp{} })
	platform.RegisterOp("packages.remove", func() platform.Op { return &RemoveOp{} })
	platform.RegisterOp("packages.brew-install", func() platform.Op { return &BrewInstallOp{} })
	platform.RegisterOp("packages.brew-remove", func() platform.Op { return &BrewRemoveOp{} })
	platform.RegisterOp("packages.mas-install", func() platform.Op { return &MasInstallOp{} })
	platform.RegisterOp("packages.mas-remove", func() platform.Op { return &MasRemoveOp{} })
}
