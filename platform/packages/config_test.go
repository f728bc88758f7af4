package packages

import (
	"slices"
	"testing"

	"github.com/gocfg/gocfg/platform/internal/providertest"
)

func TestConfigFromJSON(t *testing.T) {
	providertest.CheckConfigs(t, ConfigFromJSON,
		providertest.ConfigCase[Config]{Name: "set", HCL: "environment {\n  system_packages = [\"git\", \"ripgrep\"]\n  package_manager = \"apt\"\n}\n",
			OK: func(cfg *Config) bool {
				return slices.Equal(cfg.SystemPackages, []string{"git", "ripgrep"}) && cfg.PackageManager == "apt"
			}},
		providertest.ConfigCase[Config]{Name: "defaults", HCL: "",
			OK: func(cfg *Config) bool {
				return len(cfg.SystemPackages) == 0 && (cfg.PackageManager == "" || cfg.PackageManager == "auto")
			}},
	)
}

func TestConfigFromJSONHomebrew(t *testing.T) {
	providertest.CheckConfigs(t, ConfigFromJSON,
		providertest.ConfigCase[Config]{Name: "set", HCL: `macos {
  primary_user = "alice"
  homebrew {
    casks = ["firefox"]
    taps  = ["hashicorp/tap"]
  }
}
`, OK: func(cfg *Config) bool {
			return slices.Equal(cfg.Casks, []string{"firefox"}) && slices.Equal(cfg.Taps, []string{"hashicorp/tap"}) && cfg.BrewUser == "alice"
		}},
		providertest.ConfigCase[Config]{Name: "user", HCL: "macos {\n  primary_user = \"alice\"\n  homebrew { user = \"brewer\" }\n}\n",
			OK: func(cfg *Config) bool {
				return cfg.BrewUser == "brewer" && len(cfg.Casks) == 0 && len(cfg.Taps) == 0
			}},
	)
}
