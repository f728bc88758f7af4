package pathtrust

import (
	"io"
	"io/fs"
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
	if _, ok := s.safe.Load(name); ok {
		return nil
	}
	if err := s.r.Check(name); err != nil {
		return &fs.PathError{Op: op, Path: name, Err: err}
	}
	s.safe.Store(name, struct{}{})
	return nil
}

// Stat checks name, then describes it as base does.
func (s *Sources) Stat(name string) (fs.FileInfo, error) {
	if err := s.check("stat", name); err != nil {
		return nil, err
	}
	return s.System.Stat(name)
}

// Open checks name, then opens it as base does.
func (s *Sources) Open(name string) (io.ReadCloser, error) {
	if err := s.check("open", name); err != nil {
		return nil, err
	}
	return s.System.Open(name)
}

// ReadFile checks name, then reads it as base does.
func (s *Sources) ReadFile(name string) ([]byte, error) {
	if err := s.check("open", name); err != nil {
		return nil, err
	}
	return s.System.ReadFile(name)
}

// ReadDir checks name, then lists it as base does.
func (s *Sources) ReadDir(name string) ([]fs.DirEntry, error) {
	if err := s.check("readdir", name); err != nil {
		return nil, err
	}
	return s.System.ReadDir(name)
}

// ReadDirTypes checks name, then lists it as base does.
func (s *Sources) ReadDirTypes(name string) ([]fs.DirEntry, error) {
	if err := s.check("readdir", name); err != nil {
		return nil, err
	}
	return s.System.ReadDirTypes(name)
}

// EvalSymlinks checks name, then resolves it as base does.
func (s *Sources) EvalSymlinks(name string) (string, error) {
	if err := s.check("evalsymlinks", name); err != nil {
		return "", err
	}
	return s.System.EvalSymlinks(name)
}
