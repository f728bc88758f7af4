//go:build linux || darwin

package system

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/gocfg/gocfg/internal/filestat"
	"golang.org/x/sys/unix"
)

// ErrOutside is wrapped by the error of an operation below a confined
// folder whose path leads out of it (a symlinked folder on the way that
// points outside, or an absolute link).
var ErrOutside = errors.New("a folder on the way leads outside the confined folder")

// TempPrefix starts the names of the temporary files a confined write
// makes beside its target; recovery removes leftovers (see
// RemoveTemps).
const TempPrefix = ".gocfg-tmp-"

// A confinedDir is a folder registered with Confine, opened lazily.
//
// Every confined operation starts from the folder's descriptor, from many
// goroutines at once (the files provider reads thousands of links in
// parallel), so the descriptor is read without a lock: fd holds it once
// opened, and mu serialises only opening it again. A descriptor replaced
// because its folder was deleted is kept open in retired, never closed:
// a goroutine that loaded it just before must not find its number reused
// by an unrelated file or folder (one outside the confined folder, say).
//
// A folder that does not exist yet (a home the switch is about to make)
// is not walked from / again for each of the thousands of paths a plan
// looks at below it: while absent is set, one lstat of the path that
// still finds nothing there answers ENOENT, as the walk would. Anything
// found there (a folder, a link, a file on the way) means the walk again,
// so what it refuses stays refused; the lstat only ever answers "not
// there", and nothing is opened or changed through it.
type confinedDir struct {
	path    string
	fd      atomic.Int64 // the open folder, or -1 until opened
	absent  atomic.Bool  // the last walk found nothing at path (ENOENT)
	mu      sync.Mutex   // held while opening
	retired []int        // descriptors of deleted folders, kept open
	held    heldFolder   // the folder the last link was made in
}

func newConfinedDir(path string) *confinedDir {
	d := &confinedDir{path: path}
	d.fd.Store(-1)
	return d
}

