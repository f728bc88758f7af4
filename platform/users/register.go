package users

import (
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/machine"
)

// Rank: users plan first, so that the files and units of the accounts
// they create see them (platform.Facts).
const Rank = 10

func init() {
	platform.RegisterProvider(platform.Factory{Name: "users", Rank: Rank, FromConfig: fromConfig, FromRecords: platform.FromRecords(DecodeRecords, fromRecords)})
}

func fromConfig(m *machine.Machine, cfg *platform.Config) (platform.Provider, error) {
	c, err := ConfigFromJSON(cfg.JSON)
	if err != nil {
		return nil, err
	}
	primary, err := cfg.PrimaryUser()
	if err != nil {
		return nil, err
	}
	var doc struct {
		Environment struct {
			SystemPackages []string `json:"system_packages"`
		} `json:"environment"`
	}
	if err := cfg.Decode(&doc); err != nil {
		return nil, err
	}
	// Packages install in this switch when gocfg may install them: as
	// root, or on a Mac, where brew runs as the user; never offline.
	pending := len(doc.Environment.SystemPackages) > 0 && (m.Privileged || m.OS == "darwin") && !m.Offline
	return &Provider{Machine: m, Config: c, PrimaryUser: primary, PackagesPending: pending}, nil
}

func fromRecords(m *machine.Machine, r *Records) platform.Provider {
	return &Provider{Machine: m, Records: r}
}
