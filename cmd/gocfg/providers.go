package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/accounts"
	"github.com/gocfg/gocfg/platform/files"
	"github.com/gocfg/gocfg/platform/hostname"
	"github.com/gocfg/gocfg/platform/macos/names"
	"github.com/gocfg/gocfg/platform/packages"
	"github.com/gocfg/gocfg/platform/systemd"
	"github.com/gocfg/gocfg/platform/users"
)

// configProviders are the resource providers, desired from the evaluated
// configuration (plain JSON, as gocfg eval --json prints it). The plan
// orders their changes by dependencies; the users provider plans first
// so that the others see the accounts it will create.
//
// plists are the options whose values are plists, typed (see
// plistOptions); only macOS reads them.
func (m *machine) configProviders(js []byte, plists map[string]any, layout *files.Layout) ([]platform.Provider, error) {
	fc, err := files.ConfigFromJSON(js)
	if err != nil {
		return nil, err
	}
	sc, err := systemd.ConfigFromJSON(js)
	if err != nil {
		return nil, err
	}
	uc, err := users.ConfigFromJSON(js)
	if err != nil {
		return nil, err
	}
	hc, err := hostname.ConfigFromJSON(js)
	if err != nil {
		return nil, err
	}
	pc, err := packages.ConfigFromJSON(js)
	if err != nil {
		return nil, err
	}
	nc, err := names.ConfigFromJSON(js)
	if err != nil {
		return nil, err
	}
	primary, err := readPrimaryUser(js)
	if err != nil {
		return nil, err
	}
	ul := m.usersLayout()
	// macOS never deletes the primary user.
	ul.PrimaryUser = primary
	// Packages install in this switch when gocfg may install them: as
	// root, or on a Mac, where brew runs as the user.
	ul.PackagesPending = len(pc.SystemPackages) > 0 && (m.privileged || m.os == "darwin") && !m.rooted
	up := &users.Provider{Layout: ul, Config: uc}
	createHome := func(name string) bool {
		u, ok := uc.Users[name]
		return ok && (u.CreateHome == nil || *u.CreateHome)
	}
	provs := []platform.Provider{
		up,
		&hostname.Provider{Layout: m.hostnameLayout(), Config: hc},
		&names.Provider{Layout: m.namesLayout(), Config: nc},
		&packages.Provider{Layout: m.packagesLayout(), Config: pc},
		&afterUsers{Provider: &files.Provider{Layout: layout, Config: fc, Now: m.env.Now}, users: up, layout: layout, base: m.accounts, createHome: createHome},
		&systemd.Provider{Layout: layout, FilesConfig: fc, Config: sc, RuntimeDir: runtimeDir(m.env)},
	}
	if m.os == "darwin" {
		mp, err := m.macosConfigProviders(js, primary, plists, layout)
		if err != nil {
			return nil, err
		}
		provs = append(provs, mp...)
	}
	return provs, nil
}

// recordProviders are the resource providers, desired from what
// generation n recorded (rollback to n, status of the current one).
func (m *machine) recordProviders(n int, recorded platform.Applied, layout *files.Layout) ([]platform.Provider, error) {
	wrap := func(err error) error { return fmt.Errorf("generation %d: %w", n, err) }
	fr, err := files.DecodeRecords(recorded["files"])
	if err != nil {
		return nil, wrap(err)
	}
	sr, err := systemd.DecodeRecords(recorded["systemd"])
	if err != nil {
		return nil, wrap(err)
	}
	ur, err := users.DecodeRecords(recorded["users"])
	if err != nil {
		return nil, wrap(err)
	}
	hr, err := hostname.DecodeRecords(recorded["hostname"])
	if err != nil {
		return nil, wrap(err)
	}
	pr, err := packages.DecodeRecords(recorded["packages"])
	if err != nil {
		return nil, wrap(err)
	}
	nr, err := names.DecodeRecords(recorded["names"])
	if err != nil {
		return nil, wrap(err)
	}
	up := &users.Provider{Layout: m.usersLayout(), Records: ur}
	provs := []platform.Provider{
		up,
		&hostname.Provider{Layout: m.hostnameLayout(), Records: hr},
		&names.Provider{Layout: m.namesLayout(), Records: nr},
		&packages.Provider{Layout: m.packagesLayout(), Records: pr},
		&afterUsers{Provider: &files.Provider{Layout: layout, Records: fr, Now: m.env.Now}, users: up, layout: layout, base: m.accounts},
		&systemd.Provider{Layout: layout, Records: sr, RuntimeDir: runtimeDir(m.env)},
	}
	if m.os == "darwin" {
		mp, err := m.macosRecordProviders(n, recorded, layout)
		if err != nil {
			return nil, err
		}
		provs = append(provs, mp...)
	}
	return provs, nil
}

func (m *machine) usersLayout() *users.Layout {
	return &users.Layout{Sys: m.sys, Query: m.query, Rooted: m.rooted, Root: m.rootDir, Privileged: m.privileged, OS: m.os}
}

func (m *machine) hostnameLayout() *hostname.Layout {
	return &hostname.Layout{Sys: m.sys, Rooted: m.rooted, Privileged: m.privileged, OS: m.os}
}

func (m *machine) namesLayout() *names.Layout {
	return &names.Layout{Sys: m.sys, Query: m.query, Rooted: m.rooted, Privileged: m.privileged, OS: m.os}
}

func (m *machine) packagesLayout() *packages.Layout {
	return &packages.Layout{Sys: m.sys, Query: m.query, Rooted: m.rooted, Privileged: m.privileged, OS: m.os}
}

// afterUsers plans a provider that writes into homes once the users
// provider has planned: the accounts it will create are then known (their
// IDs own the files, their homes are where the files go), and useradd
// makes the homes of new users that have create_home.
type afterUsers struct {
	platform.Provider
	users      *users.Provider
	layout     *files.Layout
	base       *accounts.Database
	createHome func(string) bool
}

// Plan updates the shared layout, then plans.
func (a *afterUsers) Plan(ctx context.Context, applied json.RawMessage) (*platform.Part, error) {
	accts, groups := a.users.Planned()
	a.layout.Accounts = a.base.With(accts, groups)
	a.layout.NewHomes = map[string]bool{}
	for _, acct := range accts {
		if _, exists := a.base.User(acct.Name); !exists && a.createHome != nil && a.createHome(acct.Name) {
			a.layout.NewHomes[acct.Name] = true
		}
	}
	return a.Provider.Plan(ctx, applied)
}

// runtimeDir finds a user's XDG_RUNTIME_DIR: the invoking user's own
// from the environment (as systemctl --user does), else /run/user/<uid>.
func runtimeDir(env *Env) func(string, int) string {
	return func(user string, uid int) string {
		if user == env.User {
			if rt := env.Getenv("XDG_RUNTIME_DIR"); rt != "" {
				return rt
			}
		}
		return "/run/user/" + strconv.Itoa(uid)
	}
}
