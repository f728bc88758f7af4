package prefs

import "github.com/gocfg/gocfg/platform"

// The options whose values are plists: the three preference scopes.
const (
	userDefaults = "macos.defaults"
	hostDefaults = "macos.current_host_defaults"
	sysDefaults  = "macos.system_defaults"
)

func init() {
	platform.Register(platform.Kind[Config, Records]{Name: "defaults", Rank: 70, OS: "darwin",
		Plists: []string{userDefaults, hostDefaults, sysDefaults}, FromConfig: configFrom, Records: DecodeRecords, New: platform.New[Provider]})

	// Its ops, by their names in journals.
	platform.RegisterOp("defaults.write", func() platform.Op { return &WriteOp{} })
	platform.RegisterOp("defaults.refresh", func() platform.Op { return &RefreshOp{} })
}

// configFrom reads the three scopes (plist values) and
// macos.primary_user.
func configFrom(cfg *platform.Config) (*Config, error) {
	primary, err := cfg.PrimaryUser()
	if err != nil {
		return nil, err
	}
	return NewConfig(primary, cfg.Plists[userDefaults], cfg.Plists[hostDefaults], cfg.Plists[sysDefaults])
}
