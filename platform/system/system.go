package system

import (
	"context"
	"io"
	"io/fs"
)

// A System reads and changes the machine. Paths are absolute machine
// paths (see the package documentation). Errors are *fs.PathError or
// *fs.LinkError style, path first.
type System interface {
	// Lstat describes name without following a final symlink.
	Lstat(name string) (fs.FileInfo, error)
	// Stat describes name, following symlinks.
	Stat(name string) (fs.FileInfo, error)
	// Readlink returns a symlink's target as stored.
	Readlink(name string) (string, error)
	// ReadDir lists a folder, sorted by name.
	ReadDir(name string) ([]fs.DirEntry, error)
	// ReadDirTypes lists a folder as ReadDir does, but need not take each
	// entry's Info as it lists it: a regular file or a folder may have
	// only the type the listing gave, its Info then asked of the path. It
	// is for a walk that opens the files it finds and takes their stat
	// from the open (see the files provider's first switch).
	ReadDirTypes(name string) ([]fs.DirEntry, error)
	// Open opens a file for reading.
	Open(name string) (io.ReadCloser, error)
	// ReadFile reads a whole file.
	ReadFile(name string) ([]byte, error)
	// EvalSymlinks resolves every symlink in name and returns the machine
	// path it leads to. Under a root, a path that leads outside the root is
	// an error wrapping ErrEscapes.
	EvalSymlinks(name string) (string, error)

	// WriteFile replaces name atomically (temporary file in the same
	// folder, fsync, rename) with data and mode perm.
	WriteFile(name string, data []byte, perm fs.FileMode) error
	// WriteNewFile is WriteFile for a name that must not exist: the
	// complete file appears at name at once (a temporary file hard-linked
	// to it), or the error wraps fs.ErrExist and nothing that appeared at
	// name meanwhile is replaced.
	WriteNewFile(name string, data []byte, perm fs.FileMode) error
	// CreateFile creates a new file that must not exist (O_EXCL) with the
	// content read from r and mode perm. Not atomic: for store objects
	// written inside a temporary folder that is renamed into place.
	CreateFile(name string, r io.Reader, perm fs.FileMode) error
	// OpenAppend opens name for appending, creating it with mode perm when
	// missing. Writes are not synced (the journal's progress log). Real's
	// file is open for reading too, so that MapLog can map it.
	OpenAppend(name string, perm fs.FileMode) (io.WriteCloser, error)
	// Mkdir creates one folder.
	Mkdir(name string, perm fs.FileMode) error
	// MkdirAll creates a folder and its missing parents.
	MkdirAll(name string, perm fs.FileMode) error
	// Symlink creates newname as a symlink to oldname; newname must not
	// exist. oldname is stored as given (never relocated).
	Symlink(oldname, newname string) error
	// ReplaceSymlink atomically makes newname a symlink to oldname,
	// replacing whatever file or symlink is there (renameio.Symlink).
	ReplaceSymlink(oldname, newname string) error
	// Link creates newname as a hard link to oldname.
	Link(oldname, newname string) error
	// Rename renames (moves) oldpath to newpath, atomically.
	Rename(oldpath, newpath string) error
	// Exchange atomically swaps the names a and b, which must both exist
	// (files, links or folders, in the same file system): a program that
	// opens either name at any moment finds one of the two, never
	// nothing (renameat2 RENAME_EXCHANGE on Linux, renamex_np
	// RENAME_SWAP on macOS). It lets a file be replaced by one made
	// beside it while what was there is still checked after the swap, as
	// a rename aside would (the files provider's WriteOp). The error
	// wraps errors.ErrUnsupported where the file system or the kernel
	// cannot swap (NFS, a kernel before 3.15, FUSE file systems without
	// it): callers then move aside and write, as before.
	Exchange(a, b string) error
	// Remove removes a file, a symlink or an empty folder.
	Remove(name string) error
	// RemoveDir removes an empty folder and nothing else: a file or a
	// link at name is left (an error wrapping syscall.ENOTDIR), as is a
	// folder with something in it (ENOTEMPTY or EEXIST). It is how an
	// undo takes away a folder it made, where another account may have
	// put something else since.
	RemoveDir(name string) error
	// RemoveAll removes a folder tree, making read-only folders writable
	// first.
	RemoveAll(name string) error
	// RemoveUnshared removes the regular file name (never following a
	// link) unless a program has it open for writing, and only when
	// check, given what name is and its content as read then, returns
	// nil: a program that opened the file earlier could still write to
	// it after any check made before, and what it writes would be lost
	// with the file. While check runs and until name is unlinked, no
	// program can open the file for writing (a Linux lease; see
	// Real.RemoveUnshared for where that is not possible). The error
	// wraps ErrShared when a program has it open for writing; check's
	// own error is returned as it is; either way nothing is removed.
	// check may be nil.
	RemoveUnshared(name string, check func(fi fs.FileInfo, content io.Reader) error) error
	// Chmod changes a file's mode.
	Chmod(name string, mode fs.FileMode) error
	// Lchown changes the owner of name without following a symlink.
	Lchown(name string, uid, gid int) error
	// Sync flushes every write on the filesystem holding name to disk
	// (syncfs(2) where there is one, else fsync of name).
	Sync(name string) error
	// Lock takes an exclusive, non-blocking lock on the file name
	// (created when missing) and writes pid into it. When another process
	// holds it, the error wraps ErrLocked and is a *LockedError naming the
	// holder's pid.
	Lock(name string, pid int) (Unlocker, error)

	// Confine registers dir (a machine path), a folder whose contents
	// another account controls, such as a user's home when root switches
	// it: every later file operation below dir resolves from dir's
	// descriptor and never follows a link out of it (DESIGN.md §7; see
	// Real). Decorators pass it on; a System that writes nothing may
	// ignore it.
	Confine(dir string)

	// GrantRead lets the account uid read and search the folder dir,
	// and nobody else but dir's owner (a POSIX access ACL: user::rwx
	// user:<uid>:r-x group::--- mask::r-x other::---), so a user reads
	// their own store area that root owns. The error wraps
	// errors.ErrUnsupported where the file system or the platform has no
	// such ACL.
	GrantRead(dir string, uid int) error

	// Run runs a command and returns its combined output. ReadOnly runs
	// only the commands marked Command.ReadOnly, and Rooted only those
	// marked ReadOnly or Tree.
	Run(ctx context.Context, c Command) ([]byte, error)

	// Units connects to a systemd manager (over D-Bus for Real; offline
	// under Rooted, where enabling makes the links `systemctl --root`
	// would and jobs are skipped; logged by DryRun).
	Units(ctx context.Context, scope UnitScope) (Units, error)
	// Hostname returns the machine's static host name ("" when unset).
	Hostname(ctx context.Context) (string, error)
	// SetHostname sets the static host name: through
	// org.freedesktop.hostname1 when it answers, else /etc/hostname and
	// sethostname(2); under a root, /etc/hostname only.
	SetHostname(ctx context.Context, name string) error
}

