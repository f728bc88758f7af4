package platform

import (
	"context"
	"io/fs"
	"maps"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/platform/accounts"
	"github.com/gocfg/gocfg/platform/machine"
)

// Facts are what the providers earlier in a plan tell the later ones,
// as typed data (not state shared between providers): MakePlan starts
// from what the machine is and adds each Part's Facts in plan order.
type Facts struct {
	// Accounts is the account database as it will be once the plan is
	// applied: the machine's, with the accounts and groups the plan
	// creates or changes.
	Accounts *accounts.Database
	// NewHomes names the users the plan creates whose home the account
	// tools make (useradd -m): a missing home of theirs is not a
	// conflict, and what goes in it waits for the account.
	NewHomes map[string]bool
	// Installs names the packages the plan installs: what they ship
	// (units, programs) is not on the machine when the plan is made,
	// and is once the packages' change has run.
	Installs []string
	// Released maps each path a provider lets go of in the plan (removes
	// its file from) to the ID of that change: a later provider that
	// makes a file there (a unit file that was an environment.etc file)
	// takes the path as empty and makes its file after that change.
	Released map[string]string
	// Lingering names the users whose lingering the plan enables
	// (users.<name>.linger): their managers start during the switch,
	// after the plan, which cannot ask them yet.
	Lingering map[string]bool
	// Written maps each path whose content the plan writes anew or
	// removes (a secret decrypted in this switch, or no longer there):
	// a later provider that reads the file
	// (users.<name>.hashed_password_file) reads it when it applies,
	// after that change, rather than when it plans.
	Written map[string]Written
	// Deleted names the accounts the plan deletes: a later provider that
	// gives one of them a file or a secret refuses (machine.Machine.Owner;
	// tester BH: a secret of hers was left readable by her freed uid,
	// which the next useradd gave to another account).
	Deleted map[string]bool
	// DeletedGroups names the groups the plan deletes (with an
	// account's own group deleted with her), refused as a file's or a
	// secret's group the same way (reviewer R33).
	DeletedGroups map[string]bool
}

// A Written is a file a plan writes anew, or removes (Facts.Written).
type Written struct {
	// After is the ID of the change after which the path holds its new
	// content, or is gone.
	After string
	// Owner (an account's name) and Mode are the file's once written.
	Owner string
	Mode  fs.FileMode
	// Gone: the plan removes the file.
	Gone bool
}

// Release tells the providers after this one that the change id
// removes what is at path (Facts.Released).
func (p *Part) Release(path, id string) {
	if p.Facts == nil {
		p.Facts = &Facts{}
	}
	if p.Facts.Released == nil {
		p.Facts.Released = map[string]string{}
	}
	p.Facts.Released[path] = id
}

// Write tells the providers after this one that the path holds new
// content, or is gone, once the change w.After has run (Facts.Written).
func (p *Part) Write(path string, w Written) {
	if p.Facts == nil {
		p.Facts = &Facts{}
	}
	if p.Facts.Written == nil {
		p.Facts.Written = map[string]Written{}
	}
	p.Facts.Written[path] = w
}

// A FactsReader is a Provider that plans with the Facts of the providers
// before it (files in homes the plan creates, units of new users).
type FactsReader interface {
	Provider
	PlanWith(ctx context.Context, applied json.RawMessage, facts Facts) (*Part, error)
}

// On is m as the plan leaves it: with the facts' accounts, when they
// have them (a copy: m is not changed).
func (f Facts) On(m *machine.Machine) *machine.Machine {
	if f.Accounts == nil && len(f.Deleted)+len(f.DeletedGroups) == 0 || m == nil {
		return m
	}
	c := *m
	if f.Accounts != nil {
		c.Accounts = f.Accounts
	}
	if len(f.Deleted) > 0 {
		c.Deleting = f.Deleted
	}
	if len(f.DeletedGroups) > 0 {
		c.DeletingGroups = f.DeletedGroups
	}
	return &c
}

// merge adds a Part's facts to f.
func (f Facts) merge(p *Facts) Facts {
	if p == nil {
		return f
	}
	if p.Accounts != nil {
		f.Accounts = p.Accounts
	}
	if len(p.Installs) > 0 {
		f.Installs = append(append([]string(nil), f.Installs...), p.Installs...)
	}
	if len(p.NewHomes) > 0 {
		f.NewHomes = union(f.NewHomes, p.NewHomes)
	}
	if len(p.Released) > 0 {
		f.Released = union(f.Released, p.Released)
	}
	if len(p.Written) > 0 {
		f.Written = union(f.Written, p.Written)
	}
	if len(p.Lingering) > 0 {
		f.Lingering = union(f.Lingering, p.Lingering)
	}
	if len(p.Deleted) > 0 {
		f.Deleted = union(f.Deleted, p.Deleted)
	}
	if len(p.DeletedGroups) > 0 {
		f.DeletedGroups = union(f.DeletedGroups, p.DeletedGroups)
	}
	return f
}

// union is a new map of a's entries and b's (b's win).
func union[V any](a, b map[string]V) map[string]V {
	m := make(map[string]V, len(a)+len(b))
	maps.Copy(m, a)
	maps.Copy(m, b)
	return m
}
