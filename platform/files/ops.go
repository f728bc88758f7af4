package files

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/gocfg/gocfg/internal/filestat"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/system"
)

// A Prev is what a managed path held before an op replaced it, so Undo can
// put it back: a link target, or a copy's content kept in the current
// generation's store.
type Prev struct {
	Target string `json:"target,omitempty"`
	Object string `json:"object,omitempty"`
	// Hash is the sha256 of Object's content, checked before it is
	// written back ("" in journals of older versions: not checked).
	Hash string      `json:"hash,omitempty"`
	Mode fs.FileMode `json:"mode,omitempty"`
	UID  int         `json:"uid"`
	GID  int         `json:"gid"`
	// LinkOwned: a link (Target) is given UID and GID once made, as
	// gocfg's links in a home are; a link put back in alice's home was
	// root's (tester R). Journals of older versions: false, not given.
	LinkOwned bool `json:"link_owned,omitempty"`
}

// holds reports whether path holds exactly what p puts back.
func (p *Prev) holds(sys system.System, path string) bool {
	switch {
	case p.Target != "":
		t, err := sys.Readlink(path)
		return err == nil && t == p.Target
	case p.Hash != "":
		fi, err := sys.Lstat(path)
		if err != nil || !fi.Mode().IsRegular() {
			return false
		}
		h, err := hashPath(sys, path)
		return err == nil && h == p.Hash
	}
	return false
}

func (p *Prev) put(sys system.System, path string) error {
	switch {
	case p == nil:
		return nil
	case p.Target != "":
		if err := sys.ReplaceSymlink(p.Target, path); err != nil || !p.LinkOwned {
			return err
		}
		return chown(sys, path, p.UID, p.GID)
	case p.Object != "":
		return writeObject(sys, p.Object, p.Hash, path, p.Mode, p.UID, p.GID, true)
	}
	return nil
}

// An Aside is what was in the way of a managed path: moved next to it
// before the op, deleted when the switch commits unless it is a backup,
// moved back by Undo. Seen, when set, is what the plan saw at the path:
// what is moved must still be that (see Seen).
//
// IfAppeared is set for a path the plan saw absent that a package of the
// same switch may make before the op runs (an /etc file with force =
// true, after.go): what is there then is moved aside (and kept), and
// nothing there is not an error.
type Aside struct {
	Path       string `json:"path"`
	Keep       bool   `json:"keep,omitempty"`
	Seen       *Seen  `json:"seen,omitempty"`
	IfAppeared bool   `json:"if_appeared,omitempty"`
}

// errChanged is the cause of an op that found its path changed since the
// plan was made.
func errChanged(p, why string) error {
	return fmt.Errorf("%s: changed since the plan was made (%s); nothing was lost: run the same gocfg command again", p, why)
}

// move renames the path aside and checks that what it moved is what the
// plan saw; if not, it moves it back (ErrUnchanged) or, when something
// took the path meanwhile, leaves it aside and says where.
func (a *Aside) move(sys system.System, path string) error {
	if a == nil {
		return nil
	}
	if a.IfAppeared {
		if _, err := sys.Lstat(path); errors.Is(err, fs.ErrNotExist) {
			return nil // still free: nothing to keep
		}
	}
	if _, err := sys.Lstat(a.Path); err == nil {
		return errAsideTaken(a.Path)
	}
	if err := sys.Rename(path, a.Path); err != nil {
		if errors.Is(err, fs.ErrNotExist) && a.Seen != nil {
			return fmt.Errorf("%w: %w", errChanged(path, "it is gone"), platform.ErrUnchanged)
		}
		return err
	}
	if a.Seen == nil {
		return nil
	}
	why := a.Seen.differs(sys, a.Path)
	if why == "" {
		return nil
	}
	if _, err := sys.Lstat(path); errors.Is(err, fs.ErrNotExist) {
		if err := sys.Rename(a.Path, path); err == nil {
			return fmt.Errorf("%w: %w", errChanged(path, why), platform.ErrUnchanged)
		}
	}
	return fmt.Errorf("%w; what was there is kept as %s", errChanged(path, why), a.Path)
}

