package system

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// A pathFolder is the Folder of a System that cannot hold a folder open:
// every entry is made by path with the System's own calls.
type pathFolder struct {
	sys System
	dir string
}

// CreateFile creates dir/base with CreateFile, gives it its owner with
// Lchown and describes it with Lstat (nil when Lstat fails: a System that
// records has made nothing).
func (f *pathFolder) CreateFile(base string, r io.Reader, perm fs.FileMode, uid, gid int) (fs.FileInfo, error) {
	p := filepath.Join(f.dir, base)
	if !validBase(base) {
		return nil, &fs.PathError{Op: "create", Path: p, Err: syscall.EINVAL}
	}
	if err := f.sys.CreateFile(p, r, perm); err != nil {
		return nil, err
	}
	if uid != -1 || gid != -1 {
		if err := f.sys.Lchown(p, uid, gid); err != nil {
			return nil, err
		}
	}
	fi, err := f.sys.Lstat(p)
	if err != nil {
		return nil, nil
	}
	return fi, nil
}

// Symlink creates dir/base with Symlink and gives it its owner with
// Lchown.
func (f *pathFolder) Symlink(target, base string, uid, gid int) error {
	p := filepath.Join(f.dir, base)
	if !validBase(base) {
		return &os.LinkError{Op: "symlink", Old: target, New: p, Err: syscall.EINVAL}
	}
	if err := f.sys.Symlink(target, p); err != nil {
		return err
	}
	if uid == -1 && gid == -1 {
		return nil
	}
	return f.sys.Lchown(p, uid, gid)
}

// Close does nothing: nothing is held.
func (*pathFolder) Close() error { return nil }