// An Unlocker releases a lock taken with System.Lock.
type Unlocker interface {
	Unlock() error
}

// A Command is a program to run.
type Command struct {
	// Path is the program; Args are its arguments (without Path).
	Path string
	Args []string
	// Env is the whole environment, or nil for gocfg's own.
	Env []string
	// Dir is the working folder (a machine path), or "" for gocfg's own.
	Dir string
	// UID and GID, when not -1, run the command as that user (only root
	// can).
	UID, GID int
	// ReadOnly says that the command only reads the machine, changing
	// nothing (dpkg-query, apt-cache policy, rpm -q, pacman -Q, brew
	// list, defaults export, scutil --get, dscl -read, launchctl print,
	// id, useradd --help): a ReadOnly System runs it and refuses every
	// other command, and a Rooted runs it on the host (so what it reads
	// is the host's, not the tree's).
	ReadOnly bool
	// Tree says that the command changes only the tree its own arguments
	// name (useradd --root DIR): a Rooted runs it. A command that is
	// neither ReadOnly nor Tree would change the host, and a Rooted
	// refuses it.
	Tree bool
	// Another says that the command runs as another account through a
	// program that changes user itself (macOS: launchctl asuser … sudo
	// -u), with UID and GID -1: Run treats it as one run with another
	// UID (reviewer R10): in a session of its own, without gocfg's
	// terminal, its output kept to its last 64 KiB.
	Another bool
	// Stdin is the command's standard input (nil: none), such as the
	// content of a file a check command validates as /dev/stdin.
	Stdin []byte
}