// open returns the folder's descriptor, opening it (again when the folder
// it had was deleted meanwhile).
func (d *confinedDir) open() (int, error) {
	if fd := int(d.fd.Load()); fd >= 0 && linked(fd) {
		return fd, nil
	}
	if d.absent.Load() && stillAbsent(d.path) {
		return -1, &fs.PathError{Op: "open", Path: d.path, Err: unix.ENOENT}
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	fd := int(d.fd.Load())
	if fd >= 0 {
		if linked(fd) { // another goroutine opened it meanwhile
			return fd, nil
		}
		d.retired = append(d.retired, fd)
		d.fd.Store(-1)
	}
	fd, err := openTrusted(d.path)
	d.absent.Store(errors.Is(err, unix.ENOENT))
	if err != nil {
		return -1, err
	}
	d.fd.Store(int64(fd))
	return fd, nil
}

// stillAbsent says whether nothing is at path (lstat fails with ENOENT).
func stillAbsent(path string) bool {
	var st unix.Stat_t
	return unix.Lstat(path, &st) == unix.ENOENT
}

// linked says whether the folder open as fd is still linked somewhere
// (not deleted).
func linked(fd int) bool {
	var st unix.Stat_t
	return unix.Fstat(fd, &st) == nil && st.Nlink > 0
}

// openTrusted opens the folder path by walking it from / with O_NOFOLLOW
// on every component. A link on the way is followed only when root owns
// it (/home -> /usr/home, made by the administrator); a link owned by
// anyone else (a user who renamed their home in a sticky /tmp and put a
// link in its place) is refused with ErrOutside.
func openTrusted(path string) (int, error) {
	fd, err := unix.Open("/", unix.O_DIRECTORY|unix.O_CLOEXEC|oPathDir, 0)
	if err != nil {
		return -1, &fs.PathError{Op: "open", Path: "/", Err: err}
	}
	rest := strings.Split(strings.Trim(path, "/"), "/")
	for hops := 0; len(rest) > 0; {
		c := rest[0]
		rest = rest[1:]
		if c == "" || c == "." {
			continue
		}
		nfd, err := openatRetry(fd, c, unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC|oPathDir, 0)
		if err == unix.ELOOP || err == unix.ENOTDIR {
			var st unix.Stat_t
			if serr := unix.Fstatat(fd, c, &st, unix.AT_SYMLINK_NOFOLLOW); serr == nil && st.Mode&unix.S_IFMT == unix.S_IFLNK {
				if st.Uid != 0 {
					_ = unix.Close(fd)
					return -1, &fs.PathError{Op: "open", Path: path, Err: fmt.Errorf("%w: %s is a link owned by uid %d, not root", ErrOutside, c, st.Uid)}
				}
				if hops++; hops > 40 {
					_ = unix.Close(fd)
					return -1, &fs.PathError{Op: "open", Path: path, Err: unix.ELOOP}
				}
				buf := make([]byte, 4096)
				n, rerr := unix.Readlinkat(fd, c, buf)
				if rerr != nil {
					_ = unix.Close(fd)
					return -1, &fs.PathError{Op: "open", Path: path, Err: rerr}
				}
				target := string(buf[:n])
				rest = append(strings.Split(target, "/"), rest...)
				if strings.HasPrefix(target, "/") {
					_ = unix.Close(fd)
					if fd, err = unix.Open("/", unix.O_DIRECTORY|unix.O_CLOEXEC|oPathDir, 0); err != nil {
						return -1, &fs.PathError{Op: "open", Path: "/", Err: err}
					}
				}
				continue
			}
		}
		_ = unix.Close(fd)
		if err != nil {
			return -1, &fs.PathError{Op: "open", Path: path, Err: err}
		}
		fd = nfd
	}
	return fd, nil
}

func openatRetry(dirfd int, name string, flags int, perm uint32) (int, error) {
	for {
		fd, err := unix.Openat(dirfd, name, flags, perm)
		if err != unix.EINTR {
			return fd, err
		}
	}
}

// A place is a path below a confined folder, resolved to its parent
// folder's descriptor and its last element.
type place struct {
	name string // the host path, for errors
	dir  int    // the parent folder (AT_FDCWD when base is absolute)
	base string
	own  bool // dir is ours to close
}

func (p *place) close() {
	if p.own {
		_ = unix.Close(p.dir)
	}
}

// at resolves the folder holding rel (a clean slash path below d) and
// returns it with rel's last element. name is the full host path.
func (d *confinedDir) at(op, name, rel string) (*place, error) {
	fd, err := d.open()
	if err != nil {
		return nil, &fs.PathError{Op: op, Path: name, Err: innerError(err)}
	}
	parent, base := "", rel
	if i := strings.LastIndexByte(rel, '/'); i >= 0 {
		parent, base = rel[:i], rel[i+1:]
	}
	if !validBase(base) {
		return nil, &fs.PathError{Op: op, Path: name, Err: syscall.EINVAL}
	}
	if parent == "" {
		return &place{name: name, dir: fd, base: base}, nil
	}
	pfd, err := resolveBeneath(fd, parent, unix.O_DIRECTORY|unix.O_CLOEXEC|oPathDir)
	if err != nil {
		return nil, &fs.PathError{Op: op, Path: name, Err: err}
	}
	return &place{name: name, dir: pfd, base: base, own: true}, nil
}

// walkNoFollow opens rel below dirfd one component at a time, refusing
// every symlink: the fallback where openat2 is missing.
func walkNoFollow(dirfd int, rel string, flags int) (int, error) {
	comps := strings.Split(rel, "/")
	fd := dirfd
	for i, c := range comps {
		f := unix.O_DIRECTORY | unix.O_NOFOLLOW | unix.O_CLOEXEC | oPathDir
		if i == len(comps)-1 {
			f = flags | unix.O_NOFOLLOW | unix.O_CLOEXEC
		}
		if c == ".." {
			if fd != dirfd {
				_ = unix.Close(fd)
			}
			return -1, ErrOutside
		}
		nfd, err := openatRetry(fd, c, f, 0)
		if err != nil {
			if err == unix.ELOOP || err == unix.ENOTDIR {
				var st unix.Stat_t
				if unix.Fstatat(fd, c, &st, unix.AT_SYMLINK_NOFOLLOW) == nil && st.Mode&unix.S_IFMT == unix.S_IFLNK {
					err = ErrOutside
				}
			}
		}
		if fd != dirfd {
			_ = unix.Close(fd)
		}
		if err != nil {
			return -1, err
		}
		fd = nfd
	}
	return fd, nil
}

// lstat describes the path without following its last element.
func (d *confinedDir) lstat(name, rel string) (fs.FileInfo, error) {
	p, err := d.at("lstat", name, rel)
	if err != nil {
		return nil, err
	}
	defer p.close()
	var st unix.Stat_t
	if err := unix.Fstatat(p.dir, p.base, &st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		return nil, &fs.PathError{Op: "lstat", Path: name, Err: err}
	}
	return filestat.NewInfo(p.base, &st), nil
}

// stat describes the path, following links that stay inside.
func (d *confinedDir) stat(name, rel string) (fs.FileInfo, error) {
	root, err := d.open()
	if err != nil {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: innerError(err)}
	}
	fd, err := resolveBeneath(root, rel, unix.O_CLOEXEC|oPathAny)
	if err != nil {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: err}
	}
	defer unix.Close(fd)
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: err}
	}
	return filestat.NewInfo(filepath.Base(rel), &st), nil
}

