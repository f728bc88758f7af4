package files

import (
	"io/fs"

	"github.com/gocfg/gocfg/generations"
)

// A StoredFile is a real file that another provider writes from a
// generation's store, as a `copy` is: a systemd unit file, a launchd
// plist. Its ops are this package's, so they are journaled, undone and
// checked (the content against its hash) the way managed files are, and
// replace or remove the file only while it is still what the plan saw
// (see Seen): an edit made between the plan and the switch stops the
// switch and is kept.
type StoredFile struct {
	// Path is the machine path; Root and Rel locate the content in a
	// generation's files tree; Hash is its sha256.
	Path, Root, Rel, Hash string
	Mode                  fs.FileMode
	// UID and GID own the file (-1: left alone).
	UID, GID int
}

// Prev is s as generation gen stores it: what an undo puts back. Its
// content is checked against s's hash before it is written.
func (s StoredFile) Prev(store *generations.Store, gen int) *Prev {
	return &Prev{Object: store.FilePath(gen, s.Root, s.Rel), Hash: s.Hash, Mode: s.Mode, UID: s.UID, GID: s.GID}
}

// WriteOp writes s from generation to's store at a free path: a file that
// appeared there since the plan is not replaced (the switch stops).
func (s StoredFile) WriteOp(store *generations.Store, to int) *WriteOp {
	return &WriteOp{Path: s.Path, Object: store.FilePath(to, s.Root, s.Rel), Hash: s.Hash, Mode: s.Mode, UID: s.UID, GID: s.GID}
}

// ReplaceOp writes s from generation to's store in place of the file the
// plan saw at its path (seen, from ReadSeen; not nil): that file is moved
// aside (AsidePath) and checked against seen first, and moved back,
// stopping the switch, when it was edited since. It is deleted when the
// switch commits, and moved back by an undo.
func (s StoredFile) ReplaceOp(store *generations.Store, to int, seen *Seen) *WriteOp {
	op := s.WriteOp(store, to)
	op.Aside = &Aside{Path: AsidePath(s.Path, to), Seen: seen}
	return op
}

// PutOp writes s from generation to's store: ReplaceOp when the plan saw
// a file at its path (seen), else WriteOp.
func (s StoredFile) PutOp(store *generations.Store, to int, seen *Seen) *WriteOp {
	if seen == nil {
		return s.WriteOp(store, to)
	}
	return s.ReplaceOp(store, to, seen)
}

// RemoveOp removes s, in switch to, while it is still as generation gen
// stores it: it is moved aside (AsidePath) and checked there, where no
// edit can reach it unseen, before it is deleted; an undo puts it back
// from gen's store.
func (s StoredFile) RemoveOp(store *generations.Store, gen, to int) *RemoveOp {
	return &RemoveOp{Path: s.Path, Hash: s.Hash, Prev: s.Prev(store, gen), Aside: AsidePath(s.Path, to)}
}
