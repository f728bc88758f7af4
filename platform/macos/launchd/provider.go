package launchd

import (
	"bytes"
	"context"
	"io"
	"path"
	"sort"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/platform"
)

// A Provider plans launchd jobs. Desired comes from the configuration
// (Config) or from a generation's records (Records: rollback, status).
type Provider platform.Base[Config, Records]

// Name keys the records in resources.json.
func (*Provider) Name() string { return "launchd" }

// offlineNote is said once per plan under --root.
const offlineNote = "macos.launchd: under --root the plists are written but launchctl is not run; the jobs load at the next boot (daemons) or login (agents)"

var _ platform.FactsReader = (*Provider)(nil)

// Plan compares the desired jobs, the recorded ones and the live files
// and launchd.
func (p *Provider) Plan(ctx context.Context, appliedData json.RawMessage) (*platform.Part, error) {
	return p.PlanWith(ctx, appliedData, platform.Facts{})
}

// PlanWith plans with the paths the providers before it release
// (Facts.Released): a home file that becomes this job's plist is
// removed first, and the plist made after it.
//
// A plist in the way of a user's agent holds her agents (held.go): the
// plan is made again without them, and the conflict is kept, held.
func (p *Provider) PlanWith(ctx context.Context, appliedData json.RawMessage, facts platform.Facts) (*platform.Part, error) {
	applied, err := DecodeRecords(appliedData)
	if err != nil {
		return nil, err
	}
	if err := check(p.Machine); err != nil {
		return nil, err
	}
	part, err := p.plan(ctx, applied, facts, nil)
	if err != nil {
		return nil, err
	}
	hold := p.conflictHolds(part)
	if len(hold) == 0 {
		return part, nil
	}
	first := part
	if part, err = p.plan(ctx, applied, facts, hold); err != nil {
		return nil, err
	}
	for _, c := range first.Conflicts {
		if u, ok := platform.HomeOf(c.ID); ok && hold[u] {
			c.Held = true
			part.Conflicts = append(part.Conflicts, c)
		}
	}
	// What the held users' agents would have had waits (Part.Held).
	for _, ch := range first.Changes {
		if u, ok := platform.HomeOf(ch.ID); ok && hold[u] {
			part.Held = append(part.Held, ch)
		}
	}
	return part, nil
}

// plan plans the jobs, leaving the agents of the users in hold as they
// are (as for a user the switch holds).
func (p *Provider) plan(ctx context.Context, applied *Records, facts platform.Facts, hold map[string]bool) (*platform.Part, error) {
	pl := &planner{p: p, ctx: ctx, part: &platform.Part{Areas: map[string]generations.Area{}}, users: map[string]*account{}, noted: map[string]bool{}, released: facts.Released, hold: hold}
	var want []*Record
	var err error
	if p.Records != nil {
		want, err = pl.fromRecords()
	} else {
		want, err = pl.fromConfig()
	}
	if err != nil {
		return nil, err
	}
	if err := pl.run(want, applied); err != nil {
		return nil, err
	}
	if p.Machine.Offline && len(want)+len(applied.Jobs) > 0 {
		pl.part.Notes = append(pl.part.Notes, offlineNote)
	}
	return pl.part, nil
}

// fromConfig makes a record for every configured job this run may
// manage, with its rendered plist.
func (pl *planner) fromConfig() ([]*Record, error) {
	c := pl.p.Config
	if c.Empty() {
		return nil, nil
	}
	l := pl.p.Machine
	var out []*Record
	if len(c.Agents) > 0 {
		user := c.PrimaryUser
		if pl.allowed(KindAgent, user) {
			acct, err := pl.account(user)
			if err != nil {
				return nil, &platform.ConfigError{Option: "macos.primary_user", Msg: err.Error(),
					Hint: "macos.launchd.agents are installed for macos.primary_user; set it to an existing user"}
			}
			root := "launchd/agents/" + user
			for _, j := range c.Agents {
				out = append(out, &Record{Kind: KindAgent, Label: j.Label, User: user, UID: acct.user.UID,
					Path: path.Join(acct.user.Home, agentsDir, j.Label+".plist"), Root: root, Rel: j.Label + ".plist",
					Hash: j.Hash, FileUID: acct.fileUID, FileGID: acct.fileGID, plist: j.Plist})
			}
			pl.part.Areas[root] = l.HomeArea(user, acct.fileUID, acct.fileGID, l.Privileged)
		}
	}
	if len(c.Daemons) > 0 && pl.allowed(KindDaemon, "") {
		id := -1
		if l.Privileged {
			id = 0
		}
		for _, j := range c.Daemons {
			out = append(out, &Record{Kind: KindDaemon, Label: j.Label, Path: path.Join(daemonsDir, j.Label+".plist"),
				Root: "launchd/daemons", Rel: j.Label + ".plist", Hash: j.Hash, FileUID: id, FileGID: id, plist: j.Plist})
		}
		pl.part.Areas["launchd/daemons"] = generations.Area{Name: "system", UID: id, GID: id}
	}
	return out, nil
}

// fromRecords makes a generation's jobs the desired ones; their plists
// are in that generation's store, which the write ops copy from.
func (pl *planner) fromRecords() ([]*Record, error) {
	var out []*Record
	for _, r := range pl.p.Records.Jobs {
		if !pl.allowed(r.Kind, r.User) {
			continue
		}
		c := *r
		if c.Kind == KindAgent {
			// The uid may have changed since (and is -1 in an offline
			// generation); the path stays the recorded one. The plist
			// goes to the user's uid and gid now, not to the recorded
			// ones, which may be another account's since.
			if acct, err := pl.account(c.User); err == nil && acct.user.UID >= 0 {
				c.UID = acct.user.UID
				if c.FileUID >= 0 && acct.fileUID >= 0 {
					c.FileUID, c.FileGID = acct.fileUID, acct.fileGID
				}
			}
		}
		out = append(out, &c)
	}
	return out, nil
}

// contents lists the plists the new generation stores (from
// configuration only: a rollback's are in its generation already), and
// kept, the held users' plists carried from the current generation.
func (pl *planner) contents(want []*Record, appliedByID map[string]*Record, kept []generations.Entry) {
	l := pl.p.Machine
	entries := kept
	for _, r := range want {
		if r.plist == nil || pl.heldUser(r) {
			continue
		}
		data := r.plist
		e := generations.Entry{Root: r.Root, Rel: r.Rel, Hash: r.Hash, Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }}
		if a := appliedByID[r.ID()]; a != nil && a.Hash == r.Hash && l.Current > 0 && l.Store != nil {
			e.Have = l.Store.FilePath(l.Current, a.Root, a.Rel)
		}
		entries = append(entries, e)
	}
	if len(entries) > 0 {
		sort.Slice(entries, func(i, j int) bool {
			return entries[i].Root+"/"+entries[i].Rel < entries[j].Root+"/"+entries[j].Rel
		})
		pl.part.Contents = func() []generations.Entry { return entries }
	}
}
