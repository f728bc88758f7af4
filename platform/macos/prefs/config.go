package prefs

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/gocfg/gocfg/platform"
)

// Config is what the provider reads of the configuration.
type Config struct {
	// PrimaryUser owns macos.defaults and macos.current_host_defaults.
	PrimaryUser string
	// Keys are the desired keys, sorted by resource ID.
	Keys []Key
}

// A Key is one desired preference.
type Key struct {
	Domain Domain
	Key    string
	Value  any
}

// NewConfig reads the three options, as modules/plistval.ToGo gives them
// (domain → key → value; a nil value leaves the key unmanaged).
func NewConfig(primaryUser string, user, host, sys any) (*Config, error) {
	c := &Config{PrimaryUser: primaryUser}
	// Every domain's and key's error, so that they show at once.
	var errs []error
	for _, o := range []struct {
		scope string
		v     any
	}{{ScopeUser, user}, {ScopeHost, host}, {ScopeSystem, sys}} {
		if o.v == nil {
			continue
		}
		domains, ok := o.v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%s: want domains, got %T", Domain{Scope: o.scope}.Option(), o.v)
		}
		// Domains and keys in name order: the errors, and the
		// domain the primary-user check below names, are the same
		// from run to run.
		folded := map[string]string{} // lower case → the name first seen
		for _, name := range slices.Sorted(maps.Keys(domains)) {
			keys := domains[name]
			d := Domain{Scope: o.scope, Name: name}
			if o.scope != ScopeSystem {
				d.User = primaryUser
			}
			if keys == nil {
				continue
			}
			if msg, hint := nameProblem(name); msg != "" {
				errs = append(errs, &platform.ConfigError{Option: d.Option() + "." + strconv.Quote(name), Msg: msg, Hint: hint})
				continue
			}
			if other, ok := folded[strings.ToLower(name)]; ok {
				errs = append(errs, &platform.ConfigError{Option: d.Option() + "." + strconv.Quote(name), Msg: fmt.Sprintf("is %q in other letters: a Mac's disk does not tell them apart, so both are one preferences file", other),
					Hint: "set the keys under one of the two names"})
				continue
			}
			folded[strings.ToLower(name)] = name
			km, ok := keys.(map[string]any)
			if !ok {
				errs = append(errs, &platform.ConfigError{Option: d.Option() + "." + strconv.Quote(name), Msg: fmt.Sprintf("want an object of keys, got %T", keys)})
				continue
			}
			for _, k := range slices.Sorted(maps.Keys(km)) {
				v := km[k]
				if v == nil {
					continue
				}
				v = Normalize(v)
				if err := Check(v); err != nil {
					errs = append(errs, &platform.ConfigError{Option: d.Option() + "." + strconv.Quote(name) + "." + strconv.Quote(k), Msg: err.Error()})
					continue
				}
				c.Keys = append(c.Keys, Key{Domain: d, Key: k, Value: v})
			}
		}
	}
	if len(errs) > 0 {
		return nil, platform.JoinErrors(errs)
	}
	if c.PrimaryUser == "" || c.PrimaryUser == "root" {
		for _, k := range c.Keys {
			if k.Domain.Scope != ScopeSystem {
				return nil, &platform.ConfigError{Option: "macos.primary_user", Msg: fmt.Sprintf("%s sets preferences of %q, but there is no primary user to write them as", k.Domain.Option(), k.Domain.Name),
					Hint: `set macos.primary_user = "<your user name>" (gocfg run with sudo takes SUDO_USER by default)`}
			}
		}
	}
	sort.Slice(c.Keys, func(i, j int) bool {
		return c.Keys[i].Domain.KeyID(c.Keys[i].Key) < c.Keys[j].Domain.KeyID(c.Keys[j].Key)
	})
	return c, nil
}
