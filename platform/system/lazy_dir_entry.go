//go:build linux

package system

import (
	"io/fs"
	"os"
)

// A lazyDirEntry is a listed entry whose Info could not be taken when it
// was listed (removed meanwhile): as os.ReadDir's entries, it has the
// type the listing said and asks the path for its Info when wanted.
type lazyDirEntry struct {
	name string
	typ  fs.FileMode
	path string
}

func (e *lazyDirEntry) Name() string               { return e.name }
func (e *lazyDirEntry) IsDir() bool                { return e.typ.IsDir() }
func (e *lazyDirEntry) Type() fs.FileMode          { return e.typ }
func (e *lazyDirEntry) Info() (fs.FileInfo, error) { return os.Lstat(e.path) }
