package pathtrust

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/gocfg/gocfg/modules/loader"
)

// ErrUntrusted is wrapped by the error of a read Reader refuses.
var ErrUntrusted = errors.New("another user could decide what root's gocfg applies")

// Reader is the loader.Reader of root's gocfg: it refuses to read a
// module, or a file a file() call names, that a user Trusted does not
// approve of could change (Exposure, the file and its way), so that the
// loader reports it at the module or call that reads it. Tester AI: root
// planned and switched a configuration folder of hers (mode 0777)
// without a word, and gocfg doctor called it ok. The check comes before
// the read and is not a race: the way and the file are then root's (or
// the sudo user's) and no one else's to change. Next reads (nil: the
// loader's own reads); each folder's way is checked once.
type Reader struct {
	Next    loader.Reader
	Trusted func(uid int) bool

	mu   sync.Mutex
	dirs map[string]error
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
// could not, or it does not exist, which the read then reports).
func (r *Reader) Check(name string) error {
	name, err := filepath.Abs(name)
	if err != nil {
		return err
	}
	dir := filepath.Dir(name)
	r.mu.Lock()
	dirErr, seen := r.dirs[dir]
	r.mu.Unlock()
	if !seen {
		if where, why := Exposure(os.Lstat, dir, r.Trusted, true); where != "" {
			dirErr = untrusted(where, why)
		}
		r.mu.Lock()
		if r.dirs == nil {
			r.dirs = map[string]error{}
		}
		r.dirs[dir] = dirErr
		r.mu.Unlock()
	}
	if dirErr != nil {
		return dirErr
	}
	fi, err := os.Lstat(name)
	if err != nil {
		return nil
	}
	if why := partExposure(fi, r.Trusted, true); why != "" {
		return untrusted(name, why)
	}
	if !fi.Mode().IsRegular() {
		// A link: its owner is checked; where it leads, from "/" down.
		if where, why := Exposure(os.Lstat, name, r.Trusted, true); where != "" {
			return untrusted(where, why)
		}
	}
	return nil
}

func untrusted(where, why string) error {
	return fmt.Errorf("%s %s, so %w; give it, and each folder on the way, to root (or to the user who runs gocfg through sudo) and chmod go-w them", where, why, ErrUntrusted)
}
