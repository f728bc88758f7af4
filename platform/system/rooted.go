package system

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

var _ System = (*Rooted)(nil)

// errNotAbsolute is the cause of the error for a relative machine path.
var errNotAbsolute = errors.New("not an absolute path")

// A Rooted is a System that relocates every machine path under a root
// folder (`--root DIR`): /home/alice/.zshrc is <root>/home/alice/.zshrc
// on the base System. Symlink targets are stored as given, never
// relocated. Errors name machine paths, as the caller gave them.
//
// Rooted is not a chroot: the kernel still resolves an absolute symlink
// met inside the root against the host's /, so callers make links under a
// root relative. EvalSymlinks reports a path that leads outside the root.
// Commands run on the host, so Run runs only those marked ReadOnly or
// Tree (see Run).
type Rooted struct {
	root string
	base System
}

// NewRooted returns a System that relocates every path under root on
// base. root must be absolute (callers use filepath.Abs); it is cleaned.
// NewRooted panics if root is relative.
func NewRooted(root string, base System) *Rooted {
	if !filepath.IsAbs(root) {
		panic("system.NewRooted: root " + root + " is not an absolute path")
	}
	return &Rooted{root: filepath.Clean(root), base: base}
}

// Root returns the root folder, a host path.
func (r *Rooted) Root() string { return r.root }

// HostPath returns the host path of the machine path machine, which is
// taken relative to the machine's / if it is not absolute.
func (r *Rooted) HostPath(machine string) string {
	if !strings.HasPrefix(machine, "/") {
		machine = "/" + machine
	}
	// Clean does not allocate for a path that is clean already (the usual
	// case); one concatenation then beats filepath.Join's second Clean.
	c := filepath.Clean(machine)
	if r.root == "/" {
		return c
	}
	if c == "/" {
		return r.root
	}
	return r.root + c
}

// host returns the host path of the machine path name, or an
// *fs.PathError for operation op when name is not absolute.
func (r *Rooted) host(op, name string) (string, error) {
	if !filepath.IsAbs(name) {
		return "", &fs.PathError{Op: op, Path: name, Err: errNotAbsolute}
	}
	return r.HostPath(name), nil
}

// onHost calls f with the host path of the machine path name, or
// returns the error of operation op on a relative name; the errors f
// returns name machine paths.
func onHost[T any](r *Rooted, op, name string, f func(host string) (T, error)) (T, error) {
	h, err := r.host(op, name)
	if err != nil {
		var zero T
		return zero, err
	}
	v, err := f(h)
	return v, r.fix(err, false)
}

// change is onHost for a call that returns only an error.
func (r *Rooted) change(op, name string, f func(host string) error) error {
	h, err := r.host(op, name)
	if err != nil {
		return err
	}
	return r.fix(f(h), false)
}

// change2 is change for a call on two machine paths.
func (r *Rooted) change2(op, oldname, newname string, f func(oldhost, newhost string) error) error {
	ho, err := r.host(op, oldname)
	if err != nil {
		return err
	}
	hn, err := r.host(op, newname)
	if err != nil {
		return err
	}
	return r.fix(f(ho, hn), false)
}

// symlink is change for a call that makes newname a symlink to oldname,
// which is stored unchanged, never relocated.
func (r *Rooted) symlink(oldname, newname string, f func(oldname, newhost string) error) error {
	h, err := r.host("symlink", newname)
	if err != nil {
		return err
	}
	return r.fix(f(oldname, h), true)
}

// machinePath returns the machine path of the host path host under root,
// and false when host is not under root.
func machinePath(root, host string) (string, bool) {
	if root == "/" {
		return host, true
	}
	if host == root {
		return "/", true
	}
	if rest, ok := strings.CutPrefix(host, root); ok && strings.HasPrefix(rest, "/") {
		return rest, true
	}
	return "", false
}

// back returns the machine path of host, or host itself when it is not
// under the root.
func (r *Rooted) back(host string) string {
	if m, ok := machinePath(r.root, host); ok {
		return m
	}
	return host
}

