// Package managed is the decision the providers that write managed files
// share: the files provider (home.<user>.files, environment.etc), the
// systemd provider (unit files) and the launchd provider (plists) each
// compare what is desired, what the current generation recorded (applied)
// and what is live at a path, and then do one of a few things with it
// (DESIGN.md §4):
//
//   - create the file where nothing is;
//   - keep it when it is already as desired and recorded, or adopt it when
//     it is as desired but gocfg did not write it (nothing is lost: the
//     content is the same);
//   - update it while it is still what gocfg wrote;
//   - otherwise stop with a conflict, since what is there was written by
//     someone else or changed by hand: nothing written by hand is
//     overwritten unless the configuration says so (force = true, or
//     --backup-ext, which only the files provider offers);
//   - when it is no longer wanted: remove it while it is still gocfg's,
//     note that it is gone already, or forget it (left alone, with a
//     warning) when it was changed by hand.
//
// Decide takes those rules once; it reads nothing and returns a typed
// Decision. Each provider classifies the live path itself (a link's
// target, a copy's content hash, a unit file's or plist's bytes: Live),
// words the plan's notes, and adds what is its own: modes and hooks for
// files, jobs for systemd units, launchctl for launchd jobs. The file
// ops themselves are the files provider's (WriteOp, RemoveOp, MkdirOp):
// unit files and plists are real files written from the store, like a
// `copy` (files.StoredFile makes their ops).
package managed
