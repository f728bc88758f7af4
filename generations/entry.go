package generations

import "io"

// An Entry is one file of the new generation's files tree.
type Entry struct {
	// Root is the files root the file belongs to: "etc" or "home/<user>".
	Root string
	// Rel is the file's slash path under Root, such as
	// ".config/app_1/sub_2/file_3".
	Rel string
	// Hash is the sha256 of the content, in lowercase hex, computed by the
	// caller. Content copied from Open is checked against it.
	Hash string
	// Exec stores the file with mode 0555 instead of 0444.
	Exec bool
	// Have is optionally the machine path of an existing store file with
	// this content and mode (in the previous generation, say): it is hard
	// linked instead of copied. Write falls back to Open when Have's mode
	// or owner differs from what the new file needs, or linking fails.
	// Its content is trusted, not read.
	Have string
	// Open returns the content, when it must be copied.
	Open func() (io.ReadCloser, error)
	// Unverified: Open reads a path that another account may change (a
	// file in a home, kept as the original of a managed file), so what
	// it gives may not be the content Hash names, and may be a file
	// that account could not read. The copy is made readable by the
	// area's owner only (0400) until its hash is checked, then given its
	// mode: a mismatch is never readable by the area's reader, even
	// while it is being written (reviewer R6).
	Unverified bool
	// Resource is the ID of the resource the content is kept for
	// (platform's "file:~alice/.bashrc"), set with Unverified (every
	// original the files provider takes from the machine): a failure to
	// read or check it is a *ContentError naming it, so that the switch
	// can go on without a home whose account changed it (DESIGN.md §7;
	// platform.HomeOf) instead of failing whole.
	Resource string
}

// A ContentError is the failure of an Entry's content (its Open, its
// read, or a hash that is not the entry's) for an entry with a Resource.
type ContentError struct {
	Resource string
	Err      error
}

func (e *ContentError) Error() string { return e.Err.Error() }
func (e *ContentError) Unwrap() error { return e.Err }

// contentError is err, a failure of e's content, as a *ContentError
// when e names its Resource.
func (e *Entry) contentError(err error) error {
	if e.Resource == "" {
		return err
	}
	return &ContentError{Resource: e.Resource, Err: err}
}
