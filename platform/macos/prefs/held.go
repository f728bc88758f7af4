package prefs

// A user's preferences are held, as the other providers hold her home's
// resources (DESIGN.md §7: one user's hostile home fails only that
// user's resources), when the switch holds her (machine.Switch.Hold: a
// step in her home failed in an earlier try of this switch; her domains
// are plists in her ~/Library/Preferences, which she controls). Her
// keys, and her -currentHost keys, get no change and no refresh; her
// records are the current generation's, carried unchanged (with the
// originals to put back). System domains are never held. With
// --fail-fast, in status and in a rollback nothing is held.

// heldDomain reports whether d is a domain of a user this plan holds.
func (pl *planner) heldDomain(d Domain) bool {
	if d.Scope == ScopeSystem || d.User == "" {
		return false
	}
	return pl.p.Machine.Switch.Holds(d.User, pl.p.Records != nil)
}

// holdApplied records the held users' applied keys unchanged and marks
// them seen, so that they are neither set nor restored.
func (pl *planner) holdApplied(applied []KeyRecord, seen map[string]bool) {
	for _, r := range applied {
		if pl.heldDomain(r.Domain) {
			pl.records = append(pl.records, r)
			seen[r.ID()] = true
		}
	}
}