// back moves the aside file back, if it is what the op set aside (the
// Seen, when recorded) and the path is free. A file it never set aside
// (the move was refused) is left alone; so is its own one when something
// else took the path since, which it says.
func (a *Aside) back(sys system.System, path string) error {
	if a == nil {
		return nil
	}
	if _, err := sys.Lstat(a.Path); err != nil {
		return nil
	}
	if a.Seen != nil && a.Seen.differs(sys, a.Path) != "" {
		return nil // not what this op moved there
	}
	if _, err := sys.Lstat(path); err == nil {
		if a.Seen == nil {
			return nil // nothing says this op moved it: leave both
		}
		return fmt.Errorf("%s: cannot move %s back: the path is taken", path, a.Path)
	}
	return sys.Rename(a.Path, path)
}

// commit deletes what was moved aside, unless it is a backup, or it was
// written to since it was moved, or a program still has it open for
// writing (then it is kept, and said so).
//
// A program that opened the file before the switch moved it aside holds
// the aside file itself and may write to it at any moment, even after a
// check: a regular file is therefore checked and deleted with
// RemoveUnshared, which refuses while any program has it open for
// writing and keeps every program from opening it for writing between
// the check and the unlink (on Linux; elsewhere a write that lands
// between the two is lost, see system.Real.RemoveUnshared). A link
// cannot be written through; a folder is checked as before and removed
// whole: a file inside it that a program holds open is not looked for.
func (a *Aside) commit(sys system.System) error {
	if a == nil || a.Keep {
		return nil
	}
	fi, err := sys.Lstat(a.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err == nil && fi.Mode().IsRegular() && (a.Seen == nil || a.Seen.Kind == "file") {
		err := sys.RemoveUnshared(a.Path, func(fi fs.FileInfo, _ io.Reader) error {
			if a.Seen == nil {
				return nil
			}
			if why := a.Seen.differsFrom(fi); why != "" {
				return errAsideChanged(a.Path, why)
			}
			return nil
		})
		return keptUnshared(a.Path, err)
	}
	if a.Seen != nil {
		if why := a.Seen.differs(sys, a.Path); why != "" {
			return errAsideChanged(a.Path, why)
		}
		if a.Seen.Kind == "dir" && fi != nil {
			// differs lets a folder's entries change (see there); one
			// deleted whole must hold what the plan saw.
			if why := a.Seen.differsFrom(fi); why != "" {
				return errAsideChanged(a.Path, why)
			}
		}
	}
	return sys.RemoveAll(a.Path)
}

func errAsideChanged(p, why string) error {
	return fmt.Errorf("%s: kept: what was moved aside changed since (%s)", p, why)
}

// keptUnshared is the error of a commit step whose RemoveUnshared of p
// returned err: none when p went, or was gone already; else p is kept,
// and the error says so.
func keptUnshared(p string, err error) error {
	switch {
	case err == nil, errors.Is(err, fs.ErrNotExist):
		return nil
	case errors.Is(err, system.ErrShared):
		return fmt.Errorf("%s: kept: a program has it open for writing and may still write to it; delete it once that program is done with it", p)
	}
	return err
}

// differsFrom says how the file described by fi (the aside, as
// RemoveUnshared holds it) differs from s, or "" when it does not; as
// Seen.differs, without looking the path up again.
func (s *Seen) differsFrom(fi fs.FileInfo) string {
	now := seenInfo(fi)
	switch {
	case now.Kind != s.Kind:
		return fmt.Sprintf("it was a %s and is a %s now", s.Kind, now.Kind)
	case now.Ino != s.Ino:
		return "it was replaced"
	case now.Size != s.Size || now.Mtime != s.Mtime:
		return "it was written to"
	}
	return ""
}

// LinkOp makes Path a symlink to Target.
type LinkOp struct {
	Path   string `json:"path"`
	Target string `json:"target"`
	UID    int    `json:"uid"`
	GID    int    `json:"gid"`
	Prev   *Prev  `json:"prev,omitempty"`
	Aside  *Aside `json:"aside,omitempty"`
}

// Describe says what the op does.
func (o *LinkOp) Describe() string { return "link " + o.Path }

// Apply makes the link: swapped with what is in the way (Aside.swap),
// or, where that cannot be, after moving it aside.
func (o *LinkOp) Apply(_ context.Context, sys system.System) error {
	create := func(p string) error {
		if err := sys.Symlink(o.Target, p); err != nil {
			return err
		}
		return chown(sys, p, o.UID, o.GID)
	}
	if done, err := o.Aside.swap(sys, o.Path, create, o.dropLink(sys)); done {
		return err
	}
	if err := o.Aside.move(sys, o.Path); err != nil {
		return err
	}
	var err error
	if o.Prev != nil && o.Aside == nil {
		// Journals of older versions replace gocfg's own link in place.
		err = sys.ReplaceSymlink(o.Target, o.Path)
	} else {
		// The path is free (moved aside, or nothing was there): a link
		// never replaces what appeared since the plan.
		err = sys.Symlink(o.Target, o.Path)
	}
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%w (%w): %w", errChanged(o.Path, "something appeared there"), err, platform.ErrUnchanged)
		}
		return err
	}
	return chown(sys, o.Path, o.UID, o.GID)
}

