package main

import (
	"io"

	"os"
	"os/user"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/gocfg/gocfg/modules"
	"github.com/gocfg/gocfg/platform/system"
	"golang.org/x/term"
)

// Env is what commands know of the world outside them.
type Env struct {
	Stdout, Stderr io.Writer
	// ColorOut and ColorErr: whether each stream takes ANSI colour (a
	// terminal, and NO_COLOR unset).
	ColorOut, ColorErr bool
	Getenv             func(string) string
	// WorkDir is the working folder; file names are shown relative to it.
	WorkDir string
	// Hostname is the machine's short host name.
	Hostname string
	// User is the invoking user (SUDO_USER under sudo).
	User string
	// Home is the invoking user's home folder.
	Home string
	// OS and Arch describe this machine (runtime.GOOS, GOARCH).
	OS, Arch string
	// Distro is this machine's distribution family, host.distro
	// (modules.ReadDistro).
	Distro string
	// EUID is the effective user ID (0: root).
	EUID int
	// PID is this process's ID (written into the state lock).
	PID int
	// Now is the clock.
	Now func() time.Time
	// Kill ends this process at once (SIGKILL); the test-only fault hook
	// GOCFG_TEST_KILL_AT uses it to test recovery.
	Kill func()
	// StderrTTY: stderr is a terminal (progress is shown).
	StderrTTY bool
	// Columns is the width of the terminal that w is, now; 0 where w is
	// no terminal, or Columns is nil. Deploy cuts a host's long lines to
	// it (deploy.Output.Wrap).
	Columns func(w io.Writer) int
	// Interrupts, set for the gocfg process (runProcess), turns SIGINT
	// and SIGTERM into the cancellation of the command's context while a
	// switch or rollback applies; nil leaves the signals alone.
	Interrupts *interrupts
	// WrapSystem, when set, decorates the machine's System before anything
	// else does (--root, then read-only or --dry-run; see openMachine).
	// Only tests set it: the end-to-end scripts put internal/macfake, a
	// fake Mac in a folder, there.
	WrapSystem func(system.System) system.System
	// tree is the --root folder of the machine the command opened ("":
	// none), for the hints that name a path to look at on this machine
	// (appendDiskHint).
	tree string
}

// processEnv describes the running process.
func processEnv() *Env {
	e := &Env{
		Stdout: os.Stdout, Stderr: os.Stderr,
		Getenv: os.Getenv,
		OS:     runtime.GOOS, Arch: runtime.GOARCH,
	}
	e.EUID, e.PID, e.Now = os.Geteuid(), os.Getpid(), time.Now
	e.Distro = modules.ReadDistro(e.OS, "")
	e.Kill = func() { _ = syscall.Kill(os.Getpid(), syscall.SIGKILL) }
	e.StderrTTY = isTerminal(os.Stderr)
	e.Columns = terminalColumns
	noColor := os.Getenv("NO_COLOR") != ""
	e.ColorOut = !noColor && isTerminal(os.Stdout)
	e.ColorErr = !noColor && isTerminal(os.Stderr)
	e.WorkDir, _ = os.Getwd()
	if h, err := os.Hostname(); err == nil {
		e.Hostname, _, _ = strings.Cut(h, ".")
	}
	e.Home = os.Getenv("HOME")
	if u, err := user.Current(); err == nil {
		e.User = u.Username
		if e.Home == "" {
			e.Home = u.HomeDir
		}
	}
	if s := os.Getenv("SUDO_USER"); s != "" && os.Geteuid() == 0 {
		e.User = s
	}
	return e
}

// isTerminal reports whether f is a terminal: a character device that
// answers the terminal ioctl, not any character device (/dev/null is
// one: `gocfg switch 2>/dev/null` showed colours and progress to it).
func isTerminal(f *os.File) bool {
	return term.IsTerminal(int(f.Fd()))
}

// terminalColumns is the width of the terminal that w is, 0 where it is
// none. A terminal that says it has 0 columns (a new pseudo-terminal
// before its first resize: script(1), ssh -tt from a pipe, docker exec
// -t) is taken as $COLUMNS wide, else 80 (reviewer R18: nothing was cut
// there).
func terminalColumns(w io.Writer) int {
	f, ok := w.(*os.File)
	if !ok || !isTerminal(f) {
		return 0
	}
	if cols, _, err := term.GetSize(int(f.Fd())); err == nil && cols > 0 {
		return cols
	}
	if cols, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && cols > 0 {
		return cols
	}
	return 80
}
