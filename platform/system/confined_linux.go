package system

import (
	"io/fs"

	"sync/atomic"

	"golang.org/x/sys/unix"
)

// Open flags for descriptors used only to name a place: O_PATH needs no
// read permission and opens nothing's content.
const (
	oPathDir = unix.O_PATH
	oPathAny = unix.O_PATH
)

// noOpenat2 is set once openat2(2) answered ENOSYS (a kernel before 5.6,
// or a seccomp filter that does not know it); tests set it to run the
// fallback.
var noOpenat2 atomic.Bool

// resolveBeneath opens rel below dirfd with flags: with openat2 and
// RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS, so links that stay inside are
// followed and any that leads out (absolute, or climbing with ..) is
// refused with ErrOutside; without openat2, one component at a time with
// O_NOFOLLOW (no link followed at all).
func resolveBeneath(dirfd int, rel string, flags int) (int, error) {
	if !noOpenat2.Load() {
		how := unix.OpenHow{Flags: uint64(flags), Resolve: unix.RESOLVE_BENEATH | unix.RESOLVE_NO_MAGICLINKS}
		for tries := 0; ; tries++ {
			fd, err := unix.Openat2(dirfd, rel, &how)
			switch {
			case err == nil:
				return fd, nil
			case err == unix.EINTR, err == unix.EAGAIN && tries < 64:
				continue
			case err == unix.EXDEV:
				return -1, ErrOutside
			case err == unix.ENOSYS:
				noOpenat2.Store(true)
			default:
				return -1, err
			}
			break
		}
	}
	return walkNoFollow(dirfd, rel, flags)
}

// lchownAt changes the owner of the place's last element without
// following it: opened with O_PATH|O_NOFOLLOW (a link is opened as
// itself), checked, and changed on that descriptor (fchownat with
// AT_EMPTY_PATH), so what is checked is what is changed.
func lchownAt(p *place, uid, gid int) error {
	fd, err := openatRetry(p.dir, p.base, unix.O_PATH|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return &fs.PathError{Op: "lchown", Path: p.name, Err: err}
	}
	defer unix.Close(fd)
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return &fs.PathError{Op: "lchown", Path: p.name, Err: err}
	}
	if st.Mode&unix.S_IFMT == unix.S_IFREG && st.Nlink > 1 && (uid != -1 && int(st.Uid) != uid || gid != -1 && int(st.Gid) != gid) {
		return &fs.PathError{Op: "lchown", Path: p.name, Err: ErrHardLinked}
	}
	if err := unix.Fchownat(fd, "", uid, gid, unix.AT_EMPTY_PATH); err != nil {
		return &fs.PathError{Op: "lchown", Path: p.name, Err: err}
	}
	return nil
}