// Undo removes the link if it is still there and puts back what was.
// A link Apply made aside and never swapped in (or swapped back) goes.
func (o *LinkOp) Undo(_ context.Context, sys system.System) error {
	ours := func(p string) bool { return isLinkTo(sys, p, o.Target) }
	if o.Aside.madeAside(sys, ours) {
		return o.dropLink(sys)(o.Aside.Path)
	}
	if o.Aside.untouched(sys, ours) {
		// Never ran: a link she made to the same target is hers
		// (reviewer R26).
		return o.Aside.ambiguous(sys, o.Path, ours)
	}
	if t, err := sys.Readlink(o.Path); err == nil && t == o.Target {
		if o.Prev != nil {
			return o.Prev.put(sys, o.Path)
		}
		if err := sys.Remove(o.Path); err != nil {
			return err
		}
	}
	return o.Aside.back(sys, o.Path)
}

// dropLink removes the link at p while it is the op's (errNotManaged
// when it is not).
func (o *LinkOp) dropLink(sys system.System) func(p string) error {
	return func(p string) error {
		if !isLinkTo(sys, p, o.Target) {
			return errNotManaged
		}
		return sys.Remove(p)
	}
}

// isLinkTo reports whether p is a link to target.
func isLinkTo(sys system.System, p, target string) bool {
	t, err := sys.Readlink(p)
	return err == nil && t == target
}

var _ platform.Committer = (*LinkOp)(nil)

// Commit deletes what was moved aside, unless it is a backup.
func (o *LinkOp) Commit(_ context.Context, sys system.System) error { return o.Aside.commit(sys) }

// WriteOp makes Path a regular file with Object's content (a file in the
// new generation's store), Mode and owner.
type WriteOp struct {
	Path   string      `json:"path"`
	Object string      `json:"object"`
	Hash   string      `json:"hash"`
	Mode   fs.FileMode `json:"mode"`
	UID    int         `json:"uid"`
	GID    int         `json:"gid"`
	Prev   *Prev       `json:"prev,omitempty"`
	Aside  *Aside      `json:"aside,omitempty"`
}

// Describe says what the op does.
func (o *WriteOp) Describe() string { return "write " + o.Path }

// Apply writes the file: swapped with what is in the way (Aside.swap),
// or, where that cannot be, written at the path once that is moved
// aside; the whole file appears at once, with its mode and owner.
func (o *WriteOp) Apply(_ context.Context, sys system.System) error {
	create := func(p string) error {
		return writeObject(sys, o.Object, o.Hash, p, o.Mode, o.UID, o.GID, false)
	}
	drop := func(p string) error { return removeIfHash(sys, p, o.Hash) }
	if done, err := o.Aside.swap(sys, o.Path, create, drop); done {
		return err
	}
	if err := o.Aside.move(sys, o.Path); err != nil {
		return err
	}
	// The path is free unless an older journal replaces gocfg's own copy
	// in place (Prev without Aside).
	return writeObject(sys, o.Object, o.Hash, o.Path, o.Mode, o.UID, o.GID, o.Prev != nil && o.Aside == nil)
}

