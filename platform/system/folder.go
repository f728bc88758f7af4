package system

import (
	"errors"
	"io"
	"io/fs"
)

// A Folder is a folder held open to make many new entries in it by name
// (the files and subtree links of a store object being written): each
// entry costs the system calls that make it, relative to the folder's
// descriptor, instead of resolving the folder's path again for each.
// What it makes is exactly what the System's CreateFile, Symlink and
// Lchown make on the folder's path joined with the entry's name, with
// the same confinement below a confined folder.
type Folder interface {
	// CreateFile creates the file base, which must not exist (O_EXCL,
	// never following a link), with the content read from r and mode
	// perm and, unless uid and gid are both -1, that owner, as
	// CreateFile and Lchown do. It returns what the file is then (its
	// signature, for the store's cache), or nil when that cannot be
	// told (a System that records instead of writing). A partly written
	// file is removed.
	CreateFile(base string, r io.Reader, perm fs.FileMode, uid, gid int) (fs.FileInfo, error)
	// Symlink creates base as a symlink to target, stored as given, and
	// gives it to uid and gid unless both are -1, as Symlink and Lchown
	// do.
	Symlink(target, base string, uid, gid int) error
	// Close releases the folder.
	Close() error
}

// A FolderOpener is a System that can hold a folder open (Real, and
// Rooted over one). Use OpenFolder, which falls back to path calls for
// any other System.
type FolderOpener interface {
	// OpenFolder opens the folder name (a machine path) to make entries
	// in it. The error wraps errors.ErrUnsupported when this System
	// cannot (a Rooted over a System that is no FolderOpener).
	OpenFolder(name string) (Folder, error)
}

// OpenFolder opens the folder name of sys to make entries in it: held
// open by its descriptor when sys is a FolderOpener, else (DryRun, a
// test's decorator) a Folder that makes each entry by path with sys's
// own calls.
func OpenFolder(sys System, name string) (Folder, error) {
	if fo, ok := sys.(FolderOpener); ok {
		f, err := fo.OpenFolder(name)
		if !errors.Is(err, errors.ErrUnsupported) {
			return f, err
		}
	}
	return &pathFolder{sys: sys, dir: name}, nil
}

// validBase says whether base names an entry of the folder itself: not
// empty, ".", ".." or a path with a slash.
func validBase(base string) bool {
	if base == "" || base == "." || base == ".." {
		return false
	}
	for i := 0; i < len(base); i++ {
		if base[i] == '/' {
			return false
		}
	}
	return true
}