func (d *confinedDir) readlink(name, rel string) (string, error) {
	p, err := d.at("readlink", name, rel)
	if err != nil {
		return "", err
	}
	defer p.close()
	target, _, err := readlinkAt(p.dir, p.base, name, nil)
	return target, err
}

// readlinkAt reads the link base in the folder dir; name is its host
// path, for errors. buf is where it reads (nil: a buffer of its own); the
// one it used is returned for the next call, so reading a folder of
// links allocates only their targets.
func readlinkAt(dir int, base, name string, buf []byte) (string, []byte, error) {
	if len(buf) < 256 {
		buf = make([]byte, 256)
	}
	for {
		n, err := unix.Readlinkat(dir, base, buf)
		if err != nil {
			return "", buf, &fs.PathError{Op: "readlink", Path: name, Err: err}
		}
		if n < len(buf) {
			return string(buf[:n]), buf, nil
		}
		buf = make([]byte, 2*len(buf))
	}
}

// readlinksIn reads the links names, whose paths below d are parent/base
// (parent "" for d itself), as readlink reads each, with parent resolved
// once for all of them instead of once per link: each is read relative
// to a folder that was beneath d when it was resolved, as readlink's is.
func (d *confinedDir) readlinksIn(parent string, names, bases, targets []string, errs []error) {
	d.inFolder("readlink", parent, names, errs, func(dir int) {
		var buf []byte
		for i, base := range bases {
			if !validBase(base) {
				errs[i] = &fs.PathError{Op: "readlink", Path: names[i], Err: syscall.EINVAL}
				continue
			}
			targets[i], buf, errs[i] = readlinkAt(dir, base, names[i], buf)
		}
	})
}

// inFolder calls f with a descriptor of the folder parent below d (""
// for d itself), resolved once, as confinedDir.at resolves it for one
// path; when that fails, it sets the error of operation op for each of
// names (the paths f would have served) instead.
func (d *confinedDir) inFolder(op, parent string, names []string, errs []error, f func(dir int)) {
	fail := func(err func(name string) error) {
		for i, n := range names {
			errs[i] = err(n)
		}
	}
	fd, err := d.open()
	if err != nil {
		fail(func(n string) error { return &fs.PathError{Op: op, Path: n, Err: innerError(err)} })
		return
	}
	dir := fd
	if parent != "" {
		pfd, err := resolveBeneath(fd, parent, unix.O_DIRECTORY|unix.O_CLOEXEC|oPathDir)
		if err != nil {
			fail(func(n string) error { return &fs.PathError{Op: op, Path: n, Err: err} })
			return
		}
		defer unix.Close(pfd)
		dir = pfd
	}
	f(dir)
}

// lstatsIn describes the paths names, whose paths below d are
// parent/base (parent "" for d itself), as lstat describes each, with
// parent resolved once for all of them (see readlinksIn).
func (d *confinedDir) lstatsIn(parent string, names, bases []string, infos []fs.FileInfo, errs []error) {
	d.inFolder("lstat", parent, names, errs, func(dir int) {
		var st unix.Stat_t
		for i, base := range bases {
			if !validBase(base) {
				errs[i] = &fs.PathError{Op: "lstat", Path: names[i], Err: syscall.EINVAL}
				continue
			}
			if err := unix.Fstatat(dir, base, &st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
				errs[i] = &fs.PathError{Op: "lstat", Path: names[i], Err: err}
				continue
			}
			infos[i] = filestat.NewInfo(base, &st)
		}
	})
}