// Undo puts back what was there if the file still has the op's content.
// A temporary file a killed write left beside the path is removed.
func (o *WriteOp) Undo(_ context.Context, sys system.System) error {
	if err := removeTemps(sys, filepath.Dir(o.Path)); err != nil {
		return err
	}
	// Stopped before the swap, or after swapping back (Aside.swap): the
	// path holds what was there, the aside name the new file.
	if o.Aside.madeAside(sys, func(p string) bool { return isFileWith(sys, p, o.Hash) }) {
		return undoneAside(o.Aside.Path, removeIfHash(sys, o.Aside.Path, o.Hash))
	}
	if ours := func(p string) bool { return isFileWith(sys, p, o.Hash) }; o.Aside.untouched(sys, ours) {
		return o.Aside.ambiguous(sys, o.Path, ours)
	}
	// An undo killed after it moved the file out of the way: finish it.
	if trash := undoTrash(o.Path); o.Prev == nil {
		if _, err := sys.Lstat(trash); err == nil {
			if _, err := sys.Lstat(o.Path); errors.Is(err, fs.ErrNotExist) {
				if err := removeIfHash(sys, trash, o.Hash); err != nil {
					if err := sys.Rename(trash, o.Path); err != nil {
						return err
					}
				}
			}
		}
	}
	fi, err := sys.Lstat(o.Path)
	if err == nil && fi.Mode().IsRegular() {
		if o.Prev != nil {
			if h, err := hashPath(sys, o.Path); err == nil && h == o.Hash {
				return o.Prev.put(sys, o.Path)
			}
			return o.Aside.back(sys, o.Path)
		}
		// Moved out of the way first, then checked: an edit made to the
		// file until then is seen, and the file is put back.
		trash := undoTrash(o.Path)
		if _, err := sys.Lstat(trash); errors.Is(err, fs.ErrNotExist) {
			if err := sys.Rename(o.Path, trash); err != nil {
				return err
			}
			if err := removeIfHash(sys, trash, o.Hash); err != nil {
				// Edited since, or open for writing: left where it was.
				if err := sys.Rename(trash, o.Path); err != nil {
					return err
				}
				if o.new(sys) {
					return o.keptNew(sys, err)
				}
				return o.Aside.kept(sys, o.Path)
			}
		}
	}
	return o.Aside.back(sys, o.Path)
}

// kept is the undo's word for path, which it leaves as it is: not
// gocfg's content (edited since gocfg wrote it, or open for writing).
// When the aside holds what the op moved there (what the plan saw), the
// op ran and the file was gocfg's, and what was there before the switch
// stays beside it: said so (platform.ErrKept). Otherwise nothing says
// the op ran (it refused, or an older journal): nil, as before.
func (a *Aside) kept(sys system.System, path string) error {
	if a == nil || a.Seen == nil || a.Seen.differs(sys, a.Path) != "" {
		return nil
	}
	return fmt.Errorf("%s: changed since gocfg wrote it (or open for writing); what was there before the switch is beside it as %s: %w", path, a.Path, platform.ErrKept)
}

// new reports whether the op makes a new file: nothing was at its path
// when the plan was made, and nothing (a package's file, IfAppeared) was
// moved aside for it.
func (o *WriteOp) new(sys system.System) bool {
	if o.Prev != nil {
		return false
	}
	if o.Aside == nil {
		return true
	}
	if !o.Aside.IfAppeared {
		return false
	}
	_, err := sys.Lstat(o.Aside.Path)
	return errors.Is(err, fs.ErrNotExist)
}

// keptNew is the undo's word for the new file at the op's path, which it
// leaves as it is because removeIfHash refused it (err): no aside says
// the op ran, and the path may hold a file someone made since the plan
// (the op then refused, or never ran: an undo after a restart undoes
// every op that may have run). What the op wrote says it: gocfg's
// content, whole, in a file a program has open for writing, or at its
// start, in one added to since (tester BI: `echo >> file`), is gocfg's
// file, which the op made where nothing was (platform.ErrKept: the
// message names it, and says what to do, since the next plan finds it
// in the way). Any other content may be someone else's file: nil, as
// before.
func (o *WriteOp) keptNew(sys system.System, err error) error {
	const next = "gocfg does not manage it now, and the next plan finds it in the way: move it away (or delete it) to let gocfg make it"
	if errors.Is(err, system.ErrShared) {
		if isFileWith(sys, o.Path, o.Hash) {
			return fmt.Errorf("%s: gocfg made it where nothing was, and a program has it open for writing; %s: %w", o.Path, next, platform.ErrKept)
		}
	}
	if !errors.Is(err, errNotManaged) && !errors.Is(err, system.ErrShared) {
		return nil
	}
	if !startsWith(sys, o.Path, o.Object, o.Hash) {
		return nil
	}
	return fmt.Errorf("%s: gocfg made it where nothing was, and it was added to since; %s: %w", o.Path, next, platform.ErrKept)
}

// startsWith reports whether the regular file p starts with the stored
// content object, which has the content hash, and holds more: gocfg's
// content added to. An empty object, or one that cannot be read or
// does not have hash, says nothing.
func startsWith(sys system.System, p, object, hash string) bool {
	want, err := sys.ReadFile(object)
	if err != nil || len(want) == 0 || hashBytes(want) != hash {
		return false
	}
	fi, err := sys.Lstat(p)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() <= int64(len(want)) {
		return false
	}
	f, err := sys.Open(p)
	if err != nil {
		return false
	}
	defer f.Close()
	got := make([]byte, len(want))
	if _, err := io.ReadFull(f, got); err != nil {
		return false
	}
	return string(got) == string(want)
}

