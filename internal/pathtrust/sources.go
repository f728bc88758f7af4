package pathtrust

import (
	"errors"
	"io"
	"io/fs"
	"path/filepath"
	"sync"

	"github.com/gocfg/gocfg/internal/filestat"
	"github.com/gocfg/gocfg/platform/system"
	"golang.org/x/sys/unix"
)

// Sources is the System gocfg (root's, or a user's) reads a configuration's sources
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

// Open checks name, then opens it as base does. In a folder found safe,
// the file is opened first, not following a last link, and checked from
// the descriptor's own fstat (openInSafe).
func (s *Sources) Open(name string) (io.ReadCloser, error) {
	name = filepath.Clean(name)
	if f, done, err := s.openInSafe(name); done {
		return f, err
	}
	if err := s.check("open", name); err != nil {
		return nil, err
	}
	return s.System.Open(name)
}

// openInSafe opens name when its folder was found safe, and checks the
// file it opened: its owner and mode from the descriptor's fstat, and no
// hard link of it in a folder others write in. done is false when it
// cannot tell (a folder not found safe yet, a link last, a System that
// cannot open so): Open then walks the way before it opens.
//
// This is not a race: no one but a trusted user may replace an entry of
// a safe folder, and what is checked is the file open. It is Open's
// common case, a first switch reading 10,000 sources in folders it
// listed: the check costs no system call (an lstat before each open
// made a first switch of 10,000 files 35 ms slower).
func (s *Sources) openInSafe(name string) (f io.ReadCloser, done bool, err error) {
	m, ok := s.r.known.Load(filepath.Dir(name))
	if !ok {
		return nil, false, nil
	}
	dir := m.(fs.FileMode)
	p := s.r.Policy
	p.Leaf = true
	f, err = system.OpenNoFollow(s.System, name)
	switch {
	case errors.Is(err, errors.ErrUnsupported), errors.Is(err, unix.ELOOP):
		return nil, false, nil
	case errors.Is(err, fs.ErrNotExist) && dir&fs.ModeSticky != 0 && dir.Perm()&0o022 != 0:
		// Missing where others could make it: refused, as the walk
		// refuses it (reviewer R6: the answer depended on whether the
		// folder had been listed before).
		return nil, true, &fs.PathError{Op: "open", Path: name, Err: s.r.refuse(name, missingWhy)}
	case err != nil:
		// Missing (or not readable) in a folder no one else may make
		// it in: the read's own error.
		return nil, true, err
	}
	st, ok := f.(interface{ Stat() (fs.FileInfo, error) })
	if !ok {
		f.Close()
		return nil, false, nil
	}
	fi, err := st.Stat()
	if err != nil {
		f.Close()
		return nil, true, err
	}
	why := partExposure(name, fi, p, true)
	if why == "" && linkedInShared(fi, dir) {
		why = sharedLinkWhy
	}
	if why != "" {
		f.Close()
		return nil, true, &fs.PathError{Op: "open", Path: name, Err: s.r.refuse(name, why)}
	}
	return f, true, nil
}

// ReadFile checks name, then reads it as base does (in a folder found
// safe, as Open does).
func (s *Sources) ReadFile(name string) ([]byte, error) {
	name = filepath.Clean(name)
	if f, done, err := s.openInSafe(name); done {
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return io.ReadAll(f)
	}
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
// its own, and a folder found safe so is not looked at again. The
// wrappers are made in one allocation for the folder.
func (s *Sources) entries(dir string, es []fs.DirEntry) []fs.DirEntry {
	ws := make([]checkedEntry, len(es))
	for i, e := range es {
		ws[i] = checkedEntry{DirEntry: e, s: s, dir: dir}
		es[i] = &ws[i]
	}
	return es
}

// A checkedEntry is a folder entry of Sources.
type checkedEntry struct {
	fs.DirEntry
	s   *Sources
	dir string
}

// Info describes the entry as its folder's listing does, or fails when
// another user could change it.
func (e *checkedEntry) Info() (fs.FileInfo, error) {
	fi, err := e.DirEntry.Info()
	if err != nil {
		return fi, err
	}
	path := e.dir + "/" + e.Name()
	p := e.s.r.Policy
	p.Leaf = true
	if why := partExposure(path, fi, p, true); why != "" {
		return nil, &fs.PathError{Op: "stat", Path: path, Err: e.s.r.refuse(path, why)}
	}
	switch {
	case fi.IsDir():
		e.s.r.known.Store(path, fi.Mode())
		e.s.safe.Store(path, struct{}{})
	case fi.Mode().IsRegular() && filestat.Links(fi) > 1:
		// A hard link of someone else's file, in a folder others
		// write in (linkedInShared): the walk, which knows the
		// folder's mode, decides. A regular file is not kept as safe:
		// Open checks it again from what it opens, at no cost.
		if err := e.s.check("stat", path); err != nil {
			return nil, err
		}
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
