package pathtrust

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/gocfg/gocfg/modules/loader"
)

// ErrUntrusted is wrapped by the error of a read Reader refuses.
var ErrUntrusted = errors.New("another user could decide what gocfg applies")

// ErrUnchecked is wrapped by the error of a read Reader refuses because
// a part of its way could not be looked at (an lstat that failed but for
// a missing part); it is an ErrUntrusted too.
var ErrUnchecked error = uncheckedError{}

type uncheckedError struct{}

func (uncheckedError) Error() string        { return "gocfg cannot tell who could change it" }
func (uncheckedError) Is(target error) bool { return target == ErrUntrusted }

// Reader is the loader.Reader of gocfg (root's, or a user's): it refuses to read a
// module, or a file a file() call names, that a user Policy does not
// trust could change (Exposure, with Leaf and Missing: the file, every
// folder and link on its way, and no part missing where others could
// make it), so that the loader reports it at the module or call that
// reads it. Tester AI: root planned and switched a configuration folder
// of hers (mode 0777) without a word, and gocfg doctor called it ok.
//
// The check comes before the read and is not a race: every part of the
// way, links followed, is then a trusted user's, in folders where no one
// else may replace an entry, so the file read is the one checked.
// A refusal is kept (Refused): try(file(p), d) would otherwise take it
// for a missing file, quietly (reviewer R4). Next reads (nil: the
// loader's own reads); folders found safe are not looked at again.
type Reader struct {
	Next   loader.Reader
	Policy Policy

	known   sync.Map // folder → fs.FileMode, found safe
	mu      sync.Mutex
	refused error
}

// ReadFile checks name, then reads it as Next (or loader.ReadFile) does.
func (r *Reader) ReadFile(name string) ([]byte, error) {
	if err := r.Check(name); err != nil {
		return nil, err
	}
	if r.Next != nil {
		return r.Next.ReadFile(name)
	}
	return loader.ReadFile(name)
}

// ReadImported checks name, then reads it as Next (or
// loader.ReadImportedInfo) reads a module an import resolved.
func (r *Reader) ReadImported(name string) ([]byte, error) {
	if err := r.Check(name); err != nil {
		return nil, err
	}
	if ir, ok := r.Next.(interface {
		ReadImported(string) ([]byte, error)
	}); ok {
		return ir.ReadImported(name)
	}
	if r.Next != nil {
		return r.Next.ReadFile(name)
	}
	b, _, err := loader.ReadImportedInfo(name)
	return b, err
}

// Imported tells Next.
func (r *Reader) Imported(dir string, files []string) {
	if r.Next != nil {
		r.Next.Imported(dir, files)
	}
}

// Check returns why name could be changed by an untrusted user (nil: it
// could not, or it does not exist where no one else could make it, which
// the read then reports), and keeps it for Refused.
func (r *Reader) Check(name string) error {
	_, err := r.check(name)
	return err
}

// check is Check; leaf is name's own lstat when it is a regular file
// that the common case looked at (nil otherwise), which is also its
// stat.
func (r *Reader) check(name string) (leaf fs.FileInfo, err error) {
	name, err = filepath.Abs(name)
	if err != nil {
		return nil, err
	}
	p := r.Policy
	p.Leaf, p.Missing = true, true
	// The common case, a regular file in a folder found safe: one
	// lstat, no walk.
	if m, ok := r.known.Load(filepath.Dir(name)); ok {
		if fi, err := os.Lstat(name); err == nil && fi.Mode().IsRegular() {
			if why := partExposure(name, fi, p, true); why != "" {
				return nil, r.refuse(name, why)
			}
			if linkedInShared(fi, m.(fs.FileMode)) {
				return nil, r.refuse(name, sharedLinkWhy)
			}
			return fi, nil
		}
	}
	where, why := walk(OS, name, p, &r.known)
	if where == "" {
		return nil, nil
	}
	return nil, r.refuse(where, why)
}

// refuse keeps and returns the refusal of a read for part where (why).
func (r *Reader) refuse(where, why string) error {
	refused := fmt.Errorf("%s %s, so %w; give it, and each folder on the way, to root or to yourself (run through sudo: to the sudo user) and chmod go-w them", where, why, ErrUntrusted)
	if Unlooked(why) {
		refused = fmt.Errorf("%s %s, so %w, and reads nothing it cannot check; fix what stops it, or move the file to a folder gocfg can look at", where, why, ErrUnchecked)
	} else if fs, ok := Modeless(where); ok {
		refused = fmt.Errorf("%s %s, so %w; it is on a %s file system, whose modes chmod cannot change: copy the configuration to a folder of yours on a Linux file system", where, why, ErrUntrusted, fs)
	}
	r.mu.Lock()
	if r.refused == nil {
		r.refused = refused
	}
	r.mu.Unlock()
	return refused
}

// Refused is the first refusal of a read (nil: none): the caller fails
// the evaluation with it, whatever the configuration made of the error.
func (r *Reader) Refused() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.refused
}