var _ platform.Committer = (*WriteOp)(nil)

// Commit deletes what was moved aside, unless it is a backup.
func (o *WriteOp) Commit(_ context.Context, sys system.System) error { return o.Aside.commit(sys) }

// isFileWith reports whether p is a regular file with the content hash.
func isFileWith(sys system.System, p, hash string) bool {
	fi, err := sys.Lstat(p)
	if err != nil || !fi.Mode().IsRegular() {
		return false
	}
	h, err := hashPath(sys, p)
	return err == nil && h == hash
}

// undoneAside is the error of an undo that deleted p, gocfg's new file
// at the aside name, with removeIfHash's err: none when it went; else it
// stays, and the error (which keeps the journal, so the next command
// tries again) says why.
func undoneAside(p string, err error) error {
	if errors.Is(err, errNotManaged) {
		return fmt.Errorf("%s: kept: gocfg's new file was written to since it was made", p)
	}
	return keptUnshared(p, err)
}

// removeIfHash deletes the regular file p if it has the content hash and
// no program has it open for writing (RemoveUnshared: a program that
// opened the copy before Undo moved it out of the way could still write
// to it after the check); else it is left, and the error says why.
func removeIfHash(sys system.System, p, hash string) error {
	return sys.RemoveUnshared(p, func(_ fs.FileInfo, content io.Reader) error {
		h := sha256.New()
		if _, err := io.Copy(h, content); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		if hex.EncodeToString(h.Sum(nil)) != hash {
			return errNotManaged
		}
		return nil
	})
}

// undoTrash is where WriteOp.Undo moves the copy it made before it checks
// and deletes it.
func undoTrash(p string) string { return p + ".gocfg-undo~" }

// writeObject writes the stored content object to path, with mode and
// owner. The content is never trusted by its name: when hash is given,
// what was read must have it.
//
// With replace unset the path must be free: nothing that appeared there
// since the plan is replaced (the error wraps ErrUnchanged).
func writeObject(sys system.System, object, hash, path string, mode fs.FileMode, uid, gid int, replace bool) error {
	data, err := sys.ReadFile(object)
	if err != nil {
		return err
	}
	if hash != "" && hashBytes(data) != hash {
		return fmt.Errorf("%s: stored content has sha256 %s, not %s as recorded; not copying it to %s", object, hashBytes(data), hash, path)
	}
	// The mode's setuid, setgid and sticky bits come after the owner:
	// never a moment as root's setuid file with this content.
	if replace {
		err = sys.WriteFile(path, data, mode.Perm())
	} else {
		err = sys.WriteNewFile(path, data, mode.Perm())
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%w (%w): %w", errChanged(path, "something appeared there"), err, platform.ErrUnchanged)
		}
	}
	if err != nil {
		return err
	}
	if err := chown(sys, path, uid, gid); err != nil {
		return err
	}
	if mode&(fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky) != 0 {
		return sys.Chmod(path, mode)
	}
	return nil
}

func chown(sys system.System, path string, uid, gid int) error {
	if uid < 0 && gid < 0 {
		return nil
	}
	return sys.Lchown(path, uid, gid)
}

// RemoveOp removes a managed file that is still what gocfg put there,
// then puts its backup back when there is one.
type RemoveOp struct {
	Path string `json:"path"`
	// Was is the managed state: a link target, or a copy's content (Hash,
	// kept in the current generation's store as Prev.Object).
	Target string `json:"target,omitempty"`
	Hash   string `json:"hash,omitempty"`
	Prev   *Prev  `json:"prev,omitempty"`
	Backup string `json:"backup,omitempty"`
	// Original, when set, is what the path held before gocfg managed it,
	// put back once the file is removed (when there is no Backup).
	Original *Prev `json:"original,omitempty"`
	// Aside, when set, is where the file is moved first and checked,
	// where no edit can reach it unseen, before it is deleted; "" in
	// journals of older versions, which check in place.
	Aside string `json:"aside,omitempty"`
}

// Describe says what the op does.
func (o *RemoveOp) Describe() string { return "remove " + o.Path }

func (o *RemoveOp) isManaged(sys system.System) bool { return o.isManagedAt(sys, o.Path) }

