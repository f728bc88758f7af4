package pathtrust

import (
	"io"
	"io/fs"
	"path/filepath"
	"sync"

	"github.com/gocfg/gocfg/platform/system"
)

// Sources is the System root's gocfg reads a configuration's sources
// through (the files `source =` names, for environment.etc, home files
// and secrets): each read of a file or folder (Stat, Open, ReadFile,
// ReadDir, ReadDirTypes, EvalSymlinks) is refused, as the Reader refuses
// a module, when another user could change the path (tester AJ: a
// sudoers snippet of root's configuration, in a folder of mode 0777, was
// replaced by hers and installed in /etc). Lstat and Readlink, which
// read no content, pass. A path found safe is not looked at again: no
// one but a trusted user can change it for the rest of the command.
type Sources struct {
	system.System
	r    Reader
	safe sync.Map // path → struct{}
}

// NewSources returns base with its reads checked under p (Leaf and
// Missing are set).
func NewSources(base system.System, p Policy) *Sources {
	return &Sources{System: base, r: Reader{Policy: p}}
}

func (s *Sources) check(op, name string) error {
	_, err := s.checkInfo(op, name)
	return err
}

// checkInfo is check; fi, when not nil, is name's stat, taken by the
// check (a regular file's lstat is its stat).
func (s *Sources) checkInfo(op, name string) (fi fs.FileInfo, err error) {
	// name is clean (each method cleans it for the read too): the check
	// and the read see one path (reviewer R5: /a/link/../x was checked
	// as /a/x and read as the link's target/../x).
	if _, ok := s.safe.Load(name); ok {
		return nil, nil
	}
	fi, err = s.r.check(name)
	if err != nil {
		return nil, &fs.PathError{Op: op, Path: name, Err: err}
	}
	s.safe.Store(name, struct{}{})
	return fi, nil
}

// Stat checks name, then describes it as base does (or as the check's
// own lstat did, for a regular file: one system call, not two).
func (s *Sources) Stat(name string) (fs.FileInfo, error) {
	name = filepath.Clean(name)
	fi, err := s.checkInfo("stat", name)
	if err != nil {
		return nil, err
	}
	if fi != nil {
		return fi, nil
	}
	return s.System.Stat(name)
}

// Open checks name, then opens it as base does.
func (s *Sources) Open(name string) (io.ReadCloser, error) {
	name = filepath.Clean(name)
	if err := s.check("open", name); err != nil {
		return nil, err
	}
	return s.System.Open(name)
}

// ReadFile checks name, then reads it as base does.
func (s *Sources) ReadFile(name string) ([]byte, error) {
	name = filepath.Clean(name)
	if err := s.check("open", name); err != nil {
		return nil, err
	}
	return s.System.ReadFile(name)
}

// ReadDir checks name, then lists it as base does; each entry's Info is
// checked (entries).
func (s *Sources) ReadDir(name string) ([]fs.DirEntry, error) {
	name = filepath.Clean(name)
	if err := s.check("readdir", name); err != nil {
		return nil, err
	}
	es, err := s.System.ReadDir(name)
	return s.entries(name, es), err
}

// ReadDirTypes checks name, then lists it as base does; each entry's
// Info is checked (entries).
func (s *Sources) ReadDirTypes(name string) ([]fs.DirEntry, error) {
	name = filepath.Clean(name)
	if err := s.check("readdir", name); err != nil {
		return nil, err
	}
	es, err := s.System.ReadDirTypes(name)
	return s.entries(name, es), err
}

// entries wraps the entries of the folder dir so that their Info, the
// lstat a caller takes of them instead of a Stat, is checked too: a file
// of hers in a folder of root's is found there, with no system call of
// its own, and a folder found safe so is not looked at again.
func (s *Sources) entries(dir string, es []fs.DirEntry) []fs.DirEntry {
	for i, e := range es {
		es[i] = &checkedEntry{DirEntry: e, s: s, path: dir + "/" + e.Name()}
	}
	return es
}

// A checkedEntry is a folder entry of Sources.
type checkedEntry struct {
	fs.DirEntry
	s    *Sources
	path string
}

// Info describes the entry as its folder's listing does, or fails when
// another user could change it.
func (e *checkedEntry) Info() (fs.FileInfo, error) {
	fi, err := e.DirEntry.Info()
	if err != nil {
		return fi, err
	}
	p := e.s.r.Policy
	p.Leaf = true
	if why := partExposure(e.path, fi, p, true); why != "" {
		return nil, &fs.PathError{Op: "stat", Path: e.path, Err: e.s.r.refuse(e.path, why)}
	}
	switch {
	case fi.IsDir():
		e.s.r.known.Store(e.path, fi.Mode())
		e.s.safe.Store(e.path, struct{}{})
	case fi.Mode().IsRegular():
		e.s.safe.Store(e.path, struct{}{})
	}
	return fi, nil
}

// EvalSymlinks checks name, then resolves it as base does.
func (s *Sources) EvalSymlinks(name string) (string, error) {
	name = filepath.Clean(name)
	if err := s.check("evalsymlinks", name); err != nil {
		return "", err
	}
	return s.System.EvalSymlinks(name)
}
