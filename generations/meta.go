package generations

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"time"

	json "github.com/goccy/go-json"
)

// A Meta describes a generation: when and from what it was made. It is
// stored as meta.json in the generation's folder.
type Meta struct {
	// Number is the generation's number, 1 and up.
	Number int `json:"number"`
	// Time is when the generation was made.
	Time time.Time `json:"time"`
	// Version is the version of gocfg that made it.
	Version string `json:"version"`
	// Host is the host whose configuration it is.
	Host string `json:"host"`
	// Source is the dotfiles folder it was made from.
	Source string `json:"source"`
	// Commit is the git commit of Source, when Source is a git work tree.
	Commit string `json:"commit,omitempty"`
	// Dirty says Source had uncommitted changes.
	Dirty bool `json:"dirty,omitempty"`
	// Summary counts the changes the switch to it made.
	Summary Summary `json:"summary"`
	// Command is the command that made it: "switch", "deploy" or
	// "rollback".
	Command string `json:"command,omitempty"`
	// RollbackOf is, for a generation a rollback made (Command
	// "rollback": the generation it returned to could not be made current
	// again as it was recorded), that generation's number; its
	// configuration and files are this one's.
	RollbackOf int `json:"rollback_of,omitempty"`
	// Held are the users whose homes the command that made it left as
	// they were (a conflict there: their files, secrets or units kept
	// their records from the generation before; exit status 3), sorted.
	// Tester BE: a partial rollback was listed as generation N's commit
	// alone.
	Held []string `json:"held,omitempty"`
	// OS is the platform it was made for ("linux", "darwin"): under
	// --root, the tree's own, which a later command without --os takes
	// (a Mac's tree rolled back as a Linux one put back none of its
	// preferences). Empty in generations of older versions.
	OS string `json:"os,omitempty"`
}

// Meta returns what meta.json of generation n says. A meta.json that is
// empty, truncated, not JSON, or does not describe generation n (its
// number differs, it has no time) is a *DamagedError naming the file.
//
// So is a missing resources.json, or one that is not a file: what a
// rollback to the generation reads (tester BI #10: a generation half
// removed by an interrupted delete of an older gocfg, or by hand, was
// listed as any other, and rollback --to it said there was no such
// generation). Only whether it is there is checked, not what it says.
func (s *Store) Meta(n int) (Meta, error) {
	p := filepath.Join(s.Path(n), "meta.json")
	data, err := s.sys.ReadFile(p)
	if err != nil {
		return Meta{}, err
	}
	var m Meta
	if err := DecodeRecord(p, data, json.Unmarshal, &m); err != nil {
		return Meta{}, err
	}
	if m.Number != n {
		return Meta{}, &DamagedError{Path: p, Err: fmt.Errorf("it says generation %d, not %d", m.Number, n)}
	}
	if m.Time.IsZero() {
		return Meta{}, &DamagedError{Path: p, Err: errors.New("it has no time")}
	}
	if err := s.hasResources(n); err != nil {
		return Meta{}, err
	}
	return m, nil
}

// hasResources checks that generation n has a resources.json file: a
// *DamagedError naming it when it is missing or not a file.
func (s *Store) hasResources(n int) error {
	p := filepath.Join(s.Path(n), "resources.json")
	fi, err := s.sys.Lstat(p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return &DamagedError{Path: p, Err: errors.New("the file is missing")}
	case err != nil:
		return err
	case !fi.Mode().IsRegular():
		return &DamagedError{Path: p, Err: fmt.Errorf("it is %s, not a file", describeMode(fi.Mode()))}
	}
	return nil
}
