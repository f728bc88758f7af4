package system

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

var _ System = (*ReadOnly)(nil)

// ErrReadOnly is wrapped by the error of every change a ReadOnly System
// refuses. It means a bug: a command that must change nothing (gocfg
// plan, gocfg status) tried to.
var ErrReadOnly = errors.New("refused: this gocfg command changes nothing")

// A ReadOnly is the System of the commands that must change nothing
// (`gocfg plan`, `gocfg status`): reads pass through to its base, and
// every change fails with an error that wraps ErrReadOnly and names the
// operation and the path (an *fs.PathError, an *os.LinkError for the
// calls that take two names). Run runs only the commands that say they
// only read the machine (Command.ReadOnly); the Units it returns read
// states and refuse jobs and links. Where DryRun pretends that a change
// was made, ReadOnly fails loudly, so a provider that writes while it
// plans is found at once instead of being trusted.
//
// Confine is passed on, since the base's reads follow it. ReadOnly is
// safe for concurrent use when its base is.
type ReadOnly struct {
	baseReads
}

// NewReadOnly returns a System that reads from base and refuses every
// change.
func NewReadOnly(base System) *ReadOnly { return &ReadOnly{baseReads{base}} }

// refuse returns the error of operation op on name.
func refuse(op, name string) error { return &fs.PathError{Op: op, Path: name, Err: ErrReadOnly} }

// refuseLink returns the error of operation op from oldname to newname.
func refuseLink(op, oldname, newname string) error {
	return &os.LinkError{Op: op, Old: oldname, New: newname, Err: ErrReadOnly}
}

// WriteFile refuses: "write NAME: refused: ...".
func (*ReadOnly) WriteFile(name string, _ []byte, _ fs.FileMode) error {
	return refuse("write", name)
}

// WriteNewFile refuses: "write NAME: refused: ...".
func (*ReadOnly) WriteNewFile(name string, _ []byte, _ fs.FileMode) error {
	return refuse("write", name)
}

// CreateFile refuses without reading r: "create NAME: refused: ...".
func (*ReadOnly) CreateFile(name string, _ io.Reader, _ fs.FileMode) error {
	return refuse("create", name)
}

// OpenAppend refuses: "append NAME: refused: ...".
func (*ReadOnly) OpenAppend(name string, _ fs.FileMode) (io.WriteCloser, error) {
	return nil, refuse("append", name)
}

// Mkdir refuses: "mkdir NAME: refused: ...".
func (*ReadOnly) Mkdir(name string, _ fs.FileMode) error { return refuse("mkdir", name) }

// MkdirAll refuses, even when the folder exists already: "mkdir NAME:
// refused: ...".
func (*ReadOnly) MkdirAll(name string, _ fs.FileMode) error { return refuse("mkdir", name) }

// Symlink refuses: "symlink OLDNAME NEWNAME: refused: ...".
func (*ReadOnly) Symlink(oldname, newname string) error {
	return refuseLink("symlink", oldname, newname)
}

// ReplaceSymlink refuses: "symlink OLDNAME NEWNAME: refused: ...".
func (*ReadOnly) ReplaceSymlink(oldname, newname string) error {
	return refuseLink("symlink", oldname, newname)
}

// Link refuses: "link OLDNAME NEWNAME: refused: ...".
func (*ReadOnly) Link(oldname, newname string) error { return refuseLink("link", oldname, newname) }

// Rename refuses: "rename OLDPATH NEWPATH: refused: ...".
func (*ReadOnly) Rename(oldpath, newpath string) error {
	return refuseLink("rename", oldpath, newpath)
}

// Exchange refuses: "exchange A B: refused: ...".
func (*ReadOnly) Exchange(a, b string) error { return refuseLink("exchange", a, b) }

// Remove refuses: "remove NAME: refused: ...".
func (*ReadOnly) Remove(name string) error { return refuse("remove", name) }

// RemoveDir is refused.
func (*ReadOnly) RemoveDir(name string) error { return refuse("rmdir", name) }

// RemoveAll refuses: "removeall NAME: refused: ...".
func (*ReadOnly) RemoveAll(name string) error { return refuse("removeall", name) }

// RemoveUnshared refuses without calling check: "remove NAME: refused:
// ...".
func (*ReadOnly) RemoveUnshared(name string, _ func(fs.FileInfo, io.Reader) error) error {
	return refuse("remove", name)
}

