package system

import (
	"errors"
	"io"
	"io/fs"
)

var _ FolderOpener = (*Rooted)(nil)

// OpenFolder opens the relocated folder name on the base System, when
// that can hold a folder open; else the error wraps
// errors.ErrUnsupported (OpenFolder then makes entries by path). The
// errors of the Folder name machine paths.
func (r *Rooted) OpenFolder(name string) (Folder, error) {
	h, err := r.host("open", name)
	if err != nil {
		return nil, err
	}
	fo, ok := r.base.(FolderOpener)
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: errors.ErrUnsupported}
	}
	f, err := fo.OpenFolder(h)
	if err != nil {
		return nil, r.fix(err, false)
	}
	return &rootedFolder{f: f, r: r}, nil
}

// A rootedFolder is a Folder opened through a Rooted.
type rootedFolder struct {
	f Folder
	r *Rooted
}

func (f *rootedFolder) CreateFile(base string, rd io.Reader, perm fs.FileMode, uid, gid int) (fs.FileInfo, error) {
	fi, err := f.f.CreateFile(base, rd, perm, uid, gid)
	return fi, f.r.fix(err, false)
}

func (f *rootedFolder) Symlink(target, base string, uid, gid int) error {
	return f.r.fix(f.f.Symlink(target, base, uid, gid), true)
}

func (f *rootedFolder) Close() error { return f.r.fix(f.f.Close(), false) }
