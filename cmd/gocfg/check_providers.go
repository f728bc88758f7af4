package main

import (
	"context"

	"github.com/gocfg/gocfg/modules"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/system"
)

// validateProviders asks every provider of platform os to check the
// evaluated configuration ev without the machine (platform.Validate:
// unit names, modes, file targets, calendar events, preference domains)
// and shows what they refuse as plan shows it, each at its option's
// line. The programs a provider asks (systemd-analyze) are this host's
// and only read.
func validateProviders(ctx context.Context, env *Env, ev *modules.Evaluation, os string) error {
	js, diags := ev.JSON("")
	if diags.HasErrors() {
		return printDiags(env, ev, diags)
	}
	cfg, err := providerConfig(ev, js, os)
	if err != nil {
		return err
	}
	if err := platform.Validate(ctx, system.NewReadOnly(system.NewReal()), os, cfg); err != nil {
		return planError(env, ev, err)
	}
	return nil
}
