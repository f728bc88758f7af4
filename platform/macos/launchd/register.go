package launchd

import "github.com/gocfg/gocfg/platform"

// The options whose values are plists: the jobs.
const (
	agentsOption  = "macos.launchd.agents"
	daemonsOption = "macos.launchd.daemons"
)

func init() {
	platform.Register(platform.Kind[Config, Records]{Name: "launchd", Rank: 90, OS: "darwin",
		Plists: []string{agentsOption, daemonsOption}, FromConfig: configFrom, Records: DecodeRecords, New: platform.New[Provider]})

	// Its ops, by their names in journals.
	platform.RegisterOp("launchd.bootstrap", func() platform.Op { return &BootstrapOp{} })
	platform.RegisterOp("launchd.bootout", func() platform.Op { return &BootoutOp{} })
}

// configFrom reads the jobs (plist values) and macos.primary_user.
func configFrom(cfg *platform.Config) (*Config, error) {
	primary, err := cfg.PrimaryUser()
	if err != nil {
		return nil, err
	}
	agents, _ := cfg.Plists[agentsOption].(map[string]any)
	daemons, _ := cfg.Plists[daemonsOption].(map[string]any)
	return NewConfig(primary, agents, daemons)
}
