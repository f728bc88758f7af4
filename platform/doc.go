// Package platform turns desired resources into a plan against the live
// machine and applies it (DESIGN.md §1 steps 3 to 5).
//
// A resource has a stable ID (`file:~alice/.zshrc`, `dir:/etc/ssh`,
// later `unit:system:nginx.service`). A Provider (one per resource family:
// platform/files today, systemd and macOS preferences later) compares, for
// every ID in desired ∪ applied, three states: the desired one, the one
// the current generation applied, and the live one read through the
// system.System seam. It returns Changes (create, update, delete, restore),
// drift (live differs from what gocfg applied), warnings, conflicts that
// stop the switch, the records the new generation keeps, and the contents
// it stores.
//
// Every change is carried out by Ops: small, JSON-serialisable side
// effects that know how to undo themselves. Engine.Switch writes a journal
// of every op before the first one runs, applies them in dependency order,
// flips `current` only after all succeeded, and undoes the done ops in
// reverse when one fails. A switch killed at any point is finished or
// undone by Engine.Recover, which every command that takes the state lock
// runs first.
//
// Cancelling the context of Engine.Switch (gocfg does on SIGINT and
// SIGTERM) interrupts the switch between two steps, never inside one: the
// op in progress runs with a context that is not cancelled, so a package
// install or a unit start finishes. Before `current` flips, the ops done
// are then undone in reverse, the new generation and the journal are
// removed, and the *ApplyError says Interrupted ("interrupted: the 3
// step(s) done were undone; generation 4 is still current"); an interrupt
// during the last op is undone too. Undo itself runs with a context that
// cannot be cancelled. Past the flip the switch stands: an interrupt
// undoes nothing, the commits run, an on_change hook already started
// finishes, and the hooks not yet started are left in the journal, which
// is kept: the next command that recovers runs them (Result.HooksPending;
// Result.Problems names them).
//
// Undo is written to be safe whatever point an op reached: each Undo looks
// at the live state and reverses only what is there (a link is removed
// only if it still points where the op pointed it, a moved-aside file is
// moved back only if its place is free). That is what lets recovery undo
// from a journal that records "done" marks without an fsync per op.
//
// Damaged state is reported, never trusted. A journal that is empty,
// truncated or not one gocfg wrote is a *generations.DamagedError naming
// journal.json, and recovery does nothing with it (which steps ran is
// unknown). The progress log is believed only when it is whole: lines
// that each end with a newline, "done K" counting up from 0 without a
// gap, "flipped" last. A log that is missing, unreadable, torn or
// anything else makes recovery undo every op of the journal. A switch
// whose log cannot be written (a full disk) removes the log, stops and
// undoes what it did, so that a kill during that undo still leaves
// recovery the whole list. A damaged resources.json is a
// *generations.DamagedError too (DecodeAppliedFile), never "no
// resources".
package platform