// isManagedAt reports whether p holds what gocfg made at Path.
func (o *RemoveOp) isManagedAt(sys system.System, p string) bool {
	if o.Target != "" {
		t, err := sys.Readlink(p)
		return err == nil && t == o.Target
	}
	fi, err := sys.Lstat(p)
	if err != nil || !fi.Mode().IsRegular() {
		return false
	}
	h, err := hashPath(sys, p)
	return err == nil && h == o.Hash
}

// Apply removes the file, refusing when it changed since the plan: it is
// moved aside (when Aside is set) and checked there, where no edit can
// reach it unseen, then deleted (at once, so that a folder it leaves
// empty can go in the same switch; Undo recreates it).
func (o *RemoveOp) Apply(_ context.Context, sys system.System) error {
	if !o.isManaged(sys) {
		return fmt.Errorf("%s: changed since the plan was made; not removing it: %w", o.Path, platform.ErrUnchanged)
	}
	if o.Aside == "" {
		if err := sys.Remove(o.Path); err != nil {
			return err
		}
	} else {
		// A switch that failed and could not undo this op (a folder
		// swapped under it) may have left its aside behind; a later
		// switch would then use the same name. What holds the managed
		// content, or the managed link, is gocfg's own copy of what the
		// store keeps and goes; anything else there is refused.
		if _, err := sys.Lstat(o.Aside); err == nil && (!o.isManagedAt(sys, o.Aside) || o.removeAside(sys) != nil) {
			return fmt.Errorf("%s: already exists; not overwriting it: %w", o.Aside, platform.ErrUnchanged)
		}
		if err := sys.Rename(o.Path, o.Aside); err != nil {
			return err
		}
		err := errNotManaged
		if o.isManagedAt(sys, o.Aside) {
			err = o.removeAside(sys)
		}
		switch {
		case errors.Is(err, errNotManaged):
			if _, err := sys.Lstat(o.Path); errors.Is(err, fs.ErrNotExist) && sys.Rename(o.Aside, o.Path) == nil {
				return fmt.Errorf("%w: %w", errChanged(o.Path, "written to"), platform.ErrUnchanged)
			}
			return fmt.Errorf("%w; it is kept as %s", errChanged(o.Path, "written to"), o.Aside)
		case errors.Is(err, system.ErrShared):
			// A program still has it open for writing: it stays aside,
			// out of the path, and Commit tries again and says so.
		case err != nil:
			return err
		}
	}
	if o.Backup != "" {
		if _, err := sys.Lstat(o.Backup); err == nil {
			return sys.Rename(o.Backup, o.Path)
		}
	}
	return o.Original.put(sys, o.Path)
}

// errNotManaged is the cause of removeAside's error when the file moved
// aside is not what gocfg made.
var errNotManaged = errors.New("not what gocfg made")

// removeAside deletes the file moved aside: a link at once (it cannot be
// written through); a copy with RemoveUnshared, while it still has the
// managed content (else errNotManaged) and no program has it open for
// writing (else system.ErrShared): a program that opened the file before
// it was moved aside could still write to it (see Aside.commit).
func (o *RemoveOp) removeAside(sys system.System) error {
	if o.Target != "" {
		return sys.Remove(o.Aside)
	}
	return removeIfHash(sys, o.Aside, o.Hash)
}

var _ platform.Committer = (*RemoveOp)(nil)

// Commit deletes the file Apply moved aside and kept because a program
// had it open for writing, if it still has the managed content and none
// has it open now; else it is kept, and said so.
// A link is never kept at Apply: there is nothing to do for one.
func (o *RemoveOp) Commit(_ context.Context, sys system.System) error {
	if o.Aside == "" || o.Target != "" {
		return nil
	}
	if _, err := sys.Lstat(o.Aside); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	err := o.removeAside(sys)
	if errors.Is(err, errNotManaged) {
		return fmt.Errorf("%s: kept: what was moved aside changed since (written to)", o.Aside)
	}
	return keptUnshared(o.Aside, err)
}

