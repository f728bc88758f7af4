package files

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/system"
)

// swap replaces what is at path in one step, so that a program opening
// path at any moment finds the old file or the new one, never nothing
// (Aside.move renames the old one away first, and the path is missing
// until the new one is linked in; a kill there left it missing until
// the next command's recovery). create makes the new file or link, its
// mode and owner set, at the aside name; system.Exchange swaps the two
// names; what the aside name then holds is what was at the path at that
// instant, and it is checked against Seen there, as move checks what it
// moved: an edit made until the swap is seen. When it differs, the names
// are swapped back and what create made is deleted (drop, which
// removes it only while it is still what create made), and the op refuses as move
// does (ErrUnchanged), the edit kept at the path.
//
// done is false when swap did nothing and the caller moves aside and
// writes as before: no Aside or no Seen (an older journal, a path a
// package may make, after.go), nothing at the path (move says what that
// means), or a file system that cannot swap (errors.ErrUnsupported).
//
// Every state between two system calls undoes (madeAside, untouched):
// before the swap, and after a swap back, the path holds what was there
// and the aside name gocfg's new file; after the swap it is what move
// and a write leave, and Commit and Undo are those of the move.
func (a *Aside) swap(sys system.System, path string, create, drop func(at string) error) (done bool, err error) {
	if a == nil || a.Seen == nil {
		return false, nil
	}
	if _, err := sys.Lstat(path); err != nil {
		return false, nil
	}
	if _, err := sys.Lstat(a.Path); err == nil {
		return true, errAsideTaken(a.Path)
	}
	if err := create(a.Path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return true, errAsideTaken(a.Path)
		}
		_ = drop(a.Path) // a chown that failed: nothing is left
		// Named by the path it was for: the new content is written at
		// the aside (the backup's) name first (tester BB: a full disk
		// named the backup alone, which looked damaged and was not).
		return true, fmt.Errorf("%s: its new content is written beside it first, as %s, to be swapped in; %s is as it was: %w", path, a.Path, path, err)
	}
	if err := sys.Exchange(a.Path, path); err != nil {
		if derr := drop(a.Path); derr != nil && !errors.Is(derr, fs.ErrNotExist) {
			return true, fmt.Errorf("%w (and %s is left: %w)", err, a.Path, derr)
		}
		if errors.Is(err, errors.ErrUnsupported) || errors.Is(err, fs.ErrNotExist) {
			return false, nil
		}
		return true, err
	}
	why := a.Seen.differs(sys, a.Path)
	if why == "" {
		return true, nil
	}
	if err := sys.Exchange(a.Path, path); err != nil {
		return true, fmt.Errorf("%w; what was there is kept as %s (swapping it back: %w)", errChanged(path, why), a.Path, err)
	}
	switch err := drop(a.Path); {
	case err == nil, errors.Is(err, fs.ErrNotExist):
		return true, fmt.Errorf("%w: %w", errChanged(path, why), platform.ErrUnchanged)
	case errors.Is(err, errNotManaged):
		// Not gocfg's: what was saved at the path after the swap, which
		// the swap back moved aside.
		return true, fmt.Errorf("%w; what was saved there since is kept as %s", errChanged(path, why), a.Path)
	default:
		// gocfg's, but a program opened it for writing meanwhile: the
		// undo deletes it once that program is done (madeAside).
		return true, fmt.Errorf("%w; gocfg's new file stays as %s: %w", errChanged(path, why), a.Path, err)
	}
}

// errAsideTaken is the error of an op whose aside name something holds.
func errAsideTaken(p string) error {
	return fmt.Errorf("%s: already exists; not overwriting it: %w", p, platform.ErrUnchanged)
}

// madeAside reports whether the aside name holds what swap made there
// (ours): swap was stopped after create and before the swap, or after
// it swapped back, or the swap failed and so did removing it (a folder
// on the way swapped for a link meanwhile: the e2e privilege races left
// it in mallory's home, where it held her next switches). What the
// plan saw, moved there by the swap (the same inode, or for a link the
// same target), is not ours, even with the same content: that is the
// state after the swap, which the undo of a move handles. Whatever is
// at path now, gocfg's new file at the aside name is no one's but
// gocfg's.
func (a *Aside) madeAside(sys system.System, ours func(at string) bool) bool {
	if a == nil || a.Seen == nil {
		return false
	}
	return a.Seen.isOther(sys, a.Path) && ours(a.Path)
}

// untouched reports whether the op that would have replaced what the
// plan saw at its path changed nothing: the aside name is free, or held
// by something that is neither what the plan saw nor the op's own new
// file (ours), so that Apply refused (errAsideTaken; reviewer R26: her
// file at the backup's name, then the new content written by her at the
// path, which the undo deleted). Apply takes that name before it touches
// path (swap writes the new file there first, move renames path to it),
// and only Commit, after the flip, frees it again, or the user in whose
// home it is. So path holds what the plan saw, or what a user made of it
// since, and the undo has nothing to do. Without it a copy adopted for
// its content (the same content as the new one) was taken for gocfg's
// own and deleted by an undo of an op that never ran; so was her
// authorized_keys, written in place with the new key after a switch was
// killed before this op (tester BD).
func (a *Aside) untouched(sys system.System, ours func(at string) bool) bool {
	if a == nil || a.Seen == nil {
		return false
	}
	if _, err := sys.Lstat(a.Path); errors.Is(err, fs.ErrNotExist) {
		return true
	}
	return a.Seen.isOther(sys, a.Path) && !ours(a.Path)
}

// ambiguous is the undo's word for an untouched op whose path holds the
// op's own content while the aside name holds something else than what
// the plan saw: Apply refused (the name taken) and she made the same
// content herself, or the op ran and she replaced what it moved aside
// (reviewer R28). The two cannot be told apart: both stay, and the undo
// says so (platform.ErrKept). Nil in every other case.
func (a *Aside) ambiguous(sys system.System, path string, ours func(at string) bool) error {
	if _, err := sys.Lstat(a.Path); err != nil || !ours(path) {
		return nil
	}
	return fmt.Errorf("%s: holds gocfg's new content, and %s something else than what was there before the switch; gocfg cannot tell whether it wrote the one, and keeps both as they are: %w", path, a.Path, platform.ErrKept)
}

// isOther reports whether p holds another entry than the one s saw:
// another kind, inode, or link target (not the same file written to).
// A missing p is not.
func (s *Seen) isOther(sys system.System, p string) bool {
	fi, err := sys.Lstat(p)
	if err != nil {
		return false
	}
	now := seenInfo(fi)
	switch {
	case now.Kind != s.Kind:
		return true
	case s.Kind == "link":
		t, err := sys.Readlink(p)
		return err == nil && t != s.Target
	}
	return now.Ino != s.Ino
}
