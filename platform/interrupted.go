package platform

// An Interrupted is the switch a journal records: one that was killed
// and waits for the next switch or rollback to finish or undo it, or
// one under way, as a command that does not recover (status) sees it.
type Interrupted struct {
	From, To int
	Command  string
	// Flipped: current names To already; the next command finishes the
	// switch rather than undoing it.
	Flipped bool
	// Created: the switch wrote generation To, which the next command
	// deletes when it undoes the switch; false for a rollback to an
	// existing generation, which stays.
	Created bool
	// Ran are the IDs of the changes whose steps its progress log says
	// are done (none when it has no log or one that cannot be
	// believed). The step after them may have started too; it is not
	// named: what it changed may as well be a hand's.
	Ran map[string]bool
}

// Interrupted reads the journal of an interrupted switch (nil: none)
// without acting on it. A damaged journal is a *generations.DamagedError.
func (e *Engine) Interrupted() (*Interrupted, error) {
	jpath := e.Store.JournalPath()
	j, err := readJournal(e.Sys, jpath)
	if err != nil || j == nil {
		return nil, err
	}
	prog := readLog(e.Sys, jpath, len(j.Ops))
	cur, err := e.Store.Current()
	if err != nil {
		return nil, err
	}
	ops, ids, err := j.decode(jpath)
	if err != nil {
		return nil, err
	}
	in := &Interrupted{From: j.From, To: j.To, Command: j.Command, Created: j.Created, Ran: map[string]bool{}}
	in.Flipped = flippedAtEnd(j, prog, ops, cur)
	if prog.known {
		for _, id := range ids[:prog.lastDone+1] {
			in.Ran[id] = true
		}
	}
	return in, nil
}

// Attribute gives cause, not a hand, as the cause of the plan's
// differences (and conflicts) that the switch's steps made (a status taken between a
// kill and the next switch showed its removals as "removed by hand").
// A change whose opposite the switch ran (it removed the packages the
// plan installs again) is the switch's too (tester T).
// Nothing when current flipped already: the plan is then against To.
func (in *Interrupted) Attribute(p *Plan, cause string) {
	if in.Flipped {
		return
	}
	for i := range p.Changes {
		if c := &p.Changes[i]; in.Ran[c.ID] || (c.Opposite != "" && in.Ran[c.Opposite]) {
			c.Drift = cause
		}
	}
	// A copy the switch rewrote is gocfg's file no longer as recorded:
	// a conflict ("changed by hand", move it away or force), which the
	// next switch or rollback resolves by itself (tester H).
	for i := range p.Conflicts {
		if c := &p.Conflicts[i]; in.Ran[c.ID] {
			c.Problem, c.Remedies = cause, nil
		}
	}
}