// Undo moves a put-back backup away again (or removes the original it put
// back) and puts the file back: from where it was moved aside, else
// recreated.
func (o *RemoveOp) Undo(_ context.Context, sys system.System) error {
	if o.Original != nil && o.Original.holds(sys, o.Path) {
		if err := sys.Remove(o.Path); err != nil {
			return err
		}
	}
	if o.Backup != "" {
		if _, err := sys.Lstat(o.Backup); errors.Is(err, fs.ErrNotExist) {
			if _, err := sys.Lstat(o.Path); err == nil && !o.isManaged(sys) {
				if err := sys.Rename(o.Path, o.Backup); err != nil {
					return err
				}
			}
		}
	}
	if _, err := sys.Lstat(o.Path); err == nil {
		return nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err // e.g. the folder became a file: cannot put it back
	}
	if o.Aside != "" && o.isManagedAt(sys, o.Aside) {
		return sys.Rename(o.Aside, o.Path)
	}
	if o.Target != "" {
		if err := sys.Symlink(o.Target, o.Path); err != nil || o.Prev == nil || o.Prev.Target != o.Target || !o.Prev.LinkOwned {
			return err // (journals of older versions: no owner for the link)
		}
		return chown(sys, o.Path, o.Prev.UID, o.Prev.GID)
	}
	return o.Prev.put(sys, o.Path)
}

// RestoreOp puts a backup back at a managed path that is already gone.
type RestoreOp struct {
	Path   string `json:"path"`
	Backup string `json:"backup"`
}

// Describe says what the op does.
func (o *RestoreOp) Describe() string { return "restore " + o.Path + " from " + o.Backup }

// Apply moves the backup to the path, which must be free.
func (o *RestoreOp) Apply(_ context.Context, sys system.System) error {
	if _, err := sys.Lstat(o.Path); err == nil {
		return fmt.Errorf("%s: exists; not putting %s back over it: %w", o.Path, o.Backup, platform.ErrUnchanged)
	}
	return sys.Rename(o.Backup, o.Path)
}

// Undo moves the file back to the backup path if that is free.
func (o *RestoreOp) Undo(_ context.Context, sys system.System) error {
	if _, err := sys.Lstat(o.Backup); err == nil {
		return nil
	}
	if _, err := sys.Lstat(o.Path); err != nil {
		return nil
	}
	return sys.Rename(o.Path, o.Backup)
}

// AttrOp changes a copied file's mode and owner.
type AttrOp struct {
	Path     string      `json:"path"`
	Mode     fs.FileMode `json:"mode"`
	UID      int         `json:"uid"`
	GID      int         `json:"gid"`
	PrevMode fs.FileMode `json:"prev_mode"`
	PrevUID  int         `json:"prev_uid"`
	PrevGID  int         `json:"prev_gid"`
}

// Describe says what the op does.
func (o *AttrOp) Describe() string { return fmt.Sprintf("chmod %04o %s", o.Mode, o.Path) }

// Apply sets owner and mode: the owner first, as chown clears the
// setuid and setgid bits (reviewer R26: a setuid mode never stuck), and
// only where the op changes it.
func (o *AttrOp) Apply(_ context.Context, sys system.System) error {
	if uid, gid := o.ownerChange(); uid >= 0 || gid >= 0 {
		if err := chown(sys, o.Path, uid, gid); err != nil {
			return err
		}
	}
	return sys.Chmod(o.Path, o.Mode)
}

// ownerChange is the owner the op sets: -1 for a side it leaves.
func (o *AttrOp) ownerChange() (uid, gid int) {
	uid, gid = -1, -1
	if o.UID >= 0 && o.UID != o.PrevUID {
		uid = o.UID
	}
	if o.GID >= 0 && o.GID != o.PrevGID {
		gid = o.GID
	}
	return uid, gid
}

// Undo sets the previous owner back where the file has the op's owner,
// and the previous mode where it has the op's mode: what else it has is
// not the op's doing (it never ran, or a user or admin changed it since:
// tester BD's chmod 600 of her file came back 0644, and a link put in its
// place was reported as a step that could not be undone). The owner goes
// first, as in Apply, and only where the op changed it (reviewer R26: a
// chown to the same owner cleared her setuid bit).
func (o *AttrOp) Undo(_ context.Context, sys system.System) error {
	fi, err := sys.Lstat(o.Path)
	if err != nil || fi.Mode()&fs.ModeSymlink != 0 {
		return nil
	}
	const bits = fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky
	modeOurs := fi.Mode()&bits == o.Mode&bits && o.Mode&bits != o.PrevMode&bits
	uidNow, gidNow := filestat.Owner(fi)
	uid, gid := o.ownerChange()
	mode := o.PrevMode
	if (uid >= 0 || gid >= 0) && (uid < 0 || uidNow == uid) && (gid < 0 || gidNow == gid) {
		back := func(set, prev int) int {
			if set < 0 {
				return -1
			}
			return prev
		}
		if err := chown(sys, o.Path, back(uid, o.PrevUID), back(gid, o.PrevGID)); err != nil {
			return err
		}
		// Given back to its earlier owner (root), the file may hold
		// what the user it was given to wrote: no setuid or setgid bit
		// goes back on it, neither hers nor the earlier mode's (reviewer
		// R28: a root setuid program with her content). chown cleared
		// them; they stay cleared.
		mode &^= fs.ModeSetuid | fs.ModeSetgid
	}
	if modeOurs {
		return sys.Chmod(o.Path, mode)
	}
	return nil
}

