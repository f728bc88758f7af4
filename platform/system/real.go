package system

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/google/renameio/v2"
)

var _ System = (*Real)(nil)

// A Real is the System of the running operating system: every call acts
// on the machine at once. Modes given to it are applied exactly (the
// umask does not apply).
type Real struct {
	// confined are the folders below which every file operation is
	// resolved from the folder's descriptor (see Confine).
	confined confinement
	// watch, when set (SetAccountWatch), watches every job of the
	// system manager for waits on an ordinary account's processes.
	watch *accountWaits
}

// NewReal returns the System of the running operating system.
func NewReal() *Real { return &Real{} }

// confinedOr reads name with confined when it is below a confined
// folder, else with direct.
func confinedOr[T any](r *Real, name string, confined func(d *confinedDir, name, rel string) (T, error), direct func(name string) (T, error)) (T, error) {
	if d, rel := r.confined.lookup(name); d != nil {
		return confined(d, name, rel)
	}
	return direct(name)
}

// Lstat describes name without following a final symlink.
func (r *Real) Lstat(name string) (fs.FileInfo, error) {
	return confinedOr(r, name, (*confinedDir).lstat, os.Lstat)
}

// Stat describes name, following symlinks.
func (r *Real) Stat(name string) (fs.FileInfo, error) {
	return confinedOr(r, name, (*confinedDir).stat, os.Stat)
}

// Readlink returns a symlink's target as stored.
func (r *Real) Readlink(name string) (string, error) {
	return confinedOr(r, name, (*confinedDir).readlink, os.Readlink)
}

// ReadDir lists a folder, sorted by name.
func (r *Real) ReadDir(name string) ([]fs.DirEntry, error) {
	return confinedOr(r, name, (*confinedDir).readDir, readDirStat)
}

// ReadDirTypes lists a folder, sorted by name, taking the Info only of
// entries that are neither regular files nor folders (on Linux; a
// confined folder's listing and macOS's take every entry's).
func (r *Real) ReadDirTypes(name string) ([]fs.DirEntry, error) {
	return confinedOr(r, name, (*confinedDir).readDir, readDirTypes)
}

// Open opens a file for reading.
// Anything but a regular file or a folder is refused before a read could
// block (a FIFO) or never end (a device).
func (r *Real) Open(name string) (io.ReadCloser, error) {
	return confinedOr(r, name, (*confinedDir).openFile, openReadable)
}

// ReadFile reads a whole file.
// Anything but a regular file is refused.
func (r *Real) ReadFile(name string) ([]byte, error) {
	return confinedOr(r, name, (*confinedDir).readFile, readRegular)
}

// EvalSymlinks resolves every symlink in name.
func (*Real) EvalSymlinks(name string) (string, error) { return filepath.EvalSymlinks(name) }

// WriteFile replaces name atomically with data and mode perm: a temporary
// file in the same folder (named TempPrefix..., so that recovery can
// recognise one a killed write left) is written, synced, given mode perm
// and renamed over name. The mode of a file name replaces is not kept.
func (r *Real) WriteFile(name string, data []byte, perm fs.FileMode) error {
	return r.write(name, data, perm, false)
}

// WriteNewFile writes name, which must not exist, atomically: as
// WriteFile, but the temporary file is hard-linked to name (which fails
// with fs.ErrExist when anything is there) instead of renamed over it.
func (r *Real) WriteNewFile(name string, data []byte, perm fs.FileMode) error {
	return r.write(name, data, perm, true)
}

// write resolves the folder of name (from a confined folder's descriptor,
// or by name) and writes name there (see writeAt).
func (r *Real) write(name string, data []byte, perm fs.FileMode, noReplace bool) error {
	p, err := r.openPlace("write", name)
	if err != nil {
		return err
	}
	defer p.close()
	return writeAt(p, data, perm, noReplace)
}

// CreateFile creates name, which must not exist, with the content read
// from r and mode perm. A partly written file is removed.
func (s *Real) CreateFile(name string, r io.Reader, perm fs.FileMode) (err error) {
	if d, rel := s.confined.lookup(name); d != nil {
		return d.createFile(name, rel, r, perm)
	}
	f, err := os.OpenFile(name, os.O_CREATE|os.O_EXCL|os.O_WRONLY, perm&fs.ModePerm)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(name)
		}
	}()
	if _, err := io.Copy(f, r); err != nil {
		return pathError("create", name, err)
	}
	if err := f.Chmod(perm); err != nil {
		return err
	}
	return f.Close()
}

