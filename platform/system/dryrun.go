package system

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"sync"

	"github.com/gocfg/gocfg/internal/filestat"
)

var _ System = (*DryRun)(nil)

// A DryRun is a System for `--dry-run`: reads pass through to its base,
// and every change (writes, links, ownership, commands, locks) is only
// recorded, as one human-readable line, and reported done. Reads do not see
// the recorded changes. It is safe for concurrent use.
type DryRun struct {
	baseReads

	mu  sync.Mutex
	log []string
}

// NewDryRun returns a System that reads from base and changes nothing.
func NewDryRun(base System) *DryRun { return &DryRun{baseReads: baseReads{base}} }

// Log returns the changes recorded so far, in order, one line each (such
// as "write /etc/motd (12 bytes, 0644)").
func (d *DryRun) Log() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.log...)
}

// record appends a line to the log.
func (d *DryRun) record(format string, args ...any) {
	line := fmt.Sprintf(format, args...)
	d.mu.Lock()
	d.log = append(d.log, line)
	d.mu.Unlock()
}

// WriteFile records "write NAME (N bytes, MODE)".
func (d *DryRun) WriteFile(name string, data []byte, perm fs.FileMode) error {
	d.record("write %s (%d bytes, %s)", name, len(data), octal(perm))
	return nil
}

// WriteNewFile records "write NAME (N bytes, MODE)".
func (d *DryRun) WriteNewFile(name string, data []byte, perm fs.FileMode) error {
	return d.WriteFile(name, data, perm)
}

// CreateFile reads r to its end and records "create NAME (N bytes,
// MODE)". An error reading r is returned as CreateFile's.
func (d *DryRun) CreateFile(name string, r io.Reader, perm fs.FileMode) error {
	n, err := io.Copy(io.Discard, r)
	if err != nil {
		return &fs.PathError{Op: "create", Path: name, Err: err}
	}
	d.record("create %s (%d bytes, %s)", name, n, octal(perm))
	return nil
}

// Mkdir records "mkdir NAME (MODE)".
func (d *DryRun) Mkdir(name string, perm fs.FileMode) error {
	d.record("mkdir %s (%s)", name, octal(perm))
	return nil
}

// MkdirAll records "mkdir -p NAME (MODE)".
func (d *DryRun) MkdirAll(name string, perm fs.FileMode) error {
	d.record("mkdir -p %s (%s)", name, octal(perm))
	return nil
}

// Symlink records "symlink NEWNAME -> OLDNAME".
func (d *DryRun) Symlink(oldname, newname string) error {
	d.record("symlink %s -> %s", newname, oldname)
	return nil
}

// ReplaceSymlink records "symlink NEWNAME -> OLDNAME (replace)".
func (d *DryRun) ReplaceSymlink(oldname, newname string) error {
	d.record("symlink %s -> %s (replace)", newname, oldname)
	return nil
}

// Link records "link NEWNAME => OLDNAME" (a hard link).
func (d *DryRun) Link(oldname, newname string) error {
	d.record("link %s => %s", newname, oldname)
	return nil
}

// Rename records "rename OLDPATH -> NEWPATH".
func (d *DryRun) Rename(oldpath, newpath string) error {
	d.record("rename %s -> %s", oldpath, newpath)
	return nil
}

// Exchange records "exchange A <-> B".
func (d *DryRun) Exchange(a, b string) error {
	d.record("exchange %s <-> %s", a, b)
	return nil
}

// Remove records "remove NAME".
func (d *DryRun) Remove(name string) error {
	d.record("remove %s", name)
	return nil
}

// RemoveDir records "rmdir NAME".
func (d *DryRun) RemoveDir(name string) error {
	d.record("rmdir %s", name)
	return nil
}

// RemoveAll records "remove -r NAME".
func (d *DryRun) RemoveAll(name string) error {
	d.record("remove -r %s", name)
	return nil
}

// RemoveUnshared records "remove NAME (unless open for writing)"
// without calling check: what a switch moved aside is not there in a dry
// run.
func (d *DryRun) RemoveUnshared(name string, _ func(fs.FileInfo, io.Reader) error) error {
	d.record("remove %s (unless open for writing)", name)
	return nil
}