// MkdirOp creates a folder for managed files.
type MkdirOp struct {
	Path string      `json:"path"`
	Mode fs.FileMode `json:"mode"`
	UID  int         `json:"uid"`
	GID  int         `json:"gid"`
	// Parents: create missing parents too (a home folder under --root,
	// whose /home may not exist); they are not gocfg's to remove.
	Parents bool `json:"parents,omitempty"`
}

// Describe says what the op does.
func (o *MkdirOp) Describe() string { return "mkdir " + o.Path }

// Apply creates the folder.
func (o *MkdirOp) Apply(_ context.Context, sys system.System) error {
	if o.Parents {
		if err := sys.MkdirAll(filepath.Dir(o.Path), 0o755); err != nil {
			return err
		}
	}
	if err := sys.Mkdir(o.Path, o.Mode); err != nil {
		// Another provider's op of this switch may have made it (the
		// files provider's ~/.config and the systemd provider's unit
		// folder): a folder there is what this op wants.
		fi, lerr := sys.Lstat(o.Path)
		if !errors.Is(err, fs.ErrExist) || lerr != nil || !fi.IsDir() {
			return err
		}
	}
	return chown(sys, o.Path, o.UID, o.GID)
}

// Undo removes the folder if it is there and empty.
func (o *MkdirOp) Undo(_ context.Context, sys system.System) error {
	return removeEmptyDir(sys, o.Path)
}

// RmdirOp removes a folder gocfg created, when it is empty; a folder that
// holds other files is left alone.
type RmdirOp struct {
	Path string      `json:"path"`
	Mode fs.FileMode `json:"mode"`
	UID  int         `json:"uid"`
	GID  int         `json:"gid"`
}

// Describe says what the op does.
func (o *RmdirOp) Describe() string { return "rmdir " + o.Path }

// Apply removes the folder if empty.
func (o *RmdirOp) Apply(_ context.Context, sys system.System) error {
	return removeEmptyDir(sys, o.Path)
}

// Undo recreates the folder if it is gone.
func (o *RmdirOp) Undo(_ context.Context, sys system.System) error {
	if fi, err := sys.Lstat(o.Path); err == nil {
		if !fi.IsDir() {
			return fmt.Errorf("%s: cannot recreate the folder: %s is there now", o.Path, kindOf(fi))
		}
		return nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := sys.Mkdir(o.Path, o.Mode); err != nil {
		return err
	}
	return chown(sys, o.Path, o.UID, o.GID)
}

// removeEmptyDir removes the folder p when it is an empty folder; a file
// or a link there now (someone else's: it may have been put there since
// the Lstat) is left, as is a folder with something in it.
func removeEmptyDir(sys system.System, p string) error {
	fi, err := sys.Lstat(p)
	if err != nil || !fi.IsDir() {
		return nil
	}
	err = sys.RemoveDir(p)
	if err == nil || errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTEMPTY) || errors.Is(err, syscall.EEXIST) || errors.Is(err, syscall.ENOTDIR) {
		return nil
	}
	return err
}

func kindOf(fi fs.FileInfo) string {
	switch {
	case fi.Mode()&fs.ModeSymlink != 0:
		return "a symlink"
	case fi.Mode().IsRegular():
		return "a file"
	}
	return "something else"
}

// removeTemps removes the temporary files (system.TempPrefix) that a
// killed write left in the folder dir: regular files or links owned by
// this process's user, which made them. A missing folder has none.
func removeTemps(sys system.System, dir string) error {
	des, err := sys.ReadDir(dir)
	if err != nil {
		return nil // nothing to clean that can be listed
	}
	for _, de := range des {
		if !strings.HasPrefix(de.Name(), system.TempPrefix) || de.IsDir() {
			continue
		}
		p := filepath.Join(dir, de.Name())
		fi, err := sys.Lstat(p)
		if err != nil {
			continue
		}
		if uid, _ := filestat.Owner(fi); uid != os.Geteuid() {
			continue
		}
		if err := sys.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}