// fix rewrites the host paths named by the errors in err's chain into
// machine paths and returns err. The Old path of a link error is left
// alone when keepOld is set (it is a symlink target, never relocated).
func (r *Rooted) fix(err error, keepOld bool) error {
	for e := err; e != nil; e = errors.Unwrap(e) {
		switch e := e.(type) {
		case *fs.PathError:
			e.Path = r.back(e.Path)
		case *os.LinkError:
			if !keepOld {
				e.Old = r.back(e.Old)
			}
			e.New = r.back(e.New)
		case *LockedError:
			e.Path = r.back(e.Path)
		}
	}
	return err
}

// Lstat describes name without following a final symlink.
func (r *Rooted) Lstat(name string) (fs.FileInfo, error) {
	return onHost(r, "lstat", name, r.base.Lstat)
}

// Stat describes name, following symlinks.
func (r *Rooted) Stat(name string) (fs.FileInfo, error) {
	return onHost(r, "stat", name, r.base.Stat)
}

// Readlink returns a symlink's target as stored.
func (r *Rooted) Readlink(name string) (string, error) {
	return onHost(r, "readlink", name, r.base.Readlink)
}

// ReadDir lists a folder, sorted by name.
func (r *Rooted) ReadDir(name string) ([]fs.DirEntry, error) {
	return onHost(r, "readdir", name, r.base.ReadDir)
}

// ReadDirTypes lists a folder as ReadDir does, without every entry's Info.
func (r *Rooted) ReadDirTypes(name string) ([]fs.DirEntry, error) {
	return onHost(r, "readdir", name, r.base.ReadDirTypes)
}

// Open opens a file for reading; the errors of its reads name the machine
// path too.
func (r *Rooted) Open(name string) (io.ReadCloser, error) {
	h, err := r.host("open", name)
	if err != nil {
		return nil, err
	}
	f, err := r.base.Open(h)
	if err != nil {
		return nil, r.fix(err, false)
	}
	return &rootedFile{ReadCloser: f, r: r}, nil
}

// A rootedFile is a file opened through a Rooted.
type rootedFile struct {
	io.ReadCloser
	r *Rooted
}

func (f *rootedFile) Read(p []byte) (int, error) {
	n, err := f.ReadCloser.Read(p)
	if err != nil && err != io.EOF {
		err = f.r.fix(err, false)
	}
	return n, err
}

func (f *rootedFile) Close() error { return f.r.fix(f.ReadCloser.Close(), false) }

// Stat is the opened file's stat when the base's file has one (a real
// file: its fstat at the open), so that the reader checks the file it
// reads, not whatever is at its name afterwards.
func (f *rootedFile) Stat() (fs.FileInfo, error) {
	if st, ok := f.ReadCloser.(interface{ Stat() (fs.FileInfo, error) }); ok {
		return st.Stat()
	}
	return nil, fmt.Errorf("stat: %w", errors.ErrUnsupported)
}

// ReadFile reads a whole file.
func (r *Rooted) ReadFile(name string) ([]byte, error) {
	return onHost(r, "open", name, r.base.ReadFile)
}

// EvalSymlinks resolves every symlink in name and returns the machine
// path it leads to. A path that leads outside the root (an absolute
// symlink is resolved against the host's /, a relative one may climb out
// with ..) is an error wrapping ErrEscapes.
func (r *Rooted) EvalSymlinks(name string) (string, error) {
	h, err := r.host("evalsymlinks", name)
	if err != nil {
		return "", err
	}
	// The root itself may lie behind a symlink (/tmp -> /private/tmp).
	roots := []string{r.root}
	if rr, err := r.base.EvalSymlinks(r.root); err == nil && rr != r.root {
		roots = append(roots, rr)
	}
	escapes := &fs.PathError{Op: "evalsymlinks", Path: name, Err: ErrEscapes}
	under := func(host string) (string, bool) {
		for _, root := range roots {
			if m, ok := machinePath(root, host); ok {
				return m, true
			}
		}
		return "", false
	}
	res, err := r.base.EvalSymlinks(h)
	if err != nil {
		// A missing file met after leaving the root is not one of the
		// machine's files: say where the path went.
		var pe *fs.PathError
		if errors.As(err, &pe) && filepath.IsAbs(pe.Path) {
			if _, ok := under(pe.Path); !ok {
				return "", escapes
			}
		}
		for _, root := range roots {
			for e := err; e != nil; e = errors.Unwrap(e) {
				if pe, ok := e.(*fs.PathError); ok {
					if m, ok := machinePath(root, pe.Path); ok {
						pe.Path = m
					}
				}
			}
		}
		return "", err
	}
	m, ok := under(res)
	if !ok {
		return "", escapes
	}
	return m, nil
}

