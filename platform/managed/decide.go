package managed

// Live is what is at a managed path, measured against the desired and the
// applied (recorded) state. A provider classifies in this order: Desired,
// then Absent, then Ours, then SameContent, else Other.
type Live int

// What a path can hold.
const (
	// Absent: nothing is there.
	Absent Live = iota
	// Desired: exactly what is desired (content and form).
	Desired
	// Ours: what the current generation recorded that gocfg wrote.
	Ours
	// SameContent: a file with the desired content in another form (a
	// copy where a link is desired): adopted by replacing it.
	SameContent
	// Other: someone else's file, or gocfg's changed by hand.
	Other
)

// An Action is what a Decision does with a path.
type Action int

// The actions.
const (
	// Keep: already as desired and recorded; nothing to do for the file.
	Keep Action = iota + 1
	// Adopt: as desired (or with the desired content) but not recorded;
	// taken over, replaced when Decision.Replace says so.
	Adopt
	// Create: nothing is there; the file is made.
	Create
	// Update: gocfg's own file, still as it wrote it, is replaced.
	Update
	// Force: what is in the way is replaced (force = true).
	Force
	// Backup: what is in the way is moved to its backup path first
	// (--backup-ext).
	Backup
	// Conflict: what is there stops the plan (Why, Remedies).
	Conflict
	// Remove: no longer wanted, and still gocfg's: removed.
	Remove
	// Gone: no longer wanted, and already removed by hand.
	Gone
	// Forget: no longer wanted, and changed by hand: left alone, and no
	// longer managed.
	Forget
)

// Why says what a Decision is about when the live state is not what
// gocfg expected.
type Why int

// The reasons.
const (
	// Expected: the path is as the plan expects.
	Expected Why = iota
	// RemovedByHand: gocfg's file is gone.
	RemovedByHand
	// ChangedByHand: gocfg's file was changed since it wrote it.
	ChangedByHand
	// InTheWay: a file gocfg did not write is where its file goes.
	InTheWay
	// BackupTaken: what is in the way cannot be moved to its backup path:
	// something is there already.
	BackupTaken
)

// Remedy is the set of ways out of a conflict a plan can suggest.
type Remedy int

// The remedies.
const (
	// MoveAway: move what is there away (or drop it from the
	// configuration).
	MoveAway Remedy = 1 << iota
	// BackupExt: pass --backup-ext EXT to keep what is there as a backup.
	BackupExt
	// ForceIt: set force = true to replace it.
	ForceIt
	// OtherBackup: move the backup away, or pick another --backup-ext.
	OtherBackup
)

// Has reports whether r includes s.
func (r Remedy) Has(s Remedy) bool { return r&s != 0 }

// An Input is what Decide weighs for one path.
type Input struct {
	// Wanted: the configuration (or the generation rolled back to) wants
	// the path; Applied: the current generation recorded it.
	Wanted, Applied bool
	// Live is what is at the path.
	Live Live
	// Force: the path's configuration says force = true, and what is
	// there may be forced (not a folder).
	Force bool
	// BackupExt: a --backup-ext was given; BackupTaken: its backup path
	// is taken.
	BackupExt, BackupTaken bool
	// CanBackup and CanForce: --backup-ext and force = true are options
	// for this path, to suggest.
	CanBackup, CanForce bool
}

// A Decision is what happens to a managed path.
type Decision struct {
	Action Action
	// Why: Create (RemovedByHand), Adopt, Force and Backup (ChangedByHand
	// when gocfg had written it), Conflict (ChangedByHand, InTheWay or
	// BackupTaken), Forget (ChangedByHand).
	Why Why
	// Replace: Adopt replaces what is there (SameContent).
	Replace bool
	// Remedies of a Conflict.
	Remedies Remedy
}

// Decide applies the rules the providers of managed files share.
func Decide(in Input) Decision {
	if !in.Wanted {
		return decideRemoval(in)
	}
	switch in.Live {
	case Desired:
		if in.Applied {
			return Decision{Action: Keep}
		}
		return Decision{Action: Adopt}
	case Absent:
		if in.Applied {
			return Decision{Action: Create, Why: RemovedByHand}
		}
		return Decision{Action: Create}
	case Ours:
		if in.Applied {
			return Decision{Action: Update}
		}
	}
	// Something gocfg did not put there, or changed by hand.
	why := InTheWay
	if in.Applied {
		why = ChangedByHand
	}
	switch {
	case in.Live == SameContent:
		d := Decision{Action: Adopt, Replace: true}
		if in.Applied {
			d.Why = ChangedByHand
		}
		return d
	case in.Force:
		return Decision{Action: Force, Why: why}
	case in.BackupExt && in.BackupTaken:
		return Decision{Action: Conflict, Why: BackupTaken, Remedies: OtherBackup}
	case in.BackupExt:
		return Decision{Action: Backup, Why: why}
	}
	d := Decision{Action: Conflict, Why: why, Remedies: MoveAway}
	if in.CanBackup {
		d.Remedies |= BackupExt
	}
	if in.CanForce {
		d.Remedies |= ForceIt
	}
	return d
}

// decideRemoval decides for a path no longer wanted, by what is there
// against what was applied.
func decideRemoval(in Input) Decision {
	switch in.Live {
	case Ours:
		return Decision{Action: Remove}
	case Absent:
		return Decision{Action: Gone, Why: RemovedByHand}
	}
	return Decision{Action: Forget, Why: ChangedByHand}
}

// OfContent classifies a real file written from the store (a unit file,
// a plist) by its content: there, with the desired content, with the
// applied (recorded) content.
func OfContent(there, desired, applied bool) Live {
	switch {
	case there && desired:
		return Desired
	case !there:
		return Absent
	case applied:
		return Ours
	}
	return Other
}
