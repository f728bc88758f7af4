package users

import (
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/machine"
)

// Rank: users plan first, so that the files and units of the accounts
// they create see them (platform.Facts).
const Rank = 10

func init() {
	platform.RegisterProvider(platform.Factory{Name: "users", Rank: Rank, FromConfig: fromConfig, FromRecords: platform.FromRecords(DecodeRecords, fromRecords), Validate: validateConfig})

	// Its ops, by their names in journals.
	platform.RegisterOp("user.add", func() platform.Op { return &UserAddOp{} })
	platform.RegisterOp("user.mod", func() platform.Op { return &UserModOp{} })
	platform.RegisterOp("user.del", func() platform.Op { return &UserDelOp{} })
	platform.RegisterOp("group.add", func() platform.Op { return &GroupAddOp{} })
	platform.RegisterOp("group.mod", func() platform.Op { return &GroupModOp{} })
	platform.RegisterOp("group.del", func() platform.Op { return &GroupDelOp{} })
	platform.RegisterOp("group.member.add", func() platform.Op { return &MemberAddOp{} })
	platform.RegisterOp("group.member.remove", func() platform.Op { return &MemberRemoveOp{} })
	platform.RegisterOp("user.darwin.add", func() platform.Op { return &DarwinUserAddOp{} })
	platform.RegisterOp("user.darwin.mod", func() platform.Op { return &DarwinUserModOp{} })
	platform.RegisterOp("user.darwin.hidden", func() platform.Op { return &DarwinHiddenOp{} })
	platform.RegisterOp("user.darwin.del", func() platform.Op { return &DarwinUserDelOp{} })
	platform.RegisterOp("group.darwin.add", func() platform.Op { return &DarwinGroupAddOp{} })
	platform.RegisterOp("group.darwin.mod", func() platform.Op { return &DarwinGroupModOp{} })
	platform.RegisterOp("group.darwin.del", func() platform.Op { return &DarwinGroupDelOp{} })
	platform.RegisterOp("group.darwin.member.add", func() platform.Op { return &DarwinMemberAddOp{} })
	platform.RegisterOp("group.darwin.member.remove", func() platform.Op { return &DarwinMemberRemoveOp{} })
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
