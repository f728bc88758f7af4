package platform

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
)

// A Recovery says what Recover did with an interrupted switch.
type Recovery struct {
	From, To int
	Command  string
	// Finished: `current` had already flipped to To, so the switch was
	// completed (commits and hooks); otherwise it was undone.
	Finished bool
	// Undone is the number of ops undone.
	Undone int
	// Problems are commit or hook failures while finishing.
	Problems []error
}

func (r *Recovery) String() string {
	if r.Finished {
		return fmt.Sprintf("an interrupted %s to generation %d had already made it current; finished it", r.Command, r.To)
	}
	s := fmt.Sprintf("an interrupted %s from generation %d to %d was undone (%d step(s) had run)", r.Command, r.From, r.To, r.Undone)
	if r.From > 0 {
		s += fmt.Sprintf("; generation %d is current", r.From)
	} else {
		s += "; no generation is current"
	}
	return s
}

// Recover finishes or undoes a switch that was killed, if the journal
// says there was one; it returns nil when there was nothing to do. The
// caller holds the state lock.
func (e *Engine) Recover(ctx context.Context) (*Recovery, error) {
	jpath := e.Store.JournalPath()
	j, err := readJournal(e.Sys, jpath)
	if err != nil || j == nil {
		return nil, err
	}
	prog, err := readLog(e.Sys, jpath)
	if err != nil {
		return nil, err
	}
	ops := make([]Op, len(j.Ops))
	for i, enc := range j.Ops {
		if ops[i], err = enc.decode(); err != nil {
			return nil, fmt.Errorf("%s: %w", jpath, err)
		}
	}
	cur, err := e.Store.Current()
	if err != nil {
		return nil, err
	}
	r := &Recovery{From: j.From, To: j.To, Command: j.Command}
	if cur == j.To && (prog.flipped || j.To != j.From) {
		r.Finished = true
		r.Problems = e.finish(ctx, ops, j.Hooks)
		return r, removeJournal(e.Sys, jpath)
	}
	last := len(ops) - 1 // no log: killed before the first op; undo all, to be safe
	if prog.known {
		// Ops after the first one not marked done never started.
		last = prog.lastDone + 1
	}
	if errs := undo(ctx, e.Sys, ops, last); len(errs) > 0 {
		return nil, fmt.Errorf("recover the interrupted %s to generation %d: %w", j.Command, j.To, errors.Join(errs...))
	}
	// Count the ops that had run; the one after them, possibly started,
	// was undone too (Undo is safe either way).
	r.Undone = prog.lastDone + 1
	if j.Created && cur != j.To {
		// It may never have been written (killed before or during Write).
		if err := e.Store.Delete(j.To); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	return r, removeJournal(e.Sys, jpath)
}

// Pending reports whether an interrupted switch waits for recovery
// (for commands that do not take the lock, such as plan).
func (e *Engine) Pending() (bool, error) {
	j, err := readJournal(e.Sys, e.Store.JournalPath())
	return j != nil, err
}
