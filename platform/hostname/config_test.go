package hostname_test

import (
	"testing"

	"github.com/gocfg/gocfg/platform/hostname"
	"github.com/gocfg/gocfg/platform/internal/providertest"
)

func TestConfigFromJSON(t *testing.T) {
	providertest.CheckConfigs(t, hostname.ConfigFromJSON,
		providertest.ConfigCase[hostname.Config]{Name: "set", HCL: "networking {\n  host_name = \"atlas\"\n}\n",
			OK: func(cfg *hostname.Config) bool { return cfg.HostName != nil && *cfg.HostName == "atlas" }},
		providertest.ConfigCase[hostname.Config]{Name: "unset", HCL: "",
			OK: func(cfg *hostname.Config) bool { return cfg.HostName == nil }},
	)
}