// Mkdir creates one folder with mode perm.
func (r *Real) Mkdir(name string, perm fs.FileMode) error {
	if d, rel := r.confined.lookup(name); d != nil {
		return d.mkdir(name, rel, perm)
	}
	if err := os.Mkdir(name, perm); err != nil {
		return err
	}
	return os.Chmod(name, perm)
}

// MkdirAll creates a folder and its missing parents; the folders it
// creates get mode perm.
func (r *Real) MkdirAll(name string, perm fs.FileMode) error {
	if d, rel := r.confined.lookup(name); d != nil {
		return d.mkdirAll(name, rel, perm)
	}
	fi, err := os.Stat(name)
	if err == nil {
		if fi.IsDir() {
			return nil
		}
		return &fs.PathError{Op: "mkdir", Path: name, Err: syscall.ENOTDIR}
	}
	// ENOTDIR: a parent is a file, which the parent's turn reports.
	if !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR) {
		return err
	}
	if parent := filepath.Dir(name); parent != name {
		if err := r.MkdirAll(parent, perm); err != nil {
			return err
		}
	}
	if err := os.Mkdir(name, perm); err != nil {
		// Created by someone else meanwhile: fine if it is a folder.
		if fi, serr := os.Stat(name); serr == nil && fi.IsDir() {
			return nil
		}
		return err
	}
	return os.Chmod(name, perm)
}

// Symlink creates newname as a symlink to oldname.
func (r *Real) Symlink(oldname, newname string) error {
	if d, rel := r.confined.lookup(newname); d != nil {
		return d.symlink(oldname, newname, rel)
	}
	return os.Symlink(oldname, newname)
}

// ReplaceSymlink atomically makes newname a symlink to oldname, replacing
// whatever file or symlink is there.
func (r *Real) ReplaceSymlink(oldname, newname string) error {
	if d, rel := r.confined.lookup(newname); d != nil {
		return d.replaceSymlink(oldname, newname, rel)
	}
	if err := renameio.Symlink(oldname, newname); err != nil {
		return &os.LinkError{Op: "symlink", Old: oldname, New: newname, Err: innerError(err)}
	}
	return nil
}

// Link creates newname as a hard link to oldname.
func (r *Real) Link(oldname, newname string) error {
	return r.twoNames("link", oldname, newname, os.Link, linkAt)
}

// Rename renames (moves) oldpath to newpath.
// A folder held for links is dropped first (see heldFolder).
func (r *Real) Rename(oldpath, newpath string) error {
	r.confined.dropHeld()
	return r.twoNames("rename", oldpath, newpath, os.Rename, renameAt)
}

// Exchange atomically swaps the names a and b, which both exist (see
// System.Exchange): below a confined folder on the folders' descriptors,
// as Rename. A folder held for links is dropped first (see heldFolder).
func (r *Real) Exchange(a, b string) error {
	r.confined.dropHeld()
	return r.twoNames("exchange", a, b, exchange, exchangeAt)
}

// exchange swaps two names resolved as usual (exchangeAt from the
// current folder).
func exchange(a, b string) error { return exchangeAt(ordinaryPlace(a), ordinaryPlace(b)) }

// Remove removes a file, a symlink or an empty folder. A folder held
// for links is dropped first (see heldFolder).
func (r *Real) Remove(name string) error {
	r.confined.dropHeld()
	if d, rel := r.confined.lookup(name); d != nil {
		return d.remove(name, rel)
	}
	return os.Remove(name)
}

// RemoveDir removes the empty folder name, and nothing else.
func (r *Real) RemoveDir(name string) error {
	r.confined.dropHeld()
	if d, rel := r.confined.lookup(name); d != nil {
		return d.removeDir(name, rel)
	}
	if err := syscall.Rmdir(name); err != nil {
		return &fs.PathError{Op: "rmdir", Path: name, Err: err}
	}
	return nil
}

// RemoveAll removes name and everything under it. Read-only folders (as
// the content store makes them) are made writable by their owner first.
// A missing name is not an error. A folder held for links is dropped
// first (see heldFolder).
func (r *Real) RemoveAll(name string) error {
	r.confined.dropHeld()
	if d, rel := r.confined.lookup(name); d != nil {
		return d.removeAll(name, rel)
	}
	err := os.RemoveAll(name)
	if err == nil || !errors.Is(err, fs.ErrPermission) {
		return err
	}
	// Make every folder of the tree writable, then try again. Errors
	// while walking are left for the second RemoveAll to report.
	_ = filepath.WalkDir(name, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return nil
		}
		if fi, err := d.Info(); err == nil && fi.Mode().Perm()&0o700 != 0o700 {
			_ = os.Chmod(path, fi.Mode()|0o700)
		}
		return nil
	})
	return os.RemoveAll(name)
}