// Chmod refuses: "chmod NAME: refused: ...".
func (*ReadOnly) Chmod(name string, _ fs.FileMode) error { return refuse("chmod", name) }

// Lchown refuses: "lchown NAME: refused: ...".
func (*ReadOnly) Lchown(name string, _, _ int) error { return refuse("lchown", name) }

// GrantRead refuses: "setfacl DIR: refused: ...".
func (*ReadOnly) GrantRead(dir string, _ int) error { return refuse("setfacl", dir) }

// Lock refuses, since taking a lock writes the lock file: "lock NAME:
// refused: ...". Commands that change nothing do not lock; they read
// the lock file to say who holds it.
func (*ReadOnly) Lock(name string, _ int) (Unlocker, error) { return nil, refuse("lock", name) }

// Sync does nothing and returns nil: nothing was written to flush.
func (*ReadOnly) Sync(string) error { return nil }

// Run runs c on the base System when c.ReadOnly says that it only reads
// the machine (dpkg-query, defaults export, launchctl print); any other
// command is refused: "run PATH ARGS...: refused: ...".
func (r *ReadOnly) Run(ctx context.Context, c Command) ([]byte, error) {
	if !c.ReadOnly {
		return nil, fmt.Errorf("run %s: %w", commandLine(c), ErrReadOnly)
	}
	return r.base.Run(ctx, c)
}

// Units returns the base's Units for scope, whose State and Journal
// pass through and whose jobs and links (daemon-reload, enable, disable,
// start, stop, restart, reload, reset-failed) are refused: "systemctl
// enable NAME: refused: ...".
func (r *ReadOnly) Units(ctx context.Context, scope UnitScope) (Units, error) {
	u, err := r.base.Units(ctx, scope)
	if err != nil {
		return nil, err
	}
	return &readOnlyUnits{base: u, scope: scope}, nil
}

// Hostname returns the base's static host name.
func (r *ReadOnly) Hostname(ctx context.Context) (string, error) { return r.base.Hostname(ctx) }

// SetHostname refuses: "hostnamectl set-hostname NAME: refused: ...".
func (*ReadOnly) SetHostname(_ context.Context, name string) error {
	return fmt.Errorf("hostnamectl set-hostname %s: %w", ShellQuote(name), ErrReadOnly)
}

var _ Units = (*readOnlyUnits)(nil)

// A readOnlyUnits is the Units of a ReadOnly: reads go to the base's
// Units, changes are refused.
type readOnlyUnits struct {
	base  Units
	scope UnitScope
}

// refuse returns the error of `systemctl args...`.
func (u *readOnlyUnits) refuse(args ...string) error {
	return fmt.Errorf("%s: %w", systemctlLine(u.scope, args...), ErrReadOnly)
}

// DaemonReload refuses.
func (u *readOnlyUnits) DaemonReload(context.Context) error { return u.refuse("daemon-reload") }

// Enable refuses.
func (u *readOnlyUnits) Enable(_ context.Context, names []string) error {
	return u.refuse(append([]string{"enable"}, names...)...)
}

// Disable refuses.
func (u *readOnlyUnits) Disable(_ context.Context, names []string) error {
	return u.refuse(append([]string{"disable"}, names...)...)
}

// Start refuses.
func (u *readOnlyUnits) Start(_ context.Context, name string) error { return u.refuse("start", name) }

// Stop refuses.
func (u *readOnlyUnits) Stop(_ context.Context, name string) error { return u.refuse("stop", name) }

// Restart refuses.
func (u *readOnlyUnits) Restart(_ context.Context, name string) error {
	return u.refuse("restart", name)
}

// Reload refuses.
func (u *readOnlyUnits) Reload(_ context.Context, name string) error {
	return u.refuse("reload", name)
}

// ResetFailed refuses.
func (u *readOnlyUnits) ResetFailed(_ context.Context, name string) error {
	return u.refuse("reset-failed", name)
}

// State reads the unit's state from the base's Units.
func (u *readOnlyUnits) State(ctx context.Context, name string) (UnitState, error) {
	return u.base.State(ctx, name)
}

// Journal reads the base's journal.
func (u *readOnlyUnits) Journal(ctx context.Context, name string, n int) string {
	return u.base.Journal(ctx, name, n)
}

// Close closes the base's Units.
func (u *readOnlyUnits) Close() error { return u.base.Close() }