// readDir lists the folder, following links that stay inside; every
// entry is described with fstatat relative to the folder.
func (d *confinedDir) readDir(name, rel string) ([]fs.DirEntry, error) {
	root, err := d.open()
	if err != nil {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: innerError(err)}
	}
	fd, err := resolveBeneath(root, rel, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	f := os.NewFile(uintptr(fd), name)
	defer f.Close()
	names, err := f.Readdirnames(-1)
	if err != nil {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: innerError(err)}
	}
	slices.Sort(names)
	out := make([]fs.DirEntry, 0, len(names))
	for _, n := range names {
		var st unix.Stat_t
		if err := unix.Fstatat(fd, n, &st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
			if err == unix.ENOENT {
				continue // removed meanwhile
			}
			return nil, &fs.PathError{Op: "lstat", Path: filepath.Join(name, n), Err: err}
		}
		out = append(out, fs.FileInfoToDirEntry(filestat.NewInfo(n, &st)))
	}
	return out, nil
}

// open opens a regular file for reading, following links that stay
// inside. Anything but a regular file is refused before a read could
// block or never end.
func (d *confinedDir) openFile(name, rel string) (*fileReader, error) {
	root, err := d.open()
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: innerError(err)}
	}
	fd, err := resolveBeneath(root, rel, unix.O_RDONLY|unix.O_NONBLOCK|unix.O_NOCTTY|unix.O_CLOEXEC)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: leased(err)}
	}
	return regularReader(fd, name)
}

// regularKind checks that fd is a regular file or a folder (whose reads
// fail with EISDIR), else closes it and says what it is; it returns the
// file's fstat.
func regularKind(fd int, name string) (*unix.Stat_t, error) {
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		_ = unix.Close(fd)
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	if t := st.Mode & unix.S_IFMT; t != unix.S_IFREG && t != unix.S_IFDIR {
		_ = unix.Close(fd)
		return nil, &fs.PathError{Op: "open", Path: name, Err: ErrNotRegular}
	}
	return &st, nil
}

// regularFile returns fd as a blocking *os.File when it is a regular
// file (or a folder, whose reads fail with EISDIR), else closes it and
// says what it is.
func regularFile(fd int, name string) (*os.File, error) {
	if _, err := regularKind(fd, name); err != nil {
		return nil, err
	}
	if err := unix.SetNonblock(fd, false); err != nil {
		_ = unix.Close(fd)
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return os.NewFile(uintptr(fd), name), nil
}

// regularReader is regularFile for a descriptor opened for reading only
// with O_NONBLOCK, read as a fileReader. O_NONBLOCK stays set: reads of a
// regular file do not heed it on local file systems, so clearing it
// would cost an fcntl per file for nothing; a read that does answer
// EAGAIN (a network or FUSE file system) clears it then and reads again
// (fileReader.Read).
func regularReader(fd int, name string) (*fileReader, error) {
	st, err := regularKind(fd, name)
	if err != nil {
		return nil, err
	}
	return &fileReader{fd: fd, name: name, st: st}, nil
}

func (d *confinedDir) readFile(name, rel string) ([]byte, error) {
	f, err := d.openFile(name, rel)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readAll(f, maxConfinedRead)
}

// confinedTempName returns a fresh name for a temporary file beside a
// target.
func confinedTempName() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return TempPrefix + hex.EncodeToString(b[:])
}

// writeAt replaces the place atomically: a temporary file beside it
// (TempPrefix, so recovery can recognise a leftover), created
// O_EXCL|O_NOFOLLOW with mode 0600, written, synced, given perm on its
// descriptor and renamed over the place relative to its folder; with
// noReplace the complete temporary file is hard-linked to the place
// (linkat fails when anything is there) and then unlinked instead.
func writeAt(p *place, data []byte, perm fs.FileMode, noReplace bool) error {
	tmp := confinedTempName()
	fd, err := openatRetry(p.dir, tmp, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0o600)
	if err != nil {
		return &fs.PathError{Op: "write", Path: p.name, Err: err}
	}
	f := os.NewFile(uintptr(fd), p.name)
	werr := func() error {
		if _, err := f.Write(data); err != nil {
			return err
		}
		if err := f.Sync(); err != nil {
			return err
		}
		return unix.Fchmod(fd, uint32(filestat.SyscallMode(perm)))
	}()
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		if noReplace {
			werr = unix.Linkat(p.dir, tmp, p.dir, p.base, 0)
		} else {
			werr = unix.Renameat(p.dir, tmp, p.dir, p.base)
		}
	}
	if werr != nil || noReplace {
		_ = unix.Unlinkat(p.dir, tmp, 0)
	}
	if werr != nil {
		return &fs.PathError{Op: "write", Path: p.name, Err: innerError(werr)}
	}
	return nil
}

