package generations

import "errors"

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
