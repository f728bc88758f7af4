package system

import (
	"io/fs"

	"golang.org/x/sys/unix"
)

// macOS has no O_PATH: folders used as places are opened for reading
// (root may read them all).
const (
	oPathDir = unix.O_RDONLY
	oPathAny = unix.O_RDONLY | unix.O_NONBLOCK
)

// resolveBeneath opens rel below dirfd one component at a time with
// O_NOFOLLOW: macOS has no openat2, so no link on the way is followed.
func resolveBeneath(dirfd int, rel string, flags int) (int, error) {
	return walkNoFollow(dirfd, rel, flags)
}

// lchownAt changes the owner of the place's last element without
// following it. macOS cannot change an owner through a descriptor of a
// link, so the check (fstatat) and the change (fchownat) are two calls;
// a file swapped between them is still never followed.
func lchownAt(p *place, uid, gid int) error {
	var st unix.Stat_t
	if err := unix.Fstatat(p.dir, p.base, &st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		return &fs.PathError{Op: "lchown", Path: p.name, Err: err}
	}
	if st.Mode&unix.S_IFMT == unix.S_IFREG && st.Nlink > 1 && (uid != -1 && int(st.Uid) != uid || gid != -1 && int(st.Gid) != gid) {
		return &fs.PathError{Op: "lchown", Path: p.name, Err: ErrHardLinked}
	}
	if err := unix.Fchownat(p.dir, p.base, uid, gid, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		return &fs.PathError{Op: "lchown", Path: p.name, Err: err}
	}
	return nil
}