// parentPlace opens the folder of an ordinary path name (following links,
// as any path outside a confined folder).
func parentPlace(op, name string) (*place, error) {
	fd, err := openatRetry(unix.AT_FDCWD, filepath.Dir(name), unix.O_DIRECTORY|unix.O_CLOEXEC|oPathDir, 0)
	if err != nil {
		return nil, &fs.PathError{Op: op, Path: name, Err: err}
	}
	return &place{name: name, dir: fd, base: filepath.Base(name), own: true}, nil
}

// createFile creates a new file (O_EXCL|O_NOFOLLOW) with r's content.
func (d *confinedDir) createFile(name, rel string, r io.Reader, perm fs.FileMode) error {
	p, err := d.at("create", name, rel)
	if err != nil {
		return err
	}
	defer p.close()
	fd, err := openatRetry(p.dir, p.base, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0o600)
	if err != nil {
		return &fs.PathError{Op: "open", Path: name, Err: err}
	}
	f := os.NewFile(uintptr(fd), name)
	_, werr := io.Copy(f, r)
	if werr == nil {
		werr = unix.Fchmod(fd, uint32(filestat.SyscallMode(perm)))
	}
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		_ = unix.Unlinkat(p.dir, p.base, 0)
		return &fs.PathError{Op: "create", Path: name, Err: innerError(werr)}
	}
	return nil
}

func (d *confinedDir) openAppend(name, rel string, perm fs.FileMode) (io.WriteCloser, error) {
	p, err := d.at("open", name, rel)
	if err != nil {
		return nil, err
	}
	defer p.close()
	fd, err := openatRetry(p.dir, p.base, unix.O_RDWR|unix.O_APPEND|unix.O_CREAT|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_CLOEXEC, uint32(filestat.SyscallMode(perm)))
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return regularFile(fd, name)
}

// mkdir creates one folder and sets its mode on its descriptor.
// mkdir makes the folder in its parent's descriptor: the held one when
// the last folder or link was made in the same folder (a switch makes
// the folders of a tree one after another; see heldFolder).
func (d *confinedDir) mkdir(name, rel string, perm fs.FileMode) error {
	if parent, base, ok := splitHeld(rel); ok {
		return d.inHeld("mkdir", name, parent, func(dir int) error {
			return mkdirAt(&place{name: name, dir: dir, base: base}, perm)
		})
	}
	p, err := d.at("mkdir", name, rel)
	if err != nil {
		return err
	}
	defer p.close()
	return mkdirAt(p, perm)
}

// mkdirAt makes the folder at p with mode perm exactly. It is made with
// that mode, which the umask may narrow and a setgid parent widen, and
// its mode is set (chmodAt, on a descriptor of the folder) only then, or
// when it is not the folder made any more: two system calls for a folder
// instead of five when every folder was made 0700 and then set (a first
// switch of 10,000 dotfiles makes 1,101 folders in a home, one after
// another).
func mkdirAt(p *place, perm fs.FileMode) error {
	mode := filestat.SyscallMode(perm)
	if err := unix.Mkdirat(p.dir, p.base, mode); err != nil {
		return &fs.PathError{Op: "mkdir", Path: p.name, Err: err}
	}
	var st unix.Stat_t
	if err := unix.Fstatat(p.dir, p.base, &st, unix.AT_SYMLINK_NOFOLLOW); err == nil && uint32(st.Mode)&unix.S_IFMT == unix.S_IFDIR && uint32(st.Mode)&0o7777 == mode {
		return nil
	}
	return chmodAt(p, perm)
}

