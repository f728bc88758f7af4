package providertest

import (
	"errors"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/system"
)

// EditingSys is the machine with a user who edits Path (Edit) just
// before gocfg first renames, swaps (Exchange) or removes it: after any
// check gocfg made of it in place. Done tells that the edit was made.
type EditingSys struct {
	system.System
	Path string
	Edit func()
	Done bool
}

func (s *EditingSys) touch(p string) {
	if p == s.Path && !s.Done {
		s.Done = true
		s.Edit()
	}
}

// Rename edits oldpath first when it is Path.
func (s *EditingSys) Rename(oldpath, newpath string) error {
	s.touch(oldpath)
	return s.System.Rename(oldpath, newpath)
}

// Exchange edits a or b first when it is Path.
func (s *EditingSys) Exchange(a, b string) error {
	s.touch(a)
	s.touch(b)
	return s.System.Exchange(a, b)
}

// Remove edits name first when it is Path.
func (s *EditingSys) Remove(name string) error {
	s.touch(name)
	return s.System.Remove(name)
}

// WantChangedSincePlan stops the test unless err is the switch's refusal
// of a file (what) changed since the plan was made: an
// *platform.ApplyError wrapping platform.ErrUnchanged. The switch must
// have been undone without errors.
func WantChangedSincePlan(t testing.TB, err error, what string) {
	t.Helper()
	var ae *platform.ApplyError
	if !errors.As(err, &ae) || !errors.Is(err, platform.ErrUnchanged) || !strings.Contains(err.Error(), "changed since the plan was made") {
		t.Fatalf("switch: %v, want an *platform.ApplyError saying the %s changed since the plan", err, what)
	}
	t.Logf("the error:\n%v", err)
	if len(ae.UndoErrs) > 0 {
		t.Errorf("undo errors: %v", ae.UndoErrs)
	}
}
