package platform

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/gocfg/gocfg/generations"
)

// A Recovery says what Recover did with an interrupted switch.
type Recovery struct {
	From, To int
	Command  string
	// Finished: `current` had already flipped to To, so the switch was
	// completed (commits and hooks); otherwise it was undone.
	Finished bool
	// Undone is the number of ops that had run and were undone; those
	// that may have run (Checked), or every op of the journal, when the
	// progress log could not be believed or the machine restarted since.
	Undone int
	// Restarted: the machine may have restarted since the switch (its
	// journal's boot is not this one, or either is unknown): its log
	// may have lost its last lines (Recover).
	Restarted bool
	// Checked: the log could not be taken whole (a restart, or Distrust),
	// but its journal was synced (journal.Synced): the ops undone were
	// those the log's whole lines show done, the one after them, and
	// every SelfChecking op; Undone counts them.
	Checked bool
	// Distrust says why the progress log could not be believed ("" when
	// it could): every op was undone, as each checks what is there.
	Distrust string
	// Problems are commit or hook failures while finishing.
	Problems []error
	// Left are the undo steps in users' homes that failed and were left
	// as they are (*LeftError; see ApplyError.Left).
	Left []error
	// Kept are the files an undo left as edited (ErrKept; see
	// ApplyError.Kept).
	Kept []error
}

func (r *Recovery) String() string {
	if r.Finished {
		return fmt.Sprintf("an interrupted %s to generation %d had already made it current; finished it", r.Command, r.To)
	}
	s := fmt.Sprintf("an interrupted %s from generation %d to %d was undone (%d step(s) had run)", r.Command, r.From, r.To, r.Undone)
	switch {
	case r.Checked:
		why := "the machine may have restarted since, or gocfg cannot tell, and its progress log may then have lost its last lines"
		if r.Distrust != "" {
			why = "its progress log " + r.Distrust
		}
		s = fmt.Sprintf("an interrupted %s from generation %d to %d was undone (%s, so every step that may have run was undone)", r.Command, r.From, r.To, why)
	case r.Distrust != "":
		s = fmt.Sprintf("an interrupted %s from generation %d to %d was undone (its progress log %s, so all %d step(s) were undone)", r.Command, r.From, r.To, r.Distrust, r.Undone)
	case r.Restarted:
		s = fmt.Sprintf("an interrupted %s from generation %d to %d was undone (the machine may have restarted since, or gocfg cannot tell, and its progress log may then have lost its last lines, so all %d step(s) were undone where they had run)", r.Command, r.From, r.To, r.Undone)
	}
	if r.From > 0 {
		s += fmt.Sprintf("; generation %d is current", r.From)
	} else {
		s += "; no generation is current"
	}
	var b strings.Builder
	writeLeft(&b, r.Left, r.Kept)
	return s + b.String()
}

