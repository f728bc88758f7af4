package packages

import (
	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/platform"
)

// Config is the part of the merged configuration this provider reads.
type Config struct {
	// SystemPackages is `environment.system_packages`.
	SystemPackages []string `json:"system_packages"`
	// PackageManager is `environment.package_manager`: auto (also when
	// empty), apt, dnf, pacman or brew.
	PackageManager string `json:"package_manager"`
	// Casks is `macos.homebrew.casks`, Taps `macos.homebrew.taps`
	// (Homebrew only).
	Casks []string `json:"-"`
	Taps  []string `json:"-"`
	// BrewUser is the user brew runs as when gocfg runs as root:
	// `macos.homebrew.user`, else `macos.primary_user`.
	BrewUser string `json:"-"`
	// Cleanup is `macos.homebrew.cleanup`: none (also ""), uninstall or
	// zap.
	Cleanup string `json:"-"`
	// MasApps is `macos.homebrew.mas_apps` (name → App Store id).
	MasApps map[string]int `json:"-"`
}

// ConfigFromJSON picks this provider's part out of the whole evaluated
// configuration as plain JSON (`gocfg eval --json`):
// environment.system_packages and environment.package_manager, and for
// Homebrew macos.homebrew.casks, macos.homebrew.taps, macos.homebrew.user
// and macos.primary_user.
func ConfigFromJSON(js []byte) (*Config, error) {
	var doc struct {
		Environment Config `json:"environment"`
		Macos       struct {
			PrimaryUser *string `json:"primary_user"`
			Homebrew    struct {
				Casks   []string       `json:"casks"`
				Taps    []string       `json:"taps"`
				User    *string        `json:"user"`
				Cleanup string         `json:"cleanup"`
				MasApps map[string]int `json:"mas_apps"`
			} `json:"homebrew"`
		} `json:"macos"`
	}
	if err := platform.DecodeConfig(js, &doc); err != nil {
		return nil, err
	}
	c := &doc.Environment
	hb := doc.Macos.Homebrew
	c.Casks, c.Taps, c.Cleanup, c.MasApps = hb.Casks, hb.Taps, hb.Cleanup, hb.MasApps
	switch {
	case hb.User != nil && *hb.User != "":
		c.BrewUser = *hb.User
	case doc.Macos.PrimaryUser != nil:
		c.BrewUser = *doc.Macos.PrimaryUser
	}
	return c, nil
}

// Records are the provider's part of resources.json:
//
//	{"manager": "apt", "packages": ["git", "hello"], "installed": ["hello"]}
//
// Packages is the declared list (the desired state of a rollback);
// Installed lists the packages gocfg installed, the only ones it removes.
// With Homebrew, Packages are formulae, and casks and taps are kept the
// same way, with the user brew ran as:
//
//	{"manager": "brew", "packages": ["jq"], "installed": ["jq"],
//	 "casks": {"names": ["firefox"], "installed": ["firefox"]},
//	 "taps": {"names": ["hashicorp/tap"], "installed": []},
//	 "brew_user": "alice"}
type Records struct {
	Manager   string   `json:"manager,omitempty"`
	Packages  []string `json:"packages"`
	Installed []string `json:"installed"`
	// Casks and Taps are Homebrew's casks and taps (nil: none declared
	// or installed).
	Casks *Set `json:"casks,omitempty"`
	Taps  *Set `json:"taps,omitempty"`
	// BrewUser is the user brew runs as when gocfg runs as root.
	BrewUser string `json:"brew_user,omitempty"`
	// Cleanup is macos.homebrew.cleanup when it is not none, so that a
	// rollback to the generation cleans up as its switch did.
	Cleanup string `json:"cleanup,omitempty"`
	// Mas are the App Store apps (nil: none declared).
	Mas *MasSet `json:"mas,omitempty"`
}

// A Set is one kind of Homebrew's things in the records: the declared
// names, and those gocfg installed (tapped), the only ones it removes.
type Set struct {
	Names     []string `json:"names"`
	Installed []string `json:"installed"`
}

// names and installed are nil-safe accessors.
func (s *Set) names() []string {
	if s == nil {
		return nil
	}
	return s.Names
}

func (s *Set) installed() []string {
	if s == nil {
		return nil
	}
	return s.Installed
}

// newSet returns a Set, or nil when both lists are empty.
func newSet(names, installed []string) *Set {
	if len(names) == 0 && len(installed) == 0 {
		return nil
	}
	if names == nil {
		names = []string{}
	}
	if installed == nil {
		installed = []string{}
	}
	return &Set{Names: names, Installed: installed}
}

func (r *Records) normalize() *Records {
	if r.Packages == nil {
		r.Packages = []string{}
	}
	if r.Installed == nil {
		r.Installed = []string{}
	}
	return r
}

// DecodeRecords reads the provider's records (nil data: none).
func DecodeRecords(data json.RawMessage) (*Records, error) {
	return platform.DecodeRecords[Records]("packages", data)
}
