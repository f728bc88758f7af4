package secrets

import (
	"errors"
	"maps"
	"slices"
	"strconv"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/machine"
)

// validate checks, for gocfg check, what a plan would refuse in the
// configuration alone, on any machine: names, modes, and the paths of
// the users' secrets, which must stay in their homes (tester Q: check
// said ok for "../bob/.netrc" and "/etc/x"; the plan refused them).
// Whether each file decrypts is the plan's to say: it needs the host's
// identities.
func validate(c *Config, _ string) error {
	var errs []error
	for _, name := range slices.Sorted(maps.Keys(c.Secrets)) {
		s := c.Secrets[name]
		if err := checkName(name); err != nil {
			errs = append(errs, &platform.ConfigError{Option: option(name), Msg: err.Error()})
			continue
		}
		if _, err := parseMode(s.Mode); err != nil {
			errs = append(errs, &platform.ConfigError{Option: option(name, "mode"), Msg: err.Error()})
		}
		// Absolute, and not gocfg's own (the homes are the machine's:
		// the plan's). Tester U: check said ok for a relative path.
		if s.Path != nil {
			if err := checkPath(&machine.Machine{}, *s.Path); err != nil {
				errs = append(errs, &platform.ConfigError{Option: option(name, "path"), Msg: err.Error(),
					Hint: "set an absolute path outside /run/gocfg and outside users' homes, such as /etc/app/token"})
			}
		}
	}
	for _, user := range slices.Sorted(maps.Keys(c.Home)) {
		ss := c.Home[user].Secrets
		for _, name := range slices.Sorted(maps.Keys(ss)) {
			s, opt := ss[name], homeOption(user, "secrets", strconv.Quote(name))
			if err := checkName(name); err != nil {
				errs = append(errs, &platform.ConfigError{Option: opt, Msg: err.Error()})
				continue
			}
			if _, err := parseMode(s.Mode); err != nil {
				errs = append(errs, &platform.ConfigError{Option: opt + ".mode", Msg: err.Error()})
			}
			if s.Path != nil {
				if _, err := inHome("/home/"+user, *s.Path); err != nil {
					errs = append(errs, &platform.ConfigError{Option: opt + ".path", Msg: err.Error()})
				}
			}
		}
	}
	return errors.Join(errs...)
}
