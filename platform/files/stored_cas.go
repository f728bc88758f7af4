package files

import (
	"errors"
	"fmt"
	"io/fs"
	"strconv"

	"github.com/gocfg/gocfg/platform/system"
)

// AsidePath is where switch to moves the file at p before it replaces or
// removes it, until the switch commits (or an undo moves it back): beside
// it in the same folder, so that the move is a rename (atomic, keeping
// the inode), named as the files provider names its own.
func AsidePath(p string, to int) string {
	return p + ".gocfg-" + strconv.Itoa(to) + "~"
}

// ReadSeen reads the file at p for a plan that may replace it, and
// returns what the plan saw there (for StoredFile.ReplaceOp). The path is
// looked at (Lstat) before its content is read: an edit made between the
// two either shows in the content or makes the path differ from what was
// seen when the switch moves it aside, and is never lost. A missing path
// is an error wrapping fs.ErrNotExist, as from ReadFile.
func ReadSeen(sys system.System, p string) ([]byte, *Seen, error) {
	fi, err := sys.Lstat(p)
	if err != nil {
		return nil, nil, err
	}
	seen := seenInfo(fi)
	if seen.Kind == "link" {
		t, err := sys.Readlink(p)
		if err != nil {
			return nil, nil, err
		}
		seen = &Seen{Kind: "link", Target: t}
	}
	data, err := sys.ReadFile(p)
	if err != nil {
		return nil, seen, err // seen: what is there, though unread
	}
	return data, seen, nil
}

// ReadManaged is ReadSeen for a provider's own managed file (a unit
// file, a plist): there reports whether p exists, and an error other
// than its absence names p. A path handed over to the provider in this
// plan (platform/handover.go) is not read (the caller's handed): what is
// there goes earlier in the plan, and may be gocfg's link to the store,
// which a home's confinement does not follow.
//
// A link at p that leads out of a confined home (the user's own, made by
// stow, say) is there, and its content is not read (§7): live is nil,
// which no unit file or plist is, so the caller's decision is that a file
// is in the way, as for any file of hers, and not a held home.
func ReadManaged(sys system.System, p string, handed bool) (live []byte, seen *Seen, there bool, err error) {
	if handed {
		return nil, nil, false, nil
	}
	live, seen, err = ReadSeen(sys, p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil, false, nil
	case seen != nil && seen.Kind == "link" && errors.Is(err, system.ErrOutside):
		return nil, seen, true, nil
	case err != nil && !isPathError(err, p):
		return nil, nil, false, fmt.Errorf("%s: %w", p, err)
	case err != nil:
		return nil, nil, false, err
	}
	return live, seen, true, nil
}

// isPathError reports whether err already names the path p (an
// *fs.PathError of p), so that wrapping it with p would say p twice.
func isPathError(err error, p string) bool {
	var pe *fs.PathError
	return errors.As(err, &pe) && pe.Path == p
}
