package secrets

import (
	"slices"

	"github.com/gocfg/gocfg/platform"
)

// Config is the part of the merged configuration this provider reads.
type Config struct {
	// Secrets is `age.secrets`, by name.
	Secrets map[string]Secret `json:"secrets"`
	// IdentityPaths is `age.identity_paths`.
	IdentityPaths []string `json:"identity_paths"`
	// GocfgBinary is `age.gocfg_binary`, what the boot unit runs.
	GocfgBinary string `json:"gocfg_binary"`
	// Home is `home.<user>.age`, by user (only users that set secrets).
	Home map[string]HomeAge `json:"-"`
}

// HomeAge is one `home.<user>.age`.
type HomeAge struct {
	Secrets       map[string]HomeSecret `json:"secrets"`
	IdentityPaths []string              `json:"identity_paths"`
}

// HomeSecret is one `home.<user>.age.secrets.<name>`.
type HomeSecret struct {
	File string  `json:"file"`
	Path *string `json:"path"`
	Mode string  `json:"mode"`
}

// Secret is one `age.secrets.<name>`.
type Secret struct {
	// File is the ciphertext's path on the machine that evaluates (the
	// repository).
	File         string   `json:"file"`
	Path         *string  `json:"path"`
	Owner        string   `json:"owner"`
	Group        *string  `json:"group"`
	Mode         string   `json:"mode"`
	RestartUnits []string `json:"restart_units"`
	ReloadUnits  []string `json:"reload_units"`
}

// ConfigFromJSON picks this provider's part out of the whole evaluated
// configuration as plain JSON (`gocfg eval --json`): age.* and the users
// with home.<user>.age.secrets.
func ConfigFromJSON(js []byte) (*Config, error) {
	var doc struct {
		Age  Config `json:"age"`
		Home map[string]struct {
			Age HomeAge `json:"age"`
		} `json:"home"`
	}
	if err := platform.DecodeConfig(js, &doc); err != nil {
		return nil, err
	}
	c := doc.Age
	for user, h := range doc.Home {
		if len(h.Age.Secrets) > 0 {
			if c.Home == nil {
				c.Home = map[string]HomeAge{}
			}
			c.Home[user] = h.Age
		}
	}
	return &c, nil
}

// Sources are the ciphertext files the configuration reads, for gocfg
// deploy: a host receives them (ciphertext only) and decrypts with its
// own key. They are sorted, once each.
func (c *Config) Sources() []string {
	var out []string
	for _, s := range c.Secrets {
		if s.File != "" {
			out = append(out, s.File)
		}
	}
	for _, h := range c.Home {
		for _, s := range h.Secrets {
			if s.File != "" {
				out = append(out, s.File)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
