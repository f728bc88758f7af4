package systemd

import (
	"maps"
	"reflect"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/users"
)

// A user's units are held, as the files provider holds her files
// (DESIGN.md §7: one user's hostile home fails only that user's
// resources), when
//   - the switch holds her (machine.Switch.Hold: a step in her home
//     failed in an earlier try of this switch),
//   - her manager cannot be reached or does not answer (she moved its
//     socket, or listens on it and never answers), or
//   - a file is in the way of one of her units (a conflict).
//
// Held units get no change and no job (the changes planned for them
// before they were held are shown as waiting); her records are the current
// generation's, and their stored files are carried into the new one.
// A held conflict says why; the command warns and exits with status 3.
// With --fail-fast and in a rollback nothing is held: the plan fails.
// status holds a user whose manager cannot be reached (and says so), and
// reports conflicts as they are.
//
// A rollback does not plan a user's units at all when they are the same
// in both generations (unchangedUsers): there is nothing of hers to
// return, and asking her manager, or looking at her files, would let her
// stopped manager, a plain logout, or an edit of hers refuse the whole
// machine's rollback, the deploy agent's too (tester AG).

// unchangedUsers names, in a rollback (planned from records, not for
// status), the users whose units the target generation (want) records
// exactly as the current one (applied) does: their records are carried
// as they are, and their managers are not asked.
func (pl *planner) unchangedUsers(want, applied []*Unit) map[string]bool {
	if l := pl.p.Machine; pl.p.Records == nil || l.Switch.ReportOnly || l.To == l.Current {
		return nil
	}
	byUser := func(us []*Unit) map[string]map[string]*Unit {
		m := map[string]map[string]*Unit{}
		for _, u := range us {
			if u.Scope != "user" {
				continue
			}
			if m[u.User] == nil {
				m[u.User] = map[string]*Unit{}
			}
			m[u.User][u.ID()] = u
		}
		return m
	}
	wants, applieds := byUser(want), byUser(applied)
	out := map[string]bool{}
	for user, w := range wants {
		if maps.EqualFunc(w, applieds[user], sameRecord) {
			out[user] = true
		}
	}
	return out
}

// sameRecord reports whether two units' records are the same.
func sameRecord(a, b *Unit) bool {
	x, y := *a, *b
	x.text, y.text, x.option, y.option = nil, nil, "", ""
	return reflect.DeepEqual(x, y)
}

// canHold reports whether user's units may be held.
func (pl *planner) canHold(user string) bool {
	sw := pl.p.Machine.Switch
	return user != "" && !sw.FailFast && !sw.ReportOnly && pl.p.Records == nil
}

// canHoldPending reports whether user's units may be held because her
// manager starts only once the plan has enabled her lingering: in a
// switch, and in a rollback too, which then records what it made and
// exits partial (tester BH: a rollback that made a deleted account again
// with her units failed whole, and failed again each time).
func (pl *planner) canHoldPending(user string) bool {
	return user != "" && !pl.p.Machine.Switch.FailFast && !pl.p.Machine.Switch.ReportOnly
}

// canHoldUnreachable reports whether user's units may be held because
// her manager cannot be reached or does not answer: as canHold, and in
// status too, which then reports her manager and goes on with the other
// users instead of failing for everyone.
func (pl *planner) canHoldUnreachable(user string) bool {
	sw := pl.p.Machine.Switch
	return user != "" && !sw.FailFast && (pl.p.Records == nil || sw.ReportOnly)
}

// hold leaves user's units as they are: the changes and records planned
// for them so far are dropped, the applied ones recorded, and her
// conflicts held; err (when not nil) becomes a held conflict id at path:
// the unit's ID when one unit's file is in the way (a lease on it), her
// units' (userUnitsID) when her manager is.
func (pl *planner) hold(user, id, path string, err error) {
	if pl.held[user] {
		return
	}
	if pl.held == nil {
		pl.held = map[string]bool{}
	}
	pl.held[user] = true
	mine := func(u *Unit) bool { return u.Scope == "user" && u.User == user }
	// Her changes planned so far wait (Part.Held): the plan shows them
	// under the homes left as they are, as the files provider's.
	changes := pl.part.Changes[:0]
	for _, ch := range pl.part.Changes {
		if u, ok := platform.HomeOf(ch.ID); !ok || u != user {
			changes = append(changes, ch)
		} else {
			pl.part.Held = append(pl.part.Held, ch)
		}
	}
	pl.part.Changes = changes
	units := pl.records.Units[:0]
	for _, u := range pl.records.Units {
		if !mine(u) {
			units = append(units, u)
		}
	}
	pl.records.Units = units
	l := pl.p.Machine
	for _, a := range pl.applied.Units {
		if !mine(a) {
			continue
		}
		pl.records.Units = append(pl.records.Units, a)
		if _, ok := pl.part.Areas[a.Root]; !ok {
			// Her units all went from the configuration (her home
			// dropped with her account): the new generation stores
			// them in an area of their own still (tester W: its write
			// failed, "no store area", at every switch).
			pl.part.Areas[a.Root] = l.HomeArea(user, a.UID, a.GID, l.Privileged)
		}
	}
	for i := range pl.part.Conflicts {
		if u, ok := platform.HomeOf(pl.part.Conflicts[i].ID); ok && u == user {
			pl.part.Conflicts[i].Held = true
		}
	}
	if err == nil {
		return
	}
	pl.part.Conflicts = append(pl.part.Conflicts, platform.HeldConflict(id, path, err))
}

// userUnitsID names all of user's units (units:user:alice): a held
// conflict of her manager's. Before, it was unit:user:alice:, a unit with
// no name (tester AB).
func userUnitsID(user string) string { return "units:" + users.UserID(user) }

// holdConflicts holds the users that have a conflict in their units.
func (pl *planner) holdConflicts() {
	for _, c := range pl.part.Conflicts {
		if u, ok := platform.HomeOf(c.ID); ok && !c.Held && pl.canHold(u) {
			pl.hold(u, "", "", nil)
		}
	}
}

// heldContents lists the stored files of the held users' applied units,
// as the current generation has them, for the new generation.
func (pl *planner) heldContents() []generations.Entry {
	l := pl.p.Machine
	if l.Current == 0 {
		return nil
	}
	var es []generations.Entry
	for _, a := range pl.applied.Units {
		if a.Scope != "user" || !pl.held[a.User] || a.Hash == "" {
			continue
		}
		es = append(es, l.Store.Kept(l.Current, a.Root, a.Rel, a.Hash, false))
	}
	return es
}
