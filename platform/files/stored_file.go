package files

import (
	"io/fs"

	"github.com/gocfg/gocfg/generations"
)

// A StoredFile is a real file that another provider writes from a
// generation's store, as a `copy` is: a systemd unit file, a launchd
// plist. Its ops are this package's, so they are journaled, undone and
// checked (the content against its hash) the way managed files are.
type StoredFile struct {
	// Path is the machine path; Root and Rel locate the content in a
	// generation's files tree; Hash is its sha256.
	Path, Root, Rel, Hash string
	Mode                  fs.FileMode
	// UID and GID own the file (-1: left alone).
	UID, GID int
}

// Prev is s as generation gen stores it: what an undo puts back.
func (s StoredFile) Prev(store *generations.Store, gen int) *Prev {
	return &Prev{Object: store.FilePath(gen, s.Root, s.Rel), Mode: s.Mode, UID: s.UID, GID: s.GID}
}

// WriteOp writes s from generation to's store; prev is gocfg's own file
// it replaces (nil: the path is free).
func (s StoredFile) WriteOp(store *generations.Store, to int, prev *Prev) *WriteOp {
	return &WriteOp{Path: s.Path, Object: store.FilePath(to, s.Root, s.Rel), Hash: s.Hash, Mode: s.Mode, UID: s.UID, GID: s.GID, Prev: prev}
}

// RemoveOp removes s while it is still as generation gen stores it (and
// puts it back from there on undo).
func (s StoredFile) RemoveOp(store *generations.Store, gen int) *RemoveOp {
	return &RemoveOp{Path: s.Path, Hash: s.Hash, Prev: s.Prev(store, gen)}
}
