package prefs

import (
	"context"
	"fmt"
	"slices"
	"sort"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/macos"
)

// RefreshID is the hidden change that restarts what reads the changed
// domains.
const RefreshID = "defaults:refresh"

// CheckpointID is the hidden change, first in a switch, whose undo
// refreshes once every key is back.
const CheckpointID = "defaults:checkpoint"

// A Provider plans preferences. Desired comes from the configuration
// (Config) or from a generation's records (Records: rollback, status).
type Provider platform.Base[Config, Records]

// Name keys the records in resources.json.
func (*Provider) Name() string { return "defaults" }

// want is a desired key with the original a rollback brings along.
type want struct {
	rec         KeyRecord
	hasOriginal bool // rec.Original came from the records (rollback)
}

// planner holds one plan's state.
type planner struct {
	p       *Provider
	ctx     context.Context
	part    *platform.Part
	access  map[string]*Access // by user ("" for system); nil: skipped
	live    map[Domain]map[string]any
	refresh map[string]*RefreshOp // by user
	records []KeyRecord
}

// Plan compares the desired keys, the recorded ones and the live
// domains.
func (p *Provider) Plan(ctx context.Context, appliedData json.RawMessage) (*platform.Part, error) {
	applied, err := DecodeRecords(appliedData)
	if err != nil {
		return nil, err
	}
	var wants []want
	switch {
	case p.Records != nil:
		for _, r := range p.Records.Keys {
			wants = append(wants, want{rec: r, hasOriginal: true})
		}
	case p.Config != nil:
		for _, k := range p.Config.Keys {
			wants = append(wants, want{rec: KeyRecord{Domain: k.Domain, Key: k.Key, Value: Value{k.Value}}})
		}
	}
	pl := &planner{p: p, ctx: ctx, part: &platform.Part{}, access: map[string]*Access{}, live: map[Domain]map[string]any{}, refresh: map[string]*RefreshOp{}}
	old := map[string]KeyRecord{}
	for _, r := range applied.Keys {
		old[r.ID()] = r
	}
	seen := map[string]bool{}
	pl.holdApplied(applied.Keys, seen) // held.go
	for _, w := range wants {
		id := w.rec.ID()
		if pl.heldDomain(w.rec.Domain) {
			seen[id] = true
			continue
		}
		seen[id] = true
		var a *KeyRecord
		if r, ok := old[id]; ok {
			a = &r
		}
		if err := pl.set(w, a); err != nil {
			return nil, err
		}
	}
	var gone []KeyRecord
	for _, r := range applied.Keys {
		if !seen[r.ID()] {
			gone = append(gone, r)
		}
	}
	sort.Slice(gone, func(i, j int) bool { return gone[i].ID() < gone[j].ID() })
	for _, r := range gone {
		if err := pl.restore(r); err != nil {
			return nil, err
		}
	}
	pl.addRefresh()
	sort.Slice(pl.records, func(i, j int) bool { return pl.records[i].ID() < pl.records[j].ID() })
	pl.part.Records = &Records{Keys: pl.records}
	return pl.part, nil
}

// accessFor returns how to reach d's store, or nil when this run cannot
// (the reason is noted once).
func (pl *planner) accessFor(d Domain) (*Access, error) {
	l := pl.p.Machine
	who := d.User
	if d.Scope == ScopeSystem {
		who = ""
	}
	if a, ok := pl.access[who]; ok {
		return a, nil
	}
	var a *Access
	switch {
	case d.Scope == ScopeSystem && !l.Privileged && !l.Offline:
		pl.part.Notes = append(pl.part.Notes, "macos.system_defaults: writing /Library/Preferences needs root; skipped (run gocfg with sudo)")
	case d.Scope != ScopeSystem && !l.Privileged && !l.Offline && who != l.Self():
		pl.part.Notes = append(pl.part.Notes, fmt.Sprintf("macos.defaults: the preferences of %s can be written only by %s or root; skipped", who, who))
	case d.Scope == ScopeSystem:
		a = &Access{Offline: l.Offline, Privileged: l.Privileged, User: macos.User{Name: "root", UID: 0, GID: 0, Home: "/var/root"}}
	default:
		u, err := l.LookupMacUser(pl.ctx, who)
		if err != nil {
			return nil, &platform.ConfigError{Option: "macos.primary_user", Msg: err.Error(), Hint: "set macos.primary_user to the user whose preferences gocfg writes"}
		}
		a = &Access{Offline: l.Offline, Privileged: l.Privileged, User: u}
		if l.Offline {
			if a.HostUUID, err = FindHostUUID(l.Query, u.Home); err != nil {
				return nil, err
			}
		}
	}
	pl.access[who] = a
	return a, nil
}

// liveOf reads d once per plan; ok is false when d cannot be reached
// here (skipped).
func (pl *planner) liveOf(d Domain) (map[string]any, *Access, bool, error) {
	a, err := pl.accessFor(d)
	if err != nil || a == nil {
		return nil, nil, false, err
	}
	if d.Scope == ScopeHost && a.Offline && a.HostUUID == "" {
		pl.part.Notes = append(pl.part.Notes, fmt.Sprintf("macos.current_host_defaults: %s has no ByHost preferences to take the hardware UUID from, and offline there is no machine to ask; %s skipped", a.User.Home, d.Name))
		return nil, nil, false, nil
	}
	if m, ok := pl.live[d]; ok {
		return m, a, true, nil
	}
	m, err := Open(pl.p.Machine.Query, *a).Export(pl.ctx, d)
	if err != nil {
		return nil, nil, false, err
	}
	pl.live[d] = m
	return m, a, true, nil
}

