package generations

import (
	"errors"
	"fmt"
)

// ErrCurrent is wrapped by the error of Store.Delete for the current
// generation, which is never deleted.
var ErrCurrent = errors.New("is the current generation")

// A DamagedError is a record file of the state folder that cannot be
// what gocfg wrote: empty, truncated, not JSON, or not the shape gocfg
// writes (a generation's meta.json or resources.json, the journal of a
// switch). Nothing is read from such a file: gocfg never takes a damaged
// record for an empty one.
type DamagedError struct {
	Path string // the file, a machine path
	Err  error  // what is wrong with it
}

func (e *DamagedError) Error() string { return e.Path + ": damaged: " + e.Err.Error() }

func (e *DamagedError) Unwrap() error { return e.Err }

// Damaged returns a *DamagedError for the file path, or err itself when
// it is one already or is nil.
func Damaged(path string, err error) error {
	var de *DamagedError
	if err == nil || errors.As(err, &de) {
		return err
	}
	return &DamagedError{Path: path, Err: err}
}

// A LostCurrentError is the current link missing from a state folder
// that holds generations (Store.Current).
type LostCurrentError struct {
	Path          string // the link
	First, Newest int    // the oldest and the newest generation there
}

func (e *LostCurrentError) Error() string {
	return fmt.Sprintf("%s is missing, but generations %d to %d are there: gocfg cannot tell which of them is on this machine", e.Path, e.First, e.Newest)
}

// Hint says how to put the link back, when the newest generation is the
// one on the machine.
func (e *LostCurrentError) Hint() string {
	return fmt.Sprintf("if it is generation %d, the last one switched to, put the link back with: ln -sfn generations/%d %s", e.Newest, e.Newest, e.Path)
}