// Chmod changes a file's mode.
func (r *Real) Chmod(name string, mode fs.FileMode) error {
	if d, rel := r.confined.lookup(name); d != nil {
		return d.chmod(name, rel, mode)
	}
	return os.Chmod(name, mode)
}

// Lchown changes the owner of name without following a symlink.
func (r *Real) Lchown(name string, uid, gid int) error {
	if d, rel := r.confined.lookup(name); d != nil {
		return d.lchown(name, rel, uid, gid)
	}
	return os.Lchown(name, uid, gid)
}

// Sync flushes every write on the filesystem holding name to disk:
// syncfs(2) where there is one, else fsync of name.
func (r *Real) Sync(name string) error {
	if d, rel := r.confined.lookup(name); d != nil {
		return d.sync(name, rel)
	}
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := syncFS(f); err != nil {
		return pathError("sync", name, err)
	}
	return nil
}

// runWaitDelay is how long Run waits, once its command was killed, for
// what the command started to close its output.
const runWaitDelay = 5 * time.Second

// runTailLines is how many of its last output lines a failed command's
// error shows.
const runTailLines = 10

// runAsOutputMax is how much of its output a command run as another
// account keeps: its last 64 KiB.
const runAsOutputMax = 64 << 10

// Run runs a command and returns its combined output (stdout and stderr).
// The error of a command that failed shows the last lines of its output.
// A command run as another account keeps only the last runAsOutputMax
// bytes of its output (see tailBuffer).
//
// The command runs in a process group of its own: when ctx ends, the
// whole group is killed (a hook's children too, and a process stopped
// with SIGSTOP, which SIGKILL still ends), and Run returns within
// runWaitDelay even if something it started still holds its output open.
// A command run as another account is ended with everything it started:
// its session when it exits, and on Linux also what left that session
// (see orphanReaper). On macOS a process it started in a session of its
// own outlives it.
func (*Real) Run(ctx context.Context, c Command) ([]byte, error) {
	cmd := exec.CommandContext(ctx, c.Path, c.Args...)
	cmd.Env = c.Env
	cmd.Dir = c.Dir
	cred := credential(c.UID, c.GID)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Credential: cred}
	another := cred != nil || c.Another
	if another {
		// Run as another account (a user's on_change hook): in a session
		// of its own, so without gocfg's controlling terminal. In gocfg's
		// session, her process could open /dev/tty and read root's
		// keystrokes, write to root's screen, or push a command line
		// into root's shell (TIOCSTI) once gocfg exits. Its process
		// group is its session's (setsid makes it), and what is left
		// of it when the command exits is killed below.
		cmd.SysProcAttr.Setpgid, cmd.SysProcAttr.Setsid = false, true
	}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = runWaitDelay
	if c.Dir != "" {
		// Said as chdir, which the child's failed chdir is not always
		// reported as (in a process group of its own it is the exec's).
		if _, err := os.Stat(c.Dir); err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return nil, &runError{path: c.Path, err: &fs.PathError{Op: "chdir", Path: c.Dir, Err: err}}
		}
	}
	if c.Stdin != nil {
		cmd.Stdin = bytes.NewReader(c.Stdin)
	}
	var out interface {
		io.Writer
		Bytes() []byte
	} = new(bytes.Buffer)
	if another {
		// Another account's output is only ever shown, and she chooses
		// how much of it there is: kept to its end, it could fill root's
		// memory for as long as a hook may run.
		out = &tailBuffer{max: runAsOutputMax}
	}
	cmd.Stdout = out
	cmd.Stderr = out
	asOther := cred != nil && int(cred.Uid) != os.Getuid()
	if asOther {
		// What it leaves beyond its session is found too (see
		// orphanReaper).
		if err := reapBegin(); err != nil {
			return nil, &runError{path: c.Path, err: err}
		}
		defer reapEnd()
	}
	killed, err := runReaped(cmd, asOther)
	if another && !killed && cmd.Process != nil {
		// The group's ID stays the leader's until its last member goes,
		// so no other process has it: the processes the command left
		// in its group (and session) go with it. (Where the leader
		// could be waited for unreaped, runReaped killed them before
		// it was reaped: reviewer R10, once the group is empty and its
		// leader reaped, its ID could be another group's.)
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
	if asOther && cmd.Process != nil {
		if serr := sweepOrphans(int(cred.Uid)); serr != nil && err == nil {
			err = serr
		}
	}
	if err != nil {
		return out.Bytes(), &runError{path: c.Path, err: err, tail: lastLines(out.Bytes(), runTailLines)}
	}
	return out.Bytes(), nil
}

