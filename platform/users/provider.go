package users

import (
	"context"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/accounts"
	"github.com/gocfg/gocfg/platform/machine"
)

// A Provider plans users and groups. Desired comes from the
// configuration (Config) or from a generation's records (Records:
// rollback, status).
type Provider struct {
	Machine *machine.Machine
	Config  *Config
	Records *Records
	// PrimaryUser is macos.primary_user (macOS): never deleted, even when
	// gocfg created it.
	PrimaryUser string
	// PackagesPending: environment.system_packages names packages to
	// install in this switch, which may bring a shell or a group a user
	// needs (zsh, docker): then those are warnings, not errors, and the
	// user waits for packages:install.
	PackagesPending bool
}

var _ platform.Provider = (*Provider)(nil)

// Name keys the records in resources.json.
func (*Provider) Name() string { return "users" }

// UserID is the resource ID of a user: "user:alice".
func UserID(name string) string { return "user:" + name }

// GroupID is the resource ID of a group: "group:wheel".
func GroupID(name string) string { return "group:" + name }

// wanted is the desired state, with the IDs a rollback should reuse.
type wanted struct {
	users  map[string]User
	groups map[string]Group
	// Preferred IDs (from the records a rollback returns to).
	uid, privGID, gid map[string]int
	// fromRecords: the desired state is a generation's (a rollback,
	// status), whose configuration cannot be edited.
	fromRecords bool
}

func (p *Provider) wanted() wanted {
	w := wanted{users: map[string]User{}, groups: map[string]Group{}, uid: map[string]int{}, privGID: map[string]int{}, gid: map[string]int{}}
	switch {
	case p.Records != nil:
		w.fromRecords = true
		for _, u := range p.Records.Users {
			w.users[u.Name] = u.Config
			w.uid[u.Name] = u.UID
			if u.PrivateGroup {
				w.privGID[u.Name] = u.GID
			}
		}
		for _, g := range p.Records.Groups {
			w.groups[g.Name] = g.Config
			w.gid[g.Name] = g.GID
		}
	case p.Config != nil:
		for k, v := range p.Config.Users {
			w.users[k] = v
		}
		for k, v := range p.Config.Groups {
			w.groups[k] = v
		}
	}
	return w
}

// backend is the account system of the machine's OS.
func (p *Provider) backend() backend {
	if p.Machine.OS == "darwin" {
		return &darwinBackend{l: p.Machine, primary: p.PrimaryUser}
	}
	return &shadowBackend{l: p.Machine}
}

// Plan compares the declared users and groups, the ones the current
// generation recorded and the live accounts (the passwd and group
// databases; macOS's local directory).
func (p *Provider) Plan(ctx context.Context, appliedData json.RawMessage) (*platform.Part, error) {
	applied, err := DecodeRecords(appliedData)
	if err != nil {
		return nil, err
	}
	w := p.wanted()
	part := &platform.Part{Records: applied.normalize()}
	if len(w.users) == 0 && len(w.groups) == 0 && applied.empty() {
		return part, nil
	}
	skip := func(why string) (*platform.Part, error) {
		part.Notes = append(part.Notes, "users, groups: "+why)
		return part, nil
	}
	b := p.backend()
	live, why, err := b.open(ctx)
	switch {
	case err != nil:
		return nil, err
	case why != "":
		return skip(why)
	}
	pl := newPlanner(b, p.Machine.Sys, live, applied, w, part)
	pl.packagesPending = p.PackagesPending
	if err := pl.run(ctx); err != nil {
		return nil, err
	}
	if why := b.check(ctx, pl.hasOps()); why != "" {
		part.Changes, part.Warnings, part.Records = nil, nil, applied.normalize()
		return skip(why)
	}
	part.Facts = p.facts(pl.planned, pl.plannedGroups)
	deleted, deletedGroups := pl.deletedLive(), pl.deletedGroupsLive()
	if len(deleted)+len(deletedGroups) > 0 {
		if part.Facts == nil {
			part.Facts = &platform.Facts{}
		}
		part.Facts.Deleted, part.Facts.DeletedGroups = deleted, deletedGroups
	}
	return part, nil
}

// facts tells the providers after this one (files, units) the accounts
// and groups the plan creates, with the IDs and homes they will have, so
// that their files get their owner and go in their homes, and which new
// users get a home from useradd (create_home).
func (p *Provider) facts(accts []accounts.Account, groups []accounts.Group) *platform.Facts {
	if p.Machine.Accounts == nil || len(accts)+len(groups) == 0 {
		return nil
	}
	f := &platform.Facts{Accounts: p.Machine.Accounts.With(accts, groups), NewHomes: map[string]bool{}}
	for _, a := range accts {
		if _, exists := p.Machine.Accounts.User(a.Name); exists || p.Config == nil {
			continue
		}
		if u, ok := p.Config.Users[a.Name]; ok && (u.CreateHome == nil || *u.CreateHome) {
			f.NewHomes[a.Name] = true
		}
	}
	return f
}
