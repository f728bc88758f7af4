package linger

import (
	"context"
	"fmt"
	"maps"
	"slices"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/modules/optpath"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/systemd"
	"github.com/gocfg/gocfg/platform/users"
)

// ID is the resource ID of a user's lingering.
func ID(user string) string { return "linger:" + user }

// A Provider plans users' lingering. Desired comes from the
// configuration (Config) or from a generation's records (Records:
// rollback, status).
type Provider platform.Base[Config, Records]

// Name keys the records in resources.json.
func (*Provider) Name() string { return name }

// option is users.<user>.linger.
func option(user string) string { return optpath.Path{"users", user, "linger"}.String() }

// show names a lingering state in a plan.
func show(on bool) string {
	if on {
		return "lingers (its manager runs from boot)"
	}
	return "does not linger"
}

// Plan compares each user's desired lingering with the machine's.
func (p *Provider) Plan(_ context.Context, appliedData json.RawMessage) (*platform.Part, error) {
	applied, err := DecodeRecords(appliedData)
	if err != nil {
		return nil, err
	}
	want := map[string]bool{}
	wantOriginal := map[string]bool{}
	switch {
	case p.Records != nil:
		for u, r := range p.Records.Users {
			want[u], wantOriginal[u] = r.Linger, r.Original
		}
	case p.Config != nil:
		want = p.Config.Users
	}
	l := p.Machine
	recs := &Records{}
	part := &platform.Part{Records: recs}
	switch {
	case len(want) == 0 && len(applied.Users) == 0:
		return part, nil
	case l.OS == "darwin":
		for _, u := range slices.Sorted(maps.Keys(want)) {
			part.Warnings = append(part.Warnings, fmt.Sprintf("%s: Linux only; ignored on macOS", option(u)))
		}
		return part, nil
	case !l.Privileged && !l.Offline:
		part.Records = applied
		part.Notes = append(part.Notes, "users.<name>.linger: needs root; skipped")
		return part, nil
	}
	recs.Users = map[string]Record{}
	for _, u := range slices.Sorted(maps.Keys(want)) {
		p.planSet(part, recs, u, want[u], applied.Users, wantOriginal)
	}
	for _, u := range slices.Sorted(maps.Keys(applied.Users)) {
		if _, ok := want[u]; !ok {
			p.planRestore(part, u, applied.Users[u])
		}
	}
	return part, nil
}

// planSet makes user linger or not (on).
func (p *Provider) planSet(part *platform.Part, recs *Records, user string, on bool, applied map[string]Record, wantOriginal map[string]bool) {
	l := p.Machine
	live := systemd.Lingers(l.Sys, user)
	a, managed := applied[user]
	original := live
	switch {
	case managed:
		original = a.Original
	case p.Records != nil:
		original = wantOriginal[user]
	}
	recs.Users[user] = Record{Linger: on, Original: original}
	if live == on {
		return
	}
	ch := change(user, platform.Update, live, on, l.Offline)
	if on && !l.Offline {
		// Her manager starts once this change has run: the systemd
		// provider says so of her units it cannot plan yet.
		if part.Facts == nil {
			part.Facts = &platform.Facts{}
		}
		if part.Facts.Lingering == nil {
			part.Facts.Lingering = map[string]bool{}
		}
		part.Facts.Lingering[user] = true
	}
	if managed && a.Linger == on {
		ch.Drift = "changed by hand since gocfg set it"
	}
	part.Changes = append(part.Changes, ch)
}

// change makes user linger (on) or not, from live. Enabling comes after
// the account exists; disabling, which stops her manager when she has
// no session, after the jobs on that manager and after the flip.
func change(user string, action platform.Action, live, on, offline bool) platform.Change {
	ch := platform.Change{ID: ID(user), Kind: "user", Action: action, Before: show(live), After: show(on),
		Deps: []string{users.UserID(user)}, Ops: []platform.Op{&SetOp{Name: user, Linger: on, Prev: live, Offline: offline}}}
	if !on {
		ch.AfterFlip = true
		ch.Deps = append(ch.Deps, systemd.UserJobsID(user))
	}
	return ch
}

// planRestore puts back the lingering user had before gocfg managed it,
// unless it was changed by hand since.
func (p *Provider) planRestore(part *platform.Part, user string, a Record) {
	live := systemd.Lingers(p.Machine.Sys, user)
	ch := change(user, platform.Restore, live, a.Original, p.Machine.Offline)
	platform.RestoreValue(part, ch, "lingering", live == a.Original, live == a.Linger,
		fmt.Sprintf("%s: changed by hand since gocfg set it", option(user)))
}
