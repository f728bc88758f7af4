package systemd

import (
	"context"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/files"
	"github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/system"
)

func init() {
	platform.RegisterProvider(platform.Factory{Name: "systemd", Rank: 60,
		FromConfig: func(m *machine.Machine, cfg *platform.Config) (platform.Provider, error) {
			fc, err := files.ConfigFromJSON(cfg.JSON)
			if err != nil {
				return nil, err
			}
			c, err := ConfigFromJSON(cfg.JSON)
			if err != nil {
				return nil, err
			}
			return &Provider{Machine: m, FilesConfig: fc, Config: c}, nil
		},
		FromRecords: platform.FromRecords(DecodeRecords, func(m *machine.Machine, r *Records) platform.Provider {
			return &Provider{Machine: m, Records: r}
		}),
		Validate: func(ctx context.Context, sys system.System, os string, cfg *platform.Config) error {
			c, err := ConfigFromJSON(cfg.JSON)
			if err != nil {
				return err
			}
			fc, err := files.ConfigFromJSON(cfg.JSON)
			if err != nil {
				return err
			}
			return c.validate(ctx, sys, os, fc)
		},
	})

	// Its ops, by their names in journals.
	platform.RegisterOp("units.checkpoint", func() platform.Op { return &CheckpointOp{} })
	platform.RegisterOp("units.job", func() platform.Op { return &JobOp{} })
}
