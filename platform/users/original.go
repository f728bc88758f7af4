package users

import (
	"strconv"

	"github.com/gocfg/gocfg/platform/accounts"
)

// originals is what the record of the adopted user u (recorded as a,
// nil: adopted now; live on the machine) keeps of its fields as they
// were before gocfg set them: carried from a, or taken from live for a
// field gocfg sets from this plan on. A field gocfg no longer sets is
// dropped (putBack puts it back first). Nil when there is none.
func originals(u User, a *UserRecord, live accounts.Account) *UserOriginal {
	var was User
	var o UserOriginal
	if a != nil {
		was = a.Config
		if a.Original != nil {
			o = *a.Original
		}
	}
	keep := func(set, wasSet bool, orig **string, liveV string) {
		switch {
		case !set:
			*orig = nil
		case *orig == nil && !wasSet:
			v := liveV
			*orig = &v
		}
	}
	keep(u.Description != nil, was.Description != nil, &o.Description, live.GECOS)
	keep(u.Shell != nil, was.Shell != nil, &o.Shell, live.Shell)
	if o.Description == nil && o.Shell == nil {
		return nil
	}
	return &o
}

// putBack adds to s, the change of the adopted user recorded as a (live
// on the machine), the fields gocfg set and no longer sets (now: the
// user's configuration, nil when it is no longer declared) put back as
// they were before gocfg set them, when they still hold what gocfg set
// (one changed by hand since is the user's now, and left). It says
// what it puts back, for the plan.
func putBack(d *draft, s *userChange, a *UserRecord, now *User, live accounts.Account) {
	if a == nil || a.Created || a.Original == nil {
		return
	}
	var cur User
	if now != nil {
		cur = *now
	}
	was := a.Config
	if o := a.Original.Description; o != nil && cur.Description == nil && was.Description != nil && live.GECOS == *was.Description && live.GECOS != *o {
		s.GECOS = &StrChange{From: live.GECOS, To: *o}
		d.before = append(d.before, "description "+strconv.Quote(live.GECOS))
		d.after = append(d.after, "description "+strconv.Quote(*o))
		d.notes = append(d.notes, "description put back as it was before gocfg set it")
	}
	if o := a.Original.Shell; o != nil && cur.Shell == nil && was.Shell != nil && live.Shell == *was.Shell && live.Shell != *o {
		s.Shell = &StrChange{From: live.Shell, To: *o}
		d.before = append(d.before, "shell "+showEmpty(live.Shell))
		d.after = append(d.after, "shell "+showEmpty(*o))
		d.notes = append(d.notes, "shell put back as it was before gocfg set it")
	}
}

// releaseAdopted lets go of an adopted user no longer declared: its
// fields gocfg set are put back (putBack) and its record dropped; with
// nothing to put back, the record is only forgotten.
func (pl *planner) releaseAdopted(a *UserRecord) {
	live, exists := pl.db.User(a.Name)
	if !exists {
		pl.forget(UserID(a.Name), "user")
		return
	}
	var back draft
	s := userChange{Name: a.Name}
	putBack(&back, &s, a, nil, live)
	if s.GECOS == nil && s.Shell == nil {
		pl.forget(UserID(a.Name), "user")
		return
	}
	d := pl.draft(UserID(a.Name), "user")
	d.before, d.after = append(d.before, back.before...), append(d.after, back.after...)
	d.notes = append(append(d.notes, back.notes...), "no longer managed (adopted: never deleted by gocfg)")
	d.steps = append(d.steps, s)
	pl.planned = append(pl.planned, s.applyTo(live))
}