// mkdirAll creates the folder and its missing parents below d.
func (d *confinedDir) mkdirAll(name, rel string, perm fs.FileMode) error {
	comps := strings.Split(rel, "/")
	for i := range comps {
		sub := strings.Join(comps[:i+1], "/")
		full := filepath.Join(d.path, sub)
		fi, err := d.stat(full, sub)
		if err == nil {
			if !fi.IsDir() {
				return &fs.PathError{Op: "mkdir", Path: full, Err: syscall.ENOTDIR}
			}
			continue
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		if err := d.mkdir(full, sub, perm); err != nil && !errors.Is(err, fs.ErrExist) {
			return err
		}
	}
	return nil
}

// symlink makes the link in its folder's descriptor: the held one when
// the last link was made in the same folder (see heldFolder).
func (d *confinedDir) symlink(oldname, name, rel string) error {
	if parent, base, ok := splitHeld(rel); ok {
		return d.inHeld("symlink", name, parent, func(dir int) error {
			if err := unix.Symlinkat(oldname, dir, base); err != nil {
				return &os.LinkError{Op: "symlink", Old: oldname, New: name, Err: err}
			}
			return nil
		})
	}
	p, err := d.at("symlink", name, rel)
	if err != nil {
		return err
	}
	defer p.close()
	if err := unix.Symlinkat(oldname, p.dir, p.base); err != nil {
		return &os.LinkError{Op: "symlink", Old: oldname, New: name, Err: err}
	}
	return nil
}

// replaceSymlink makes a link under a temporary name and renames it over
// the path.
func (d *confinedDir) replaceSymlink(oldname, name, rel string) error {
	p, err := d.at("symlink", name, rel)
	if err != nil {
		return err
	}
	defer p.close()
	tmp := confinedTempName()
	if err := unix.Symlinkat(oldname, p.dir, tmp); err != nil {
		return &os.LinkError{Op: "symlink", Old: oldname, New: name, Err: err}
	}
	if err := unix.Renameat(p.dir, tmp, p.dir, p.base); err != nil {
		_ = unix.Unlinkat(p.dir, tmp, 0)
		return &os.LinkError{Op: "symlink", Old: oldname, New: name, Err: err}
	}
	return nil
}

func (d *confinedDir) remove(name, rel string) error {
	p, err := d.at("remove", name, rel)
	if err != nil {
		return err
	}
	defer p.close()
	return removeAt(p)
}

// removeDir removes an empty folder, and nothing else.
func (d *confinedDir) removeDir(name, rel string) error {
	p, err := d.at("rmdir", name, rel)
	if err != nil {
		return err
	}
	defer p.close()
	if err := unix.Unlinkat(p.dir, p.base, unix.AT_REMOVEDIR); err != nil {
		return &fs.PathError{Op: "rmdir", Path: p.name, Err: err}
	}
	return nil
}

// removeAt removes a file, a link or an empty folder, as os.Remove does.
func removeAt(p *place) error {
	e := unix.Unlinkat(p.dir, p.base, 0)
	if e == nil {
		return nil
	}
	e1 := unix.Unlinkat(p.dir, p.base, unix.AT_REMOVEDIR)
	if e1 == nil {
		return nil
	}
	if e1 != unix.ENOTDIR {
		e = e1
	}
	return &fs.PathError{Op: "remove", Path: p.name, Err: e}
}

// removeAll removes the path and everything below it without following
// any link.
func (d *confinedDir) removeAll(name, rel string) error {
	p, err := d.at("removeall", name, rel)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return err
	}
	defer p.close()
	if err := removeAllAt(p.dir, p.base); err != nil {
		return &fs.PathError{Op: "removeall", Path: name, Err: err}
	}
	return nil
}

