package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"syscall"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/internal/buildinfo"
	"github.com/gocfg/gocfg/internal/diagnostics"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/files"
	"github.com/gocfg/gocfg/platform/secrets"
	"github.com/gocfg/gocfg/platform/system"
)

// A busyError is the state lock held by another gocfg. It unwraps to
// the lock's error, which a deploy agent's rollback waits out
// (retryUnchanged).
type busyError struct{ le *system.LockedError }

func (e busyError) Error() string {
	return fmt.Sprintf("%s: another gocfg (pid %d) is changing this machine", e.le.Path, e.le.PID)
}

func (e busyError) Unwrap() error { return e.le }

// lock takes the state lock and finishes or undoes an interrupted switch.
func (m *machine) lock(ctx context.Context) (system.Unlocker, error) {
	u, err := m.store.Lock(m.env.PID)
	var le *system.LockedError
	if errors.As(err, &le) {
		return nil, withHints(busyError{le}, "wait for it to finish, then run this again")
	}
	if err != nil {
		return nil, fmt.Errorf("lock the state folder: %w", err)
	}
	m.confineForRecovery()
	ctx, err = m.recoveryContext(ctx)
	if err != nil {
		_ = u.Unlock()
		return nil, err
	}
	r, err := m.engine.Recover(ctx)
	var de *generations.DamagedError
	if errors.As(err, &de) {
		_ = u.Unlock()
		return nil, m.damagedJournal(err)
	}
	if errors.Is(err, platform.ErrNeedsKeys) {
		_ = u.Unlock()
		return nil, withHints(err, "run gocfg switch or rollback with --root "+m.rootDir+" --secrets --identity FILE, a key its users' secrets are encrypted to: it finishes the undo first",
			"if no one has that key any more: the same command with --identity FILE, any age key (age-keygen -o FILE), gives up that undo; each such file keeps what it holds, and the next switch holds it until it is moved away")
	}
	if err != nil {
		_ = u.Unlock()
		if ue := (*platform.UnknownOpError)(nil); errors.As(err, &ue) {
			return nil, withHints(err, unknownOpHint(ue))
		}
		return nil, withHints(err, "the journal is "+m.store.JournalPath()+"; fix the cause and run gocfg again")
	}
	if r != nil {
		fmt.Fprintf(m.env.Stderr, "gocfg: %s\n", r)
		for _, p := range r.Problems {
			fmt.Fprintf(m.env.Stderr, "gocfg: warning: %s\n", diagnostics.Escaped(fmt.Sprint(p)))
		}
		// The recovery may have made or removed accounts: the command
		// plans against the database as it is now (tester T: an undone
		// deletion, then "user bob does not exist on this machine").
		if db, err := m.readAccounts(); err == nil {
			m.accounts = db
			m.confineHomes()
		}
	}
	return u, nil
}

// confineForRecovery, as root and when there is a switch to recover,
// puts every folder of /etc that another account may change behind the
// privilege boundary before the recovery's undo runs (files.ConfineTree):
// the plan that confined the folders its ops go through is gone. Homes
// are confined when the machine is opened (confineHomes), and a secret's
// link ops confine their folder themselves. A folder that cannot be read
// is left to the undo, which reports what it cannot do.
func (m *machine) confineForRecovery() {
	if !m.privileged {
		return
	}
	if _, err := m.sys.Lstat(m.store.JournalPath()); err != nil {
		return
	}
	_ = files.ConfineTree(m.sys, "/etc")
}

// recoveryContext gives the recovery of an interrupted switch, under
// --root --secrets --identity FILE, the identities of the command line:
// the undo of a user's secret decrypts the earlier one with them, as the
// switch did (the journal holds no key). Read only when a switch waits
// for recovery.
//
// Under --root without --identity, a secret whose undo needs keys is
// not undone with the tree's own identity files' failure taken for the
// user's doing: the recovery stops and keeps the journal for a command
// given the keys (secrets.WithoutCommandIdentities; tester AX: a gc
// finished the recovery with the users' new secrets in their homes,
// and every later switch held them as changed by them).
func (m *machine) recoveryContext(ctx context.Context) (context.Context, error) {
	if _, err := m.sys.Lstat(m.store.JournalPath()); err != nil {
		return ctx, nil
	}
	if len(m.identities) == 0 {
		if m.rooted {
			return secrets.WithoutCommandIdentities(ctx), nil
		}
		return ctx, nil
	}
	return secrets.WithCommandIdentities(ctx, m.host, m.identities)
}

// lockOrWarn starts a command that writes only sometimes: with write it
// takes the state lock (see lock); without, the command only reads, so
// it warns of a switch under way or interrupted (see warnPending) and
// returns a nil Unlocker.
func (m *machine) lockOrWarn(ctx context.Context, write bool) (system.Unlocker, error) {
	if write {
		return m.lock(ctx)
	}
	m.warnPending()
	return nil, nil
}

