package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/gocfg/gocfg/modules"
	"github.com/gocfg/gocfg/modules/plistval"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/files"
	"github.com/gocfg/gocfg/platform/macos"
	"github.com/gocfg/gocfg/platform/macos/keyboard"
	"github.com/gocfg/gocfg/platform/macos/launchd"
	"github.com/gocfg/gocfg/platform/macos/prefs"
	"github.com/gocfg/gocfg/platform/macos/touchid"
)

// plistValueOptions are the options whose values become plists: plain
// JSON would lose what sets a <real> apart from an <integer>, and dates
// and data from strings, so the macOS providers take them typed.
var plistValueOptions = []string{
	"macos.defaults",
	"macos.current_host_defaults",
	"macos.system_defaults",
	"macos.launchd.agents",
	"macos.launchd.daemons",
}

// plistOptions reads the plistValueOptions as Go plist values
// (modules/plistval.ToGo).
func plistOptions(ev *modules.Evaluation) (map[string]any, error) {
	out := map[string]any{}
	for _, o := range plistValueOptions {
		if !ev.Declares(o) {
			continue
		}
		v, _, diags := ev.Value(o)
		if diags.HasErrors() {
			return nil, fmt.Errorf("%s: %s", o, diags.Error())
		}
		g, err := plistval.ToGo(v)
		if err != nil {
			return nil, fmt.Errorf("%s.%w", o, err)
		}
		out[o] = g
	}
	return out, nil
}

// readPrimaryUser reads macos.primary_user ("" when unset), which
// several providers share.
func readPrimaryUser(js []byte) (string, error) {
	var doc struct {
		Macos struct {
			PrimaryUser *string `json:"primary_user"`
		} `json:"macos"`
	}
	if err := json.Unmarshal(js, &doc); err != nil {
		return "", fmt.Errorf("read the evaluated configuration: %w", err)
	}
	if doc.Macos.PrimaryUser == nil {
		return "", nil
	}
	return *doc.Macos.PrimaryUser, nil
}

// macosConfigProviders are the macOS-only providers, desired from the
// configuration.
func (m *machine) macosConfigProviders(js []byte, primary string, plists map[string]any, layout *files.Layout) ([]platform.Provider, error) {
	pc, err := prefs.NewConfig(primary, plists["macos.defaults"], plists["macos.current_host_defaults"], plists["macos.system_defaults"])
	if err != nil {
		return nil, err
	}
	tc, err := touchid.ConfigFromJSON(js)
	if err != nil {
		return nil, err
	}
	agents, _ := plists["macos.launchd.agents"].(map[string]any)
	daemons, _ := plists["macos.launchd.daemons"].(map[string]any)
	lc, err := launchd.NewConfig(primary, agents, daemons)
	if err != nil {
		return nil, err
	}
	kc, err := keyboard.ConfigFromJSON(js)
	if err != nil {
		return nil, err
	}
	return []platform.Provider{
		&prefs.Provider{Layout: m.prefsLayout(), Config: pc},
		&touchid.Provider{Query: m.query, Config: tc},
		&launchd.Provider{Layout: m.launchdLayout(layout), Config: lc},
		&keyboard.Provider{Layout: m.keyboardLayout(), Config: kc},
	}, nil
}

// macosRecordProviders are the macOS-only providers, desired from what
// generation n recorded.
func (m *machine) macosRecordProviders(n int, recorded platform.Applied, layout *files.Layout) ([]platform.Provider, error) {
	wrap := func(err error) error { return fmt.Errorf("generation %d: %w", n, err) }
	pr, err := prefs.DecodeRecords(recorded["defaults"])
	if err != nil {
		return nil, wrap(err)
	}
	lr, err := launchd.DecodeRecords(recorded["launchd"])
	if err != nil {
		return nil, wrap(err)
	}
	kr, err := keyboard.DecodeRecords(recorded["keyboard"])
	if err != nil {
		return nil, wrap(err)
	}
	return []platform.Provider{
		&prefs.Provider{Layout: m.prefsLayout(), Records: pr},
		&launchd.Provider{Layout: m.launchdLayout(layout), Records: lr},
		&keyboard.Provider{Layout: m.keyboardLayout(), Records: kr},
	}, nil
}

func (m *machine) launchdLayout(fl *files.Layout) *launchd.Layout {
	return &launchd.Layout{Sys: m.sys, Query: m.query, Store: fl.Store, Current: fl.Current, To: fl.To,
		Offline: m.rooted, Privileged: m.privileged, Self: m.self(), Lookup: m.lookupMacUser}
}

func (m *machine) keyboardLayout() *keyboard.Layout {
	return &keyboard.Layout{Sys: m.sys, Query: m.query, Offline: m.rooted}
}

func (m *machine) prefsLayout() *prefs.Layout {
	return &prefs.Layout{Sys: m.sys, Query: m.query, Offline: m.rooted, Privileged: m.privileged, Self: m.self(), Lookup: m.lookupMacUser}
}

// self is the user gocfg runs as: root under sudo, else the invoking
// user.
func (m *machine) self() string {
	if m.privileged {
		return "root"
	}
	return m.env.User
}

// lookupMacUser finds a macOS user in the account database the machine
// read once (dscl . -readall on a Mac, the tree's files offline). A user
// it lacks is asked for with dscl on a Mac; offline it gets the macOS
// defaults (home /Users/<name>, ids unknown, so files keep the owner
// gocfg gives them).
func (m *machine) lookupMacUser(ctx context.Context, name string) (macos.User, error) {
	if a, ok := m.accounts.User(name); ok {
		return macos.User{Name: name, UID: a.UID, GID: a.GID, Home: a.Home}, nil
	}
	if !m.rooted {
		return macos.LookupUser(ctx, m.query, name)
	}
	return macos.User{Name: name, UID: -1, GID: -1, Home: "/Users/" + name}, nil
}