func removeAllAt(dir int, base string) error {
	err := unix.Unlinkat(dir, base, 0)
	if err == nil || err == unix.ENOENT {
		return nil
	}
	fd, oerr := openatRetry(dir, base, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if oerr != nil {
		if oerr == unix.ENOENT {
			return nil
		}
		if oerr == unix.ENOTDIR || oerr == unix.ELOOP {
			return err
		}
		return oerr
	}
	f := os.NewFile(uintptr(fd), base)
	names, rerr := f.Readdirnames(-1)
	for _, n := range names {
		if err := removeAllAt(fd, n); err != nil {
			_ = f.Close()
			return err
		}
	}
	_ = f.Close()
	if rerr != nil {
		return rerr
	}
	if err := unix.Unlinkat(dir, base, unix.AT_REMOVEDIR); err != nil && err != unix.ENOENT {
		return err
	}
	return nil
}

// rename renames within or across confined folders; from and to are
// resolved places (either may be an ordinary path).
func renameAt(from, to *place) error {
	if err := unix.Renameat(from.dir, from.base, to.dir, to.base); err != nil {
		return &os.LinkError{Op: "rename", Old: from.name, New: to.name, Err: err}
	}
	return nil
}

func linkAt(from, to *place) error {
	if err := unix.Linkat(from.dir, from.base, to.dir, to.base, 0); err != nil {
		return &os.LinkError{Op: "link", Old: from.name, New: to.name, Err: err}
	}
	return nil
}

// chmod changes the mode of a file or folder on its descriptor; a link
// is refused, never followed.
func (d *confinedDir) chmod(name, rel string, mode fs.FileMode) error {
	p, err := d.at("chmod", name, rel)
	if err != nil {
		return err
	}
	defer p.close()
	return chmodAt(p, mode)
}

func chmodAt(p *place, mode fs.FileMode) error {
	fd, err := openatRetry(p.dir, p.base, unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		if err == unix.ELOOP {
			err = ErrIsSymlink
		}
		return &fs.PathError{Op: "chmod", Path: p.name, Err: err}
	}
	defer unix.Close(fd)
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return &fs.PathError{Op: "chmod", Path: p.name, Err: err}
	}
	if st.Mode&unix.S_IFMT == unix.S_IFREG && st.Nlink > 1 {
		return &fs.PathError{Op: "chmod", Path: p.name, Err: ErrHardLinked}
	}
	if err := unix.Fchmod(fd, uint32(filestat.SyscallMode(mode))); err != nil {
		return &fs.PathError{Op: "chmod", Path: p.name, Err: err}
	}
	return nil
}

// lchown changes the owner in the folder's descriptor: the held one when
// the last link was made in the same folder (a link is given its owner
// right after it is made; see heldFolder).
func (d *confinedDir) lchown(name, rel string, uid, gid int) error {
	if parent, base, ok := splitHeld(rel); ok {
		return d.inHeld("lchown", name, parent, func(dir int) error {
			return lchownAt(&place{name: name, dir: dir, base: base}, uid, gid)
		})
	}
	p, err := d.at("lchown", name, rel)
	if err != nil {
		return err
	}
	defer p.close()
	return lchownAt(p, uid, gid)
}

func (d *confinedDir) sync(name, rel string) error {
	root, err := d.open()
	if err != nil {
		return &fs.PathError{Op: "sync", Path: name, Err: innerError(err)}
	}
	fd, err := openatRetry(root, ".", unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return &fs.PathError{Op: "sync", Path: name, Err: err}
	}
	f := os.NewFile(uintptr(fd), d.path)
	defer f.Close()
	if err := syncFS(f); err != nil {
		return pathError("sync", name, err)
	}
	return nil
}

// ErrNotRegular is wrapped by the error of reading a path below a
// confined folder that is not a regular file (a FIFO, a device, a
// socket, a folder).
var ErrNotRegular = errors.New("not a regular file; not reading it")

// ErrLeased is the error of opening for reading a file its owner holds
// a write lease on (fcntl F_SETLEASE, which any owner may take, and take
// again each time the kernel breaks it): the non-blocking open fails
// with EWOULDBLOCK, which it wraps, rather than wait for the lease to be
// let go (tester AA).
var ErrLeased = fmt.Errorf("its owner holds a lease on it (fcntl F_SETLEASE); not waiting for it: %w", unix.EWOULDBLOCK)

// leased is err, or ErrLeased for what a non-blocking open of a regular
// file meets only under a lease.
func leased(err error) error {
	if errors.Is(err, unix.EWOULDBLOCK) {
		return ErrLeased
	}
	return err
}

// ErrIsSymlink is wrapped by the error of changing the mode of a link
// below a confined folder: the link is never followed.
var ErrIsSymlink = errors.New("is a symlink; not following it")

// ErrHardLinked is wrapped by the error of changing the mode or owner of
// a file below a confined folder that has other hard links (and, for an
// owner, is not already that owner's): the other links may be outside.
var ErrHardLinked = errors.New("has other hard links; not changing it")

// ordinaryPlace is a path outside every confined folder, for *at calls.
func ordinaryPlace(name string) *place {
	return &place{name: name, dir: unix.AT_FDCWD, base: name}
}