// WriteFile replaces name atomically with data and mode perm.
func (r *Rooted) WriteFile(name string, data []byte, perm fs.FileMode) error {
	return r.change("write", name, func(h string) error { return r.base.WriteFile(h, data, perm) })
}

// WriteNewFile writes the relocated name, which must not exist.
func (r *Rooted) WriteNewFile(name string, data []byte, perm fs.FileMode) error {
	return r.change("write", name, func(h string) error { return r.base.WriteNewFile(h, data, perm) })
}

// CreateFile creates name, which must not exist, with the content read
// from rd and mode perm.
func (r *Rooted) CreateFile(name string, rd io.Reader, perm fs.FileMode) error {
	return r.change("create", name, func(h string) error { return r.base.CreateFile(h, rd, perm) })
}

// Mkdir creates one folder.
func (r *Rooted) Mkdir(name string, perm fs.FileMode) error {
	return r.change("mkdir", name, func(h string) error { return r.base.Mkdir(h, perm) })
}

// MkdirAll creates a folder and its missing parents.
func (r *Rooted) MkdirAll(name string, perm fs.FileMode) error {
	return r.change("mkdir", name, func(h string) error { return r.base.MkdirAll(h, perm) })
}

// Symlink creates newname as a symlink to oldname, stored unchanged.
func (r *Rooted) Symlink(oldname, newname string) error {
	return r.symlink(oldname, newname, r.base.Symlink)
}

// ReplaceSymlink atomically makes newname a symlink to oldname, stored
// unchanged.
func (r *Rooted) ReplaceSymlink(oldname, newname string) error {
	return r.symlink(oldname, newname, r.base.ReplaceSymlink)
}

// Link creates newname as a hard link to oldname; both are machine paths.
func (r *Rooted) Link(oldname, newname string) error {
	return r.change2("link", oldname, newname, r.base.Link)
}

// Rename renames (moves) oldpath to newpath.
func (r *Rooted) Rename(oldpath, newpath string) error {
	return r.change2("rename", oldpath, newpath, r.base.Rename)
}

// Exchange atomically swaps the names a and b; both are machine paths.
func (r *Rooted) Exchange(a, b string) error {
	return r.change2("exchange", a, b, r.base.Exchange)
}

// Remove removes a file, a symlink or an empty folder.
func (r *Rooted) Remove(name string) error {
	return r.change("remove", name, r.base.Remove)
}

// RemoveDir removes an empty folder, and nothing else.
func (r *Rooted) RemoveDir(name string) error {
	return r.change("rmdir", name, r.base.RemoveDir)
}

// RemoveAll removes a folder tree.
func (r *Rooted) RemoveAll(name string) error {
	return r.change("removeall", name, r.base.RemoveAll)
}

// RemoveUnshared removes a regular file that no program has open for
// writing, after check. check's own error is returned untouched (its
// paths are the caller's).
func (r *Rooted) RemoveUnshared(name string, check func(fs.FileInfo, io.Reader) error) error {
	h, err := r.host("remove", name)
	if err != nil {
		return err
	}
	var checkErr error
	err = r.base.RemoveUnshared(h, func(fi fs.FileInfo, content io.Reader) error {
		if check == nil {
			return nil
		}
		checkErr = check(fi, content)
		return checkErr
	})
	if err != nil && err == checkErr {
		return err
	}
	return r.fix(err, false)
}