// Recover finishes or undoes a switch that was killed, if the journal
// says there was one; it returns nil when there was nothing to do. The
// caller holds the state lock. A damaged journal is a
// *generations.DamagedError naming it, and nothing is done: which ops
// ran, and what undoing them needs, is unknown. Within the boot the
// switch ran in, a whole progress log says which ops ran. A log that
// cannot be believed (see readLog), or one written before the machine
// restarted, makes it undo every op that may have run (mayHaveRun; every
// op of a journal an older gocfg wrote).
func (e *Engine) Recover(ctx context.Context) (*Recovery, error) {
	jpath := e.Store.JournalPath()
	j, err := readJournal(e.Sys, jpath)
	if err != nil || j == nil {
		return nil, err
	}
	ops, ids, err := j.decode(jpath)
	if err != nil {
		return nil, err
	}
	prog := readLog(e.Sys, jpath, len(ops))
	cur, err := e.Store.Current()
	if err != nil {
		return nil, err
	}
	r := &Recovery{From: j.From, To: j.To, Command: j.Command, Distrust: prog.distrust}
	if flippedAtEnd(j, prog, ops, cur) {
		r.Finished = true
		var notRun []Hook
		r.Problems, notRun = e.finish(ctx, ops, j.Hooks)
		for _, h := range notRun {
			r.Problems = append(r.Problems, fmt.Errorf("%s: on_change not run: interrupted", h.ID))
		}
		return r, removeJournal(e.Sys, jpath)
	}
	// No log (a journal of a gocfg that made the log later, or one left
	// by hand or by a damaged file system), or a log that cannot be
	// believed: undo every op that may have run. So too when this may
	// not be the boot the switch
	// ran in (a boot that differs, or either one unknown): the log is not
	// synced at each op (a sync a step would cost a first switch of
	// 10,000 dotfiles seconds), so after a power loss it may say less
	// than the disk holds (tester BB: "done 0" to "done 9", its later
	// lines lost, while the renames of 14 /etc files after them had
	// reached the disk). Within the boot it was written in, a whole log
	// is what ran: undoing ops that never ran would undo what users and
	// admins did since the plan, which those undos cannot tell from the
	// op's work (testers BD, R24: a chmod, a deleted file, a hand-made
	// account).
	//
	// A synced journal (journal.Synced, every switch of this gocfg) is
	// read further: its log was durable before each op that is not
	// SelfChecking, so whatever the disk lost, such an op ran only if
	// the log's whole first lines show it done, or it is the one after
	// them. Those are undone, and every SelfChecking op, which undoes
	// only what it finds of its own work (tester BD: after a restart, an
	// admin's `gpasswd -d` was put back by the undo of a step that had
	// never run).
	boot := e.bootID()
	r.Restarted = j.Boot == "" || boot == "" || j.Boot != boot
	if j.Boot == "" && !j.Synced {
		// A journal of a gocfg that did not record its boot (tester BF:
		// upgraded after a kill, every op was undone, and an account an
		// admin had made since with the name of one that never was
		// deleted, home and all): written after this boot began, it was
		// written in this boot, and its whole log is believed, as gocfg
		// believed a whole log before it recorded boots.
		r.Restarted = !e.writtenThisBoot(jpath)
	}
	undoOps, undoIDs := ops, ids
	switch {
	case prog.known && !r.Restarted:
		// Ops after the first one not marked done never started; the
		// one after those done, possibly started, is undone too (Undo
		// is safe either way). Undone counts the ops that had run.
		n := min(prog.lastDone+2, len(ops))
		undoOps, undoIDs = ops[:n], ids[:n]
		r.Undone = prog.lastDone + 1
	case j.Synced:
		if !prog.present {
			r.Distrust = "is missing"
		}
		undoOps, undoIDs = mayHaveRun(j, ops, ids, prog)
		r.Checked, r.Undone = true, len(undoOps)
	default:
		r.Undone = len(ops)
	}
	errs, left, kept := undo(ctx, e.Sys, undoOps, undoIDs, len(undoOps)-1)
	if len(errs) > 0 {
		return nil, fmt.Errorf("recover the interrupted %s to generation %d: %w", j.Command, j.To, errors.Join(append(errs, left...)...))
	}
	r.Left, r.Kept = left, kept
	// A FlipOp's undo made From current again: read it anew.
	if cur, err = e.Store.Current(); err != nil {
		return nil, err
	}
	if j.Created && cur != j.To {
		// It may never have been written (killed before or during Write).
		if err := e.Store.Delete(j.To); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	return r, removeJournal(e.Sys, jpath)
}

// writtenThisBoot reports whether the file at path was last written after
// this boot began, and not in the future (false when either time cannot
// be read). Both times are the clock's: one set forward since the file
// was written, by more than the uptime then, makes it false, which only
// undoes more. A previous boot whose clock ran ahead of this one's by
// more than the time between (no hardware clock, one kept in local time,
// a restored virtual machine) makes it wrongly true: its whole log is
// then believed, which after a power loss may say less than ran
// (reviewer R31). A future time says the clock went back: false.
// cmd/gocfg gives no boot time under --root, whose tree's journal the
// host's boot says nothing of.
func (e *Engine) writtenThisBoot(path string) bool {
	bt := e.bootTime()
	fi, err := e.Sys.Lstat(path)
	return err == nil && !bt.IsZero() && fi.ModTime().After(bt) && !fi.ModTime().After(time.Now())
}

// mayHaveRun returns the ops of a synced journal j (with their IDs)
// that may have run, in order, whatever its log lost: every op that was
// SelfChecking when j was written (encodedOp.Checked), and the others up
// to the one after the last that the log's whole lines show done. A
// journal without its log (made before the journal, and made durable
// with it) was left by hand or by a damaged file system: every op.
func mayHaveRun(j *journal, ops []Op, ids []string, prog progress) ([]Op, []string) {
	upTo := prog.whole + 1
	if !prog.present {
		upTo = len(ops)
	}
	var some []Op
	var someIDs []string
	for i, op := range ops {
		if j.Ops[i].Checked || i <= upTo {
			some = append(some, op)
			someIDs = append(someIDs, ids[i])
		}
	}
	return some, someIDs
}

// decode decodes the ops of journal j (read from jpath), with the ID of
// each one's change.
func (j *journal) decode(jpath string) (ops []Op, ids []string, err error) {
	ops, ids = make([]Op, len(j.Ops)), make([]string, len(j.Ops))
	for i, enc := range j.Ops {
		ids[i] = enc.ID
		if ops[i], err = enc.decode(); err != nil {
			var ue *UnknownOpError
			if errors.As(err, &ue) {
				ue.Version = j.Version
			}
			return nil, nil, fmt.Errorf("%s: %w", jpath, err)
		}
	}
	return ops, ids, nil
}

// flippedAtEnd reports whether the journal j's switch flipped current
// to To at its end (it is finished, not undone): current names To —
// unless a FlipOp may have flipped it in the middle, which only the
// log's "flipped" can tell apart.
func flippedAtEnd(j *journal, prog progress, ops []Op, cur int) bool {
	return cur == j.To && (prog.flipped || j.To != j.From && !hasEarlyFlip(ops))
}

// Pending reports whether an interrupted switch waits for recovery
// (for commands that do not take the lock, such as plan). A damaged
// journal is pending too, with its *generations.DamagedError.
func (e *Engine) Pending() (bool, error) {
	jpath := e.Store.JournalPath()
	j, err := readJournal(e.Sys, jpath)
	var de *generations.DamagedError
	if errors.As(err, &de) {
		return true, err
	}
	if j != nil && err == nil {
		// One whose steps this gocfg cannot read cannot be recovered
		// by it either: the error says so (*UnknownOpError).
		if _, _, derr := j.decode(jpath); derr != nil {
			return true, derr
		}
	}
	return j != nil, err
}
