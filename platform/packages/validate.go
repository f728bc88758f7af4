package packages

import "github.com/gocfg/gocfg/platform"

// validate checks c without the machine (platform.Kind.Validate, for
// gocfg check): elsewhere, that the package names are names (clean); on
// a Mac (or with package_manager = "brew"), that the
// formulae, casks and taps are names Homebrew takes, every kind's
// error at once. Tester O: check said ok for casks = ["firefox
// --no-quarantine"], which plan refused. Whether a name is a formula or
// a cask, or exists at all, is the plan's (brew answers it).
func (c *Config) validate(os string) error {
	if os != "darwin" && c.PackageManager != "brew" {
		// apt, dnf, pacman: the names the plan refuses on any machine
		// (tester U: check said ok for "-oops").
		_, err := clean(c.SystemPackages)
		return err
	}
	var errs []error
	for _, k := range []struct {
		kind, opt string
		names     []string
	}{{kindFormula, option, c.SystemPackages}, {kindCask, optionCasks, c.Casks}, {kindTap, optionTaps, c.Taps}} {
		if _, err := cleanBrew(k.opt, k.kind, k.names); err != nil {
			errs = append(errs, err)
		}
	}
	return platform.JoinErrors(errs)
}
