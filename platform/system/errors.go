package system

import (
	"errors"
	"fmt"
)

// ErrEscapes is wrapped by errors for paths that lead outside the root.
var ErrEscapes = errors.New("leads outside the root")

// ErrHostCommand is wrapped by the error of a command that a Rooted
// refuses: one that would change the host, not the tree (see Rooted.Run).
var ErrHostCommand = errors.New("refused under --root: the command would change this machine, not the tree")

// ErrLocked is wrapped by the error of Lock when another process holds
// the lock.
var ErrLocked = errors.New("locked by another process")

// A LockedError says which process holds a lock.
type LockedError struct {
	Path string
	PID  int // 0 when the holder did not write its pid
}

func (e *LockedError) Error() string {
	if e.PID == 0 {
		return fmt.Sprintf("%s: locked by another gocfg", e.Path)
	}
	return fmt.Sprintf("%s: locked by another gocfg (pid %d)", e.Path, e.PID)
}

// Unwrap lets errors.Is(err, ErrLocked) match.
func (e *LockedError) Unwrap() error { return ErrLocked }

// ErrShared is wrapped by the error of RemoveUnshared when a program has
// the file open for writing: it may still write to it, so it is kept.
var ErrShared = errors.New("a program has it open for writing (it may still write to it); not removing it")