// openLockOrWarn opens the machine of f (see openMachine) and starts a
// command on it as lockOrWarn does: with write it takes the state lock,
// which unlock releases; without, it only warns (unlock does nothing).
func openLockOrWarn(ctx context.Context, env *Env, f machineFlags, write bool) (m *machine, unlock func(), err error) {
	m, err = openMachine(env, f)
	if err != nil {
		return nil, nil, err
	}
	u, err := m.lockOrWarn(ctx, write)
	if err != nil {
		return nil, nil, err
	}
	if u == nil {
		return m, func() {}, nil
	}
	return m, func() { _ = u.Unlock() }, nil
}

// warnPending tells a command that does not lock about an interrupted
// switch, or a damaged journal. A switch under way holds the lock (see
// lockHolder).
func (m *machine) warnPending() {
	ok, err := m.engine.Pending()
	var de *generations.DamagedError
	if errors.As(err, &de) {
		fmt.Fprintf(m.env.Stderr, "gocfg: warning: %s: gocfg switch and rollback will stop until it is dealt with\n", diagnostics.Escaped(err.Error()))
		return
	}
	if ue := (*platform.UnknownOpError)(nil); errors.As(err, &ue) {
		fmt.Fprintf(m.env.Stderr, "gocfg: warning: a switch was interrupted, and %s: this gocfg's switch and rollback will stop; %s\n", diagnostics.Escaped(err.Error()), unknownOpHint(ue))
		return
	}
	if !ok {
		return
	}
	if pid := m.lockHolder(); pid > 0 {
		fmt.Fprintf(m.env.Stderr, "gocfg: warning: a switch is under way (pid %d); this shows the machine as it is now\n", pid)
		return
	}
	fmt.Fprintf(m.env.Stderr, "gocfg: warning: a switch was interrupted; %s\n", recoversFirst)
}

// recoverers names the commands that finish or undo an interrupted
// switch: every one that takes the state lock (see lock), not switch and
// rollback only (tester BI #8: generations gc and delete do too).
const recoverers = "the next gocfg command that changes the machine, such as switch, rollback, generations gc or delete"

// recoversFirst is what becomes of an interrupted switch, for a command
// that does not lock.
const recoversFirst = recoverers + ", finishes or undoes it first"

// unknownOpHint says what to do about a journal with a step this gocfg
// does not know.
func unknownOpHint(ue *platform.UnknownOpError) string {
	by := "the newer gocfg that was interrupted"
	switch ue.Version {
	case "":
	case buildinfo.Devel:
		by = "the development build of gocfg that was interrupted" // reviewer R31: not "gocfg devel"
	default:
		by = "gocfg " + ue.Version + ", which was interrupted,"
	}
	return "run " + by + " again (any of its commands that change the machine, such as gocfg switch): it finishes or undoes its switch; then this gocfg can go on"
}

// lockHolder returns the pid of the other process that holds the state
// lock now, else 0. Whether it is held is the kernel's word
// (system.LockHolder, on the lock's folder and file), not the pid left in
// the lock file: that stays after the lock is released, and its process
// gone, the pid may be another's (tester BI #4: a reused pid was
// reported as a switch under way). The pid is the one the kernel
// reports, else the one written. Where the kernel's list of locks cannot
// be read (macOS), a written pid whose process is alive is all there is
// to go by: it may be a reused one. Nothing is locked to find out: a
// probe could make a real switch's non-blocking lock fail.
func (m *machine) lockHolder() int {
	name := m.store.LockPath()
	written := m.writtenLockPID()
	var files []fs.FileInfo
	for _, p := range []string{system.LockFolder(name), name} {
		if fi, err := m.sys.Lstat(p); err == nil {
			files = append(files, fi)
		}
	}
	pid, held, known := system.LockHolder(written, files...)
	switch {
	case !known:
		pid = alivePID(written)
	case !held:
		return 0
	case pid <= 0:
		pid = written
	}
	if pid <= 0 || pid == m.env.PID {
		return 0
	}
	return pid
}

// writtenLockPID returns the pid written in the state lock file, or 0.
func (m *machine) writtenLockPID() int {
	data, err := m.sys.ReadFile(m.store.LockPath())
	if err != nil {
		return 0
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil || pid <= 0 {
		return 0
	}
	return pid
}

// alivePID returns pid when a process has it, else 0.
func alivePID(pid int) int {
	if pid <= 0 {
		return 0
	}
	if err := syscall.Kill(pid, 0); err == nil || errors.Is(err, syscall.EPERM) {
		return pid
	}
	return 0
}

// damagedJournal adds the remedies to err, a damaged journal: which
// steps of the interrupted switch ran, and how to undo them, is unknown.
func (m *machine) damagedJournal(err error) error {
	return withHints(err,
		"a switch or rollback was interrupted and gocfg cannot tell which of its steps ran; nothing was changed",
		"see what it left with gocfg status (and in the homes it touched: files it moved aside end in .gocfg-N~), "+
			"then delete "+m.store.JournalPath()+" and journal.log beside it, and run gocfg switch again")
}