// Chmod records "chmod NAME MODE".
func (d *DryRun) Chmod(name string, mode fs.FileMode) error {
	d.record("chmod %s %s", name, octal(mode))
	return nil
}

// GrantRead records "setfacl NAME u:UID:r-x".
func (d *DryRun) GrantRead(name string, uid int) error {
	d.record("setfacl %s u:%d:r-x", name, uid)
	return nil
}

// Lchown records "chown NAME UID:GID".
func (d *DryRun) Lchown(name string, uid, gid int) error {
	d.record("chown %s %d:%d", name, uid, gid)
	return nil
}

// Sync records "sync NAME".
func (d *DryRun) Sync(name string) error {
	d.record("sync %s", name)
	return nil
}

// Lock records "lock NAME (pid PID)" and returns an Unlocker that does
// nothing: a dry run writes nothing, not even a lock file.
func (d *DryRun) Lock(name string, pid int) (Unlocker, error) {
	d.record("lock %s (pid %d)", name, pid)
	return noUnlock{}, nil
}

// noUnlock is the Unlocker of a lock never taken.
type noUnlock struct{}

func (noUnlock) Unlock() error { return nil }

// Run records "run PATH ARGS...", quoted as for a shell, with the user
// and working folder when set, and returns no output.
func (d *DryRun) Run(_ context.Context, c Command) ([]byte, error) {
	d.record("run %s", commandLine(c))
	return nil, nil
}

// commandLine shows c as a shell would take it, "PATH ARGS...", with
// " (in DIR)" and " (as UID:GID)" when they are set.
func commandLine(c Command) string {
	var b strings.Builder
	b.WriteString(ShellQuote(c.Path))
	for _, a := range c.Args {
		b.WriteByte(' ')
		b.WriteString(ShellQuote(a))
	}
	if c.Dir != "" {
		fmt.Fprintf(&b, " (in %s)", c.Dir)
	}
	if c.UID != -1 || c.GID != -1 {
		fmt.Fprintf(&b, " (as %d:%d)", c.UID, c.GID)
	}
	return b.String()
}

// octal formats mode's permission and special bits as chmod(1) takes
// them: 0644, 4755.
func octal(mode fs.FileMode) string { return fmt.Sprintf("%04o", filestat.SyscallMode(mode)) }

// ShellQuote returns s as a shell word: unchanged when it is made of
// safe characters only, else in single quotes.
func ShellQuote(s string) string {
	if s == "" {
		return "''"
	}
	safe := true
	for _, c := range s {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.ContainsRune("@%+=:,./_-", c):
		default:
			safe = false
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// OpenAppend records the open and returns a writer that discards.
func (d *DryRun) OpenAppend(name string, perm fs.FileMode) (io.WriteCloser, error) {
	d.record("append %s (%s)", name, octal(perm))
	return nopWriteCloser{}, nil
}

type nopWriteCloser struct{}

func (nopWriteCloser) Write(p []byte) (int, error) { return len(p), nil }
func (nopWriteCloser) Close() error                { return nil }

// Units returns Units whose State and Journal read from the base's Units
// and whose changes are only recorded, as `systemctl` command lines
// ("systemctl enable x.service", "systemctl --user --machine=alice@ start
// x.service"). When the base cannot connect, the changes are still
// recorded and State returns the connection's error.
func (d *DryRun) Units(ctx context.Context, scope UnitScope) (Units, error) {
	base, err := d.base.Units(ctx, scope)
	return &dryRunUnits{d: d, scope: scope, base: base, err: err}, nil
}

// Hostname returns the base's static host name.
func (d *DryRun) Hostname(ctx context.Context) (string, error) { return d.base.Hostname(ctx) }

// SetHostname records "hostnamectl set-hostname NAME".
func (d *DryRun) SetHostname(_ context.Context, name string) error {
	d.record("hostnamectl set-hostname %s", ShellQuote(name))
	return nil
}