// set plans one desired key; a is its record in the current generation.
func (pl *planner) set(w want, a *KeyRecord) error {
	r := w.rec
	live, acc, ok, err := pl.liveOf(r.Domain)
	if err != nil {
		return err
	}
	if !ok {
		if a != nil {
			pl.records = append(pl.records, *a)
		}
		return nil
	}
	cur, present := live[r.Key]
	// The original: kept from the first generation that managed the key.
	switch {
	case a != nil:
		r.Original = a.Original
	case w.hasOriginal:
	case present:
		r.Original = &Value{cur}
	default:
		r.Original = nil
	}
	pl.records = append(pl.records, r)
	ch := platform.Change{ID: r.ID(), Kind: "defaults", After: Show(r.Value.V)}
	if present && Holds(r.Name, r.Key, cur, r.Value.V) {
		var set *string
		if a != nil {
			shown := Show(a.Value.V)
			set = &shown
		}
		platform.AlreadySet(pl.part, ch, set, a != nil && Equal(a.Value.V, r.Value.V))
		return nil
	}
	ch.Action, ch.Before = platform.Update, Show(cur)
	if !present {
		ch.Action, ch.Before = platform.Create, ""
	}
	if r.User != "" {
		// Her preferences go in her home: after her home folder where
		// the plan makes it (itself after her account).
		ch.Deps = append(ch.Deps, platform.HomeDirID(r.User))
	}
	if a != nil && !(present && Holds(r.Name, r.Key, cur, a.Value.V)) {
		ch.Drift = "changed outside gocfg since it wrote " + Show(a.Value.V)
		if !present {
			ch.Drift = "deleted outside gocfg since it wrote " + Show(a.Value.V)
		}
	}
	op := &WriteOp{Access: *acc, Domain: r.Domain, Key: r.Key, Value: &Value{r.Value.V}}
	if present {
		op.Prev = &Value{cur}
	}
	ch.Ops = []platform.Op{op}
	pl.part.Changes = append(pl.part.Changes, ch)
	pl.noteRefresh(r.Domain, acc, ch.ID)
	return nil
}

// restore plans a key no longer desired: its original is put back if the
// key still holds what gocfg wrote.
func (pl *planner) restore(r KeyRecord) error {
	live, acc, ok, err := pl.liveOf(r.Domain)
	if err != nil {
		return err
	}
	if !ok {
		pl.records = append(pl.records, r)
		return nil
	}
	cur, present := live[r.Key]
	orig := "(absent)"
	if r.Original != nil {
		orig = Show(r.Original.V)
	}
	ch := platform.Change{ID: r.ID(), Kind: "defaults", Action: platform.Restore, Before: Show(cur), After: orig}
	if !present {
		ch.Before = "(absent)"
	}
	switch {
	case r.Original == nil && !present, r.Original != nil && present && Holds(r.Name, r.Key, cur, r.Original.V):
		ch.After, ch.Note = "", "already the value before gocfg managed it; no longer managed"
	case present && Holds(r.Name, r.Key, cur, r.Value.V):
		op := &WriteOp{Access: *acc, Domain: r.Domain, Key: r.Key, Prev: &Value{cur}}
		if r.Original != nil {
			op.Value = &Value{r.Original.V}
			ch.Note = "the value before gocfg managed it"
		} else {
			ch.Note = "the key did not exist before gocfg managed it: defaults delete"
		}
		ch.Ops = []platform.Op{op}
		pl.noteRefresh(r.Domain, acc, ch.ID)
	default:
		what := "changed by hand to " + Show(cur)
		if !present {
			what = "deleted by hand"
		}
		pl.part.Warnings = append(pl.part.Warnings, fmt.Sprintf("%s %s: %s since gocfg wrote %s; left alone and no longer managed", r.Domain, r.Key, what, Show(r.Value.V)))
		pl.part.Changes = append(pl.part.Changes, platform.Forget(r.ID(), "defaults"))
		return nil
	}
	pl.part.Changes = append(pl.part.Changes, ch)
	return nil
}

// noteRefresh adds a changed user domain to its user's refresh.
func (pl *planner) noteRefresh(d Domain, a *Access, id string) {
	if a.Offline || d.Scope == ScopeSystem {
		return
	}
	op := pl.refresh[a.User.Name]
	if op == nil {
		op = &RefreshOp{Access: *a}
		pl.refresh[a.User.Name] = op
	}
	op.deps = append(op.deps, id)
	if proc := ProcessOf(d.Name); proc != "" && !slices.Contains(op.Processes, proc) {
		op.Processes = append(op.Processes, proc)
		sort.Strings(op.Processes)
	}
}

// addRefresh adds the hidden refresh change of each user whose domains
// change, after all of them.
func (pl *planner) addRefresh() {
	users := make([]string, 0, len(pl.refresh))
	for u := range pl.refresh {
		users = append(users, u)
	}
	sort.Strings(users)
	for _, u := range users {
		op := pl.refresh[u]
		check := *op
		check.OnUndo, check.deps = true, nil
		pl.part.Changes = append(pl.part.Changes,
			platform.Change{
				ID: RefreshID + ":" + u, Kind: "defaults", Action: platform.Update, Hidden: true,
				Deps: op.deps, Ops: []platform.Op{op},
			},
			platform.Change{
				ID: CheckpointID + ":" + u, Kind: "defaults", Action: platform.Update, Hidden: true, First: true,
				Ops: []platform.Op{&check},
			})
	}
}
