package launchd

import (
	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/platform"
)

// A user's agents are held, as the files, secrets and systemd providers
// hold her home's resources (DESIGN.md §7: one user's hostile home fails
// only that user's resources), when the switch holds her
// (machine.Switch.Hold: a step in her home failed in an earlier try of
// this switch; an agent's plist is in ~/Library/LaunchAgents, which she
// controls), or when a plist is in the way of one of her agents (a
// conflict, as systemd holds her units for one). Held agents get no
// change and no launchctl call; her records are the current
// generation's, and their stored plists are carried into the new one.
// With --fail-fast, in status and in a rollback nothing is held: the
// conflict refuses the plan.

// heldUser reports whether r is an agent of a user this plan holds.
func (pl *planner) heldUser(r *Record) bool {
	if r == nil || r.Kind != KindAgent {
		return false
	}
	return pl.hold[r.User] || pl.p.Machine.Switch.Holds(r.User, pl.p.Records != nil)
}

// conflictHolds names the users whose agents part has a conflict for,
// when their agents may be held for it.
func (p *Provider) conflictHolds(part *platform.Part) map[string]bool {
	sw := p.Machine.Switch
	if sw.FailFast || sw.ReportOnly || p.Records != nil {
		return nil
	}
	var hold map[string]bool
	for _, c := range part.Conflicts {
		if u, ok := platform.HomeOf(c.ID); ok {
			if hold == nil {
				hold = map[string]bool{}
			}
			hold[u] = true
		}
	}
	return hold
}

// holdApplied records the held users' applied agents unchanged, and
// returns the entries that carry their stored plists into the new
// generation.
func (pl *planner) holdApplied(applied []*Record) []generations.Entry {
	l := pl.p.Machine
	var es []generations.Entry
	for _, a := range applied {
		if !pl.heldUser(a) {
			continue
		}
		pl.records = append(pl.records, a)
		if l.Current > 0 && l.Store != nil && a.Hash != "" {
			es = append(es, l.Store.Kept(l.Current, a.Root, a.Rel, a.Hash, false))
		}
	}
	return es
}
