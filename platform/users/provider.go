package users

import (
	"context"
	"encoding/json"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/accounts"
)

// A Provider plans users and groups. Desired comes from the
// configuration (Config) or from a generation's records (Records:
// rollback, status).
type Provider struct {
	Layout  *Layout
	Config  *Config
	Records *Records

	planned       []accounts.Account
	plannedGroups []accounts.Group
}

var _ platform.Provider = (*Provider)(nil)

// Name keys the records in resources.json.
func (*Provider) Name() string { return "users" }

// UserID is the resource ID of a user: "user:alice".
func UserID(name string) string { return "user:" + name }

// GroupID is the resource ID of a group: "group:wheel".
func GroupID(name string) string { return "group:" + name }

// Planned returns the users and groups the last Plan creates, with the
// IDs and home folders they will have (for accounts.Database.With, so
// that the files of a user created in the same switch get their owner).
func (p *Provider) Planned() ([]accounts.Account, []accounts.Group) {
	return p.planned, p.plannedGroups
}

// wanted is the desired state, with the IDs a rollback should reuse.
type wanted struct {
	users  map[string]User
	groups map[string]Group
	// Preferred IDs (from the records a rollback returns to).
	uid, privGID, gid map[string]int
}

func (p *Provider) wanted() wanted {
	w := wanted{users: map[string]User{}, groups: map[string]Group{}, uid: map[string]int{}, privGID: map[string]int{}, gid: map[string]int{}}
	switch {
	case p.Records != nil:
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

// backend is the account system of the Layout's OS.
func (p *Provider) backend() backend {
	if p.Layout.OS == "darwin" {
		return &darwinBackend{l: p.Layout}
	}
	return &shadowBackend{l: p.Layout}
}

// Plan compares the declared users and groups, the ones the current
// generation recorded and the live accounts (the passwd and group
// databases; macOS's local directory).
func (p *Provider) Plan(ctx context.Context, appliedData json.RawMessage) (*platform.Part, error) {
	p.planned, p.plannedGroups = nil, nil
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
	pl := newPlanner(b, p.Layout.Sys, live, applied, w, part)
	pl.packagesPending = p.Layout.PackagesPending
	if err := pl.run(ctx); err != nil {
		return nil, err
	}
	if why := b.check(ctx, pl.hasOps()); why != "" {
		part.Changes, part.Warnings, part.Records = nil, nil, applied.normalize()
		return skip(why)
	}
	p.planned, p.plannedGroups = pl.planned, pl.plannedGroups
	return part, nil
}
