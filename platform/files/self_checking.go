package files

import "github.com/gocfg/gocfg/platform"

// The files provider's ops are platform.SelfChecking: the engine need not
// make the progress log durable before them (a switch of 10,000 dotfiles
// runs 11,000 of them). What each Undo does when its Apply never ran:
//
//   - LinkOp, WriteOp: nothing, unless the path holds the op's own link
//     or content and its aside the plan's (Aside.untouched).
//   - MkdirOp: removes the folder only when it is empty.
//   - RmdirOp: makes the folder again if it is gone (an empty folder).
//   - RemoveOp: nothing while the managed file is there. Since the plan,
//     a managed file removed is made again (gocfg's content, not hers);
//     a file of hers put in its place when there is no backup is moved
//     to the backup's name (kept, not lost); the original put back by
//     hand, which gocfg keeps in the store, is replaced by the managed
//     file again (reviewer R29). Not worth a sync before each of the
//     thousands of removals a dropped folder of dotfiles makes.
//   - SkelOp: nothing unless its aside holds the skeleton's copy.
//   - AreaOp: only for an account that is gone.
//   - CheckOp, KeepEditedOp: nothing.
//
// Not SelfChecking, and so synced before: AttrOp (a chmod of hers to the
// op's own mode would be undone) and RestoreOp (a file of hers at the
// path would be moved to the backup's name): reviewer R29. Both are rare.
var (
	_ platform.SelfChecking = (*LinkOp)(nil)
	_ platform.SelfChecking = (*WriteOp)(nil)
	_ platform.SelfChecking = (*MkdirOp)(nil)
	_ platform.SelfChecking = (*RmdirOp)(nil)
	_ platform.SelfChecking = (*RemoveOp)(nil)
	_ platform.SelfChecking = (*SkelOp)(nil)
	_ platform.SelfChecking = (*AreaOp)(nil)
	_ platform.SelfChecking = (*CheckOp)(nil)
	_ platform.SelfChecking = (*KeepEditedOp)(nil)
)

// UndoChecksItself marks LinkOp platform.SelfChecking.
func (*LinkOp) UndoChecksItself() {}

// UndoChecksItself marks WriteOp platform.SelfChecking.
func (*WriteOp) UndoChecksItself() {}

// UndoChecksItself marks MkdirOp platform.SelfChecking.
func (*MkdirOp) UndoChecksItself() {}

// UndoChecksItself marks RmdirOp platform.SelfChecking.
func (*RmdirOp) UndoChecksItself() {}

// UndoChecksItself marks RemoveOp platform.SelfChecking.
func (*RemoveOp) UndoChecksItself() {}

// UndoChecksItself marks SkelOp platform.SelfChecking.
func (*SkelOp) UndoChecksItself() {}

// UndoChecksItself marks AreaOp platform.SelfChecking.
func (*AreaOp) UndoChecksItself() {}

// UndoChecksItself marks CheckOp platform.SelfChecking.
func (*CheckOp) UndoChecksItself() {}

// UndoChecksItself marks KeepEditedOp platform.SelfChecking.
func (*KeepEditedOp) UndoChecksItself() {}
