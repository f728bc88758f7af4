//go:build linux || darwin

package system

import (
	"io"
	"io/fs"
	"os"

	"github.com/gocfg/gocfg/internal/filestat"
	"golang.org/x/sys/unix"
)

var _ FolderOpener = (*Real)(nil)

// An fdFolder is a folder of Real held open by its descriptor (O_PATH on
// Linux): entries are made relative to it with openat, symlinkat and
// fchownat, the new file's content written with write(2) on its own
// descriptor (no *os.File: no poller registration, no fcntl).
type fdFolder struct {
	fd   int
	name string // the host path, for errors
	// confined: the folder is below a confined folder, so a link's owner
	// is given as Lchown gives it there (lchownAt: checked on a
	// descriptor of the link itself).
	confined bool
}

// OpenFolder opens the folder name to make entries in it: below a
// confined folder resolved from its descriptor (resolveBeneath, as every
// operation there), so the folder held is one that was beneath it when it
// was opened, which is what each operation of a confined folder
// guarantees; elsewhere by name, following links as any ordinary path.
func (r *Real) OpenFolder(name string) (Folder, error) {
	if d, rel := r.confined.lookup(name); d != nil {
		root, err := d.open()
		if err != nil {
			return nil, &fs.PathError{Op: "open", Path: name, Err: innerError(err)}
		}
		fd, err := resolveBeneath(root, rel, unix.O_DIRECTORY|unix.O_CLOEXEC|oPathDir)
		if err != nil {
			return nil, &fs.PathError{Op: "open", Path: name, Err: err}
		}
		return &fdFolder{fd: fd, name: name, confined: true}, nil
	}
	fd, err := openatRetry(unix.AT_FDCWD, name, unix.O_DIRECTORY|unix.O_CLOEXEC|oPathDir, 0)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return &fdFolder{fd: fd, name: name}, nil
}

// path returns the host path of the entry base, for errors.
func (f *fdFolder) path(base string) string { return f.name + "/" + base }

// CreateFile creates base (O_EXCL|O_NOFOLLOW), writes r's content, gives
// it mode perm and, when it is not theirs yet, the owner uid and gid, and
// returns its fstat. A partly made file is removed. Below a confined
// folder the file is 0600 until complete, as every confined write makes
// its files; elsewhere it is created with perm, as Real.CreateFile does,
// and perm is set again only when the umask took bits from it.
func (f *fdFolder) CreateFile(base string, r io.Reader, perm fs.FileMode, uid, gid int) (fs.FileInfo, error) {
	if !validBase(base) {
		return nil, &fs.PathError{Op: "create", Path: f.path(base), Err: unix.EINVAL}
	}
	mode := filestat.SyscallMode(perm)
	initial := uint32(perm.Perm())
	if f.confined {
		initial = 0o600
	}
	fd, err := openatRetry(f.fd, base, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, initial)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: f.path(base), Err: err}
	}
	var st unix.Stat_t
	werr := func() error {
		if _, err := io.Copy(fdWriter(fd), r); err != nil {
			return err
		}
		if err := unix.Fstat(fd, &st); err != nil {
			return err
		}
		changed := false
		if uint32(st.Mode)&0o7777 != mode {
			if err := unix.Fchmod(fd, mode); err != nil {
				return err
			}
			changed = true
		}
		if uid != -1 && int(st.Uid) != uid || gid != -1 && int(st.Gid) != gid {
			// The descriptor is the file this call created (O_EXCL): no
			// other file's owner can be changed through it.
			if err := unix.Fchown(fd, uid, gid); err != nil {
				return err
			}
			changed = true
		}
		if !changed {
			return nil
		}
		return unix.Fstat(fd, &st)
	}()
	if cerr := unix.Close(fd); werr == nil {
		werr = cerr
	}
	if werr != nil {
		_ = unix.Unlinkat(f.fd, base, 0)
		return nil, &fs.PathError{Op: "create", Path: f.path(base), Err: innerError(werr)}
	}
	return filestat.NewInfo(base, &st), nil
}

// Symlink creates base as a symlink to target and gives it to uid and gid
// unless both are -1: below a confined folder with lchownAt (what Lchown
// does there), elsewhere with fchownat without following it (os.Lchown).
func (f *fdFolder) Symlink(target, base string, uid, gid int) error {
	if !validBase(base) {
		return &os.LinkError{Op: "symlink", Old: target, New: f.path(base), Err: unix.EINVAL}
	}
	if err := unix.Symlinkat(target, f.fd, base); err != nil {
		return &os.LinkError{Op: "symlink", Old: target, New: f.path(base), Err: err}
	}
	if uid == -1 && gid == -1 {
		return nil
	}
	if f.confined {
		return lchownAt(&place{name: f.path(base), dir: f.fd, base: base}, uid, gid)
	}
	if err := unix.Fchownat(f.fd, base, uid, gid, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		return &fs.PathError{Op: "lchown", Path: f.path(base), Err: err}
	}
	return nil
}

// Close closes the folder's descriptor.
func (f *fdFolder) Close() error { return closeDescriptor(&f.fd, f.name) }
