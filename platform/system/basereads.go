package system

import (
	"io"
	"io/fs"
)

// A baseReads passes the reads of a System that changes nothing itself
// (DryRun, ReadOnly) through to base, and Confine, since base's reads
// follow it.
type baseReads struct {
	base System
}

// Lstat describes name without following a final symlink.
func (b baseReads) Lstat(name string) (fs.FileInfo, error) { return b.base.Lstat(name) }

// Stat describes name, following symlinks.
func (b baseReads) Stat(name string) (fs.FileInfo, error) { return b.base.Stat(name) }

// Readlink returns a symlink's target as stored.
func (b baseReads) Readlink(name string) (string, error) { return b.base.Readlink(name) }

// ReadDir lists a folder, sorted by name.
func (b baseReads) ReadDir(name string) ([]fs.DirEntry, error) { return b.base.ReadDir(name) }

// ReadDirTypes lists a folder as ReadDir does, without every entry's Info.
func (b baseReads) ReadDirTypes(name string) ([]fs.DirEntry, error) {
	return b.base.ReadDirTypes(name)
}

// Open opens a file for reading.
func (b baseReads) Open(name string) (io.ReadCloser, error) { return b.base.Open(name) }

// ReadFile reads a whole file.
func (b baseReads) ReadFile(name string) ([]byte, error) { return b.base.ReadFile(name) }

// EvalSymlinks resolves every symlink in name.
func (b baseReads) EvalSymlinks(name string) (string, error) { return b.base.EvalSymlinks(name) }

// Confine confines dir on the base System.
func (b baseReads) Confine(dir string) { b.base.Confine(dir) }