// runReaped runs cmd; one run as another account is started so that
// the sweep after it knows its PID, and, where it can be waited for
// without being reaped (exitedUnreaped), what is left in its process
// group is killed while the leader's ID still holds the group's
// (killed).
func runReaped(cmd *exec.Cmd, asOther bool) (killed bool, err error) {
	if !asOther {
		return false, cmd.Run()
	}
	if err := startReaped(cmd); err != nil {
		return false, err
	}
	defer waited(cmd.Process.Pid)
	if exitedUnreaped(cmd.Process.Pid) {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		killed = true
	}
	return killed, cmd.Wait()
}

// credential returns the credential to run a command as uid and gid, or
// nil when both are -1 or those of this process (so that nothing changes,
// not even the supplementary groups).
func credential(uid, gid int) *syscall.Credential {
	if uid == -1 && gid == -1 {
		return nil
	}
	if uid == -1 {
		uid = os.Getuid()
	}
	if gid == -1 {
		gid = os.Getgid()
	}
	if uid == os.Getuid() && gid == os.Getgid() {
		return nil
	}
	c := &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	if uid != os.Getuid() {
		c.Groups = groupsOf(uid)
	}
	return c
}

// groupsOf is the supplementary groups of account uid, as the local
// account files give them (os/user), so that a command run as her has
// the groups a login of hers has (reviewer R10: her hook had none).
// nil when they cannot be told: then none. Release builds have no cgo,
// so groups of a name service only (LDAP, SSSD) are not found (reviewer
// R11); the option's description says so.
func groupsOf(uid int) []uint32 {
	u, err := user.LookupId(strconv.Itoa(uid))
	if err != nil {
		return nil
	}
	ids, err := u.GroupIds()
	if err != nil {
		return nil
	}
	var groups []uint32
	for _, s := range ids {
		if g, err := strconv.ParseUint(s, 10, 32); err == nil {
			groups = append(groups, uint32(g))
		}
	}
	return groups
}

// A runError is the error of a command that failed. Its text is made when
// asked for, so that Rooted can rewrite the paths in err.
type runError struct {
	path string
	err  error
	tail []string
}

func (e *runError) Error() string {
	var b strings.Builder
	b.WriteString("run ")
	b.WriteString(e.path)
	b.WriteString(": ")
	b.WriteString(e.err.Error())
	for _, l := range e.tail {
		b.WriteString("\n\t")
		b.WriteString(l)
	}
	return b.String()
}

func (e *runError) Unwrap() error { return e.err }

// lastLines returns the last n non-empty lines of out.
func lastLines(out []byte, n int) []string {
	var lines []string
	for _, l := range strings.Split(string(out), "\n") {
		if l = strings.TrimRight(l, " \t\r"); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return lines
}

// pathError returns err as an *fs.PathError about name, dropping the
// names of temporary files from the errors of the helpers.
func pathError(op, name string, err error) error {
	return &fs.PathError{Op: op, Path: name, Err: innerError(err)}
}

// innerError returns the cause of a path or link error, or err itself.
func innerError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// OpenAppend opens name for appending (created with perm when missing).
// It is open for reading too: MapLog's shared mapping needs both.
func (r *Real) OpenAppend(name string, perm fs.FileMode) (io.WriteCloser, error) {
	if d, rel := r.confined.lookup(name); d != nil {
		return d.openAppend(name, rel, perm)
	}
	return os.OpenFile(name, os.O_RDWR|os.O_APPEND|os.O_CREATE, perm)
}

// Units connects to the systemd manager of scope over D-Bus (see
// dbusUnits for how); the error wraps ErrNoManager when it is not
// running. Linux only.
func (r *Real) Units(ctx context.Context, scope UnitScope) (Units, error) {
	if runtime.GOOS != "linux" {
		return nil, fmt.Errorf("systemd units: not supported on %s", runtime.GOOS)
	}
	u, err := newDBusUnits(ctx, scope)
	if err != nil {
		return nil, err
	}
	if scope.System() {
		u.watch = r.watch
	}
	if !scope.System() && scope.UID != os.Geteuid() {
		return peerUnits{u}, nil
	}
	return u, nil
}

// Hostname returns the static host name, read from /etc/hostname ("" when
// the file is missing).
func (r *Real) Hostname(context.Context) (string, error) { return readHostname(r) }

// SetHostname sets the static host name through org.freedesktop.hostname1
// on the system bus (2 s at most); when the bus or hostnamed is not
// there, it writes /etc/hostname (atomically, 0644) and calls
// sethostname(2). Linux only.
func (r *Real) SetHostname(ctx context.Context, name string) error {
	return setHostname(ctx, r, name)
}
