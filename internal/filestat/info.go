//go:build linux || darwin

package filestat

import (
	"io/fs"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// unix.Stat_t and syscall.Stat_t are both made from the C struct stat by
// cgo -godefs, so one is the other's memory; an Info hands out the
// syscall one, which callers (stat signatures, owners) type-assert, as
// they do on what os.Stat returns.
var _ [unsafe.Sizeof(unix.Stat_t{}) - unsafe.Sizeof(syscall.Stat_t{})]byte
var _ [unsafe.Sizeof(syscall.Stat_t{}) - unsafe.Sizeof(unix.Stat_t{})]byte

// An Info is the fs.FileInfo of a stat made with golang.org/x/sys/unix
// (fstatat below an open folder, stat before an open), as os.Stat or
// os.Lstat would describe it.
type Info struct {
	name string
	st   syscall.Stat_t
}

// NewInfo describes st, the stat of a file whose base name is name.
func NewInfo(name string, st *unix.Stat_t) *Info {
	return &Info{name: name, st: *(*syscall.Stat_t)(unsafe.Pointer(st))}
}

func (s *Info) Name() string { return s.name }
func (s *Info) Size() int64  { return s.st.Size }
func (s *Info) IsDir() bool  { return s.Mode().IsDir() }
func (s *Info) Sys() any     { return &s.st }

// ModTime is the modification time, to the nanosecond.
func (s *Info) ModTime() time.Time {
	mtime, _ := Times(&s.st)
	return time.Unix(0, mtime)
}

// Mode converts the st_mode bits as package os does.
func (s *Info) Mode() fs.FileMode { return FileMode(uint32(s.st.Mode)) }

// FileMode converts st_mode bits (a stat's Mode field) to an
// fs.FileMode, as package os does.
func FileMode(mode uint32) fs.FileMode {
	m := fs.FileMode(mode & 0o777)
	switch mode & syscall.S_IFMT {
	case syscall.S_IFBLK:
		m |= fs.ModeDevice
	case syscall.S_IFCHR:
		m |= fs.ModeDevice | fs.ModeCharDevice
	case syscall.S_IFDIR:
		m |= fs.ModeDir
	case syscall.S_IFIFO:
		m |= fs.ModeNamedPipe
	case syscall.S_IFLNK:
		m |= fs.ModeSymlink
	case syscall.S_IFSOCK:
		m |= fs.ModeSocket
	}
	for _, b := range specialBits {
		if mode&b.bit != 0 {
			m |= b.mode
		}
	}
	return m
}

// SyscallMode turns the permission and special bits of an fs.FileMode
// into those of chmod(2).
func SyscallMode(m fs.FileMode) uint32 {
	o := uint32(m.Perm())
	for _, b := range specialBits {
		if m&b.mode != 0 {
			o |= b.bit
		}
	}
	return o
}

// specialBits pairs the set-user-ID, set-group-ID and sticky bits of
// st_mode with fs.FileMode's.
var specialBits = [...]struct {
	mode fs.FileMode
	bit  uint32
}{
	{fs.ModeSetuid, syscall.S_ISUID},
	{fs.ModeSetgid, syscall.S_ISGID},
	{fs.ModeSticky, syscall.S_ISVTX},
}