// Chmod changes a file's mode.
func (r *Rooted) Chmod(name string, mode fs.FileMode) error {
	return r.change("chmod", name, func(h string) error { return r.base.Chmod(h, mode) })
}

// Lchown changes the owner of name without following a symlink.
func (r *Rooted) Lchown(name string, uid, gid int) error {
	return r.change("lchown", name, func(h string) error { return r.base.Lchown(h, uid, gid) })
}

// Sync flushes every write on the filesystem holding name to disk.
func (r *Rooted) Sync(name string) error {
	return r.change("sync", name, r.base.Sync)
}

// Lock takes an exclusive, non-blocking lock on the file name.
func (r *Rooted) Lock(name string, pid int) (Unlocker, error) {
	h, err := r.host("lock", name)
	if err != nil {
		return nil, err
	}
	u, err := r.base.Lock(h, pid)
	if err != nil {
		return nil, r.fix(err, false)
	}
	return &rootedUnlocker{u: u, r: r}, nil
}

// A rootedUnlocker is a lock taken through a Rooted.
type rootedUnlocker struct {
	u Unlocker
	r *Rooted
}

func (u *rootedUnlocker) Unlock() error { return u.r.fix(u.u.Unlock(), false) }

// Confine confines the relocated dir on the base System.
func (r *Rooted) Confine(dir string) {
	if filepath.IsAbs(dir) {
		r.base.Confine(r.HostPath(dir))
	}
}

// GrantRead sets the ACL of the relocated dir.
func (r *Rooted) GrantRead(dir string, uid int) error {
	return r.change("setfacl", dir, func(h string) error { return r.base.GrantRead(h, uid) })
}

// Run runs a command on the host: the host's program (c.Path is looked
// up in the host's PATH, never in the tree), as the host's user c.UID,
// with c.Env, and reading and changing what the host's kernel shows it;
// only the working folder c.Dir is relocated under the root. So it runs
// only what cannot change the host:
//   - a command marked ReadOnly, which only reads (what it reads is the
//     host's, not the tree's: providers ask their questions of a tree
//     through its files, and use commands for what only the host can
//     say, such as whether useradd has --root);
//   - a command marked Tree, which changes only the tree its arguments
//     name (useradd --root DIR).
//
// Any other command is refused with an error wrapping ErrHostCommand,
// before it starts. Rooted is not a chroot: a Tree command is trusted to
// stay in its tree.
func (r *Rooted) Run(ctx context.Context, c Command) ([]byte, error) {
	if !c.ReadOnly && !c.Tree {
		return nil, fmt.Errorf("run %s: %w", commandLine(c), ErrHostCommand)
	}
	if c.Dir != "" {
		h, err := r.host("chdir", c.Dir)
		if err != nil {
			return nil, err
		}
		c.Dir = h
	}
	out, err := r.base.Run(ctx, c)
	return out, r.fix(err, false)
}

// OpenAppend opens the relocated name for appending.
func (r *Rooted) OpenAppend(name string, perm fs.FileMode) (io.WriteCloser, error) {
	return onHost(r, "open", name, func(h string) (io.WriteCloser, error) { return r.base.OpenAppend(h, perm) })
}

// Units returns the offline Units of scope in the tree, as `systemctl
// --root` sees it: no manager runs, so jobs do nothing, and enabling
// makes the links the unit files' [Install] sections ask for (see
// offlineUnits).
func (r *Rooted) Units(_ context.Context, scope UnitScope) (Units, error) {
	return newOfflineUnits(r, scope), nil
}

// Hostname returns the static host name in <root>/etc/hostname ("" when
// the file is missing).
func (r *Rooted) Hostname(context.Context) (string, error) { return readHostname(r) }

// SetHostname writes <root>/etc/hostname (atomically, 0644); nothing else
// changes: the tree is not running.
func (r *Rooted) SetHostname(_ context.Context, name string) error {
	return writeHostname(r, name)
}
