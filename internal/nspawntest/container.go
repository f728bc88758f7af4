package nspawntest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gocfg/gocfg/internal/testfs"
)

// Container is a booted container. Its methods may be called from
// several goroutines.
type Container struct {
	name    string
	pid1    int // the container's systemd, as the host sees it
	timeout time.Duration
	debs    bool // the local apt repository is bound at DebsMount

	console string        // file with the container's console output
	exited  chan struct{} // closed when the container has stopped

	proc process // how it runs: platform-specific
}

// env is the whole environment of a command run inside: nothing of the
// test process leaks in.
var env = []string{
	"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
	"HOME=/root",
	"USER=root",
	"LOGNAME=root",
	"LANG=C.UTF-8",
	"TERM=dumb",
	"DEBIAN_FRONTEND=noninteractive",
}

// Name is the container's machine name (its hostname at boot).
func (c *Container) Name() string { return c.name }

// PID is the host's PID of the container's systemd (PID 1 inside).
func (c *Container) PID() int { return c.pid1 }

// Console is the container's console output so far (systemd's boot and
// shutdown messages).
func (c *Container) Console() string {
	b, _ := os.ReadFile(c.console)
	return string(b)
}

// Exec runs args inside the container as root, in /, with a clean
// environment (PATH, HOME=/root, LANG=C.UTF-8, DEBIAN_FRONTEND=
// noninteractive), and returns its combined stdout and stderr. The error
// is an *exec.ExitError when the command ran and failed; its message
// carries the output.
func (c *Container) Exec(t testing.TB, args ...string) (string, error) {
	t.Helper()
	out, _, err := c.run(t, nil, false, args...)
	return out, err
}

// MustExec is Exec that fails the test when the command fails.
func (c *Container) MustExec(t testing.TB, args ...string) string {
	t.Helper()
	out, err := c.Exec(t, args...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// ExecAs runs args inside the container as user (a name or a UID) through
// runuser, with HOME and friends set by runuser and XDG_RUNTIME_DIR and
// DBUS_SESSION_BUS_ADDRESS pointing at /run/user/UID, so that
// `systemctl --user` reaches the user's manager when it runs (e.g. after
// `loginctl enable-linger USER`).
func (c *Container) ExecAs(t testing.TB, user string, args ...string) (string, error) {
	t.Helper()
	const script = `name=$(id -un -- "$1") && uid=$(id -u -- "$1") || exit 125
shift
exec runuser -u "$name" -- env XDG_RUNTIME_DIR="/run/user/$uid" DBUS_SESSION_BUS_ADDRESS="unix:path=/run/user/$uid/bus" "$@"`
	return c.Exec(t, append([]string{"sh", "-c", script, "sh", user}, args...)...)
}

// MustExecAs is ExecAs that fails the test when the command fails.
func (c *Container) MustExecAs(t testing.TB, user string, args ...string) string {
	t.Helper()
	out, err := c.ExecAs(t, user, args...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// WriteFile writes data to path inside the container (creating missing
// parent folders, root-owned, mode perm), or fails the test. It writes
// through the container's own view of its file system, so symbolic links
// inside resolve as the container sees them.
func (c *Container) WriteFile(t testing.TB, path string, data []byte, perm fs.FileMode) {
	t.Helper()
	const script = `set -e; mkdir -p -- "$(dirname -- "$1")"; cat >"$1"; chmod "$2" -- "$1"`
	mode := strconv.FormatUint(uint64(perm.Perm()), 8)
	if _, _, err := c.run(t, data, false, "sh", "-c", script, "sh", path, mode); err != nil {
		t.Fatalf("nspawntest: writing %s in container %s: %v", path, c.name, err)
	}
}

// CopyIn copies the host file hostPath to containerPath inside the
// container, keeping its permission bits, or fails the test.
func (c *Container) CopyIn(t testing.TB, hostPath, containerPath string) {
	t.Helper()
	fi, err := os.Stat(hostPath)
	if err != nil {
		t.Fatal(err)
	}
	c.WriteFile(t, containerPath, []byte(testfs.Read(t, hostPath)), fi.Mode())
}

// ReadFile returns the content of path inside the container; the error
// wraps fs.ErrNotExist when there is no such file.
func (c *Container) ReadFile(t testing.TB, path string) ([]byte, error) {
	t.Helper()
	const script = `[ -e "$1" ] || [ -L "$1" ] || exit 3; exec cat -- "$1"`
	_, stdout, err := c.run(t, nil, true, "sh", "-c", script, "sh", path)
	var ee *exec.ExitError
	if errors.As(err, &ee) && ee.ExitCode() == 3 {
		return nil, &fs.PathError{Op: "read", Path: path, Err: fs.ErrNotExist}
	}
	if err != nil {
		return nil, err
	}
	return stdout, nil
}

// UseLocalDebs makes apt inside see only the local repository that
// .ci/rootfs.sh prepared (hello and friends): it writes
// /etc/apt/sources.list with the single line
// "deb [trusted=yes] file:/srv/gocfg-debs ./", empties
// /etc/apt/sources.list.d and runs apt-get update. It skips the test when
// the repository was not built.
func (c *Container) UseLocalDebs(t testing.TB) {
	t.Helper()
	if !c.debs {
		unavailable(t, "no local apt repository in %s; build it with %s", DebsDir(), buildHint)
	}
	c.WriteFile(t, "/etc/apt/sources.list", []byte("deb [trusted=yes] file:"+DebsMount+" ./\n"), 0o644)
	c.MustExec(t, "sh", "-c", "rm -f /etc/apt/sources.list.d/*")
	c.MustExec(t, "apt-get", "update", "-q")
}

// run runs args in the container through nsenter, with stdin as its
// standard input. It returns the combined output, and stdout alone when
// separate is set (stderr then only goes into errors).
func (c *Container) run(t testing.TB, stdin []byte, separate bool, args ...string) (combined string, stdout []byte, err error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	return c.runContext(ctx, t, stdin, separate, args...)
}

// runContext is run, bounded by ctx instead of the container's ExecTimeout.
func (c *Container) runContext(ctx context.Context, t testing.TB, stdin []byte, separate bool, args ...string) (combined string, stdout []byte, err error) {
	t.Helper()
	if len(args) == 0 {
		return "", nil, errors.New("nspawntest: Exec without a command")
	}
	if c.pid1 == 0 {
		return "", nil, errors.New("nspawntest: the container is not running")
	}
	select {
	case <-c.exited:
		return "", nil, fmt.Errorf("nspawntest: container %s has stopped", c.name)
	default:
	}
	nsArgs := append([]string{"-t", strconv.Itoa(c.pid1), "-a", "-r", "-w", "--"}, args...)
	cmd := exec.CommandContext(ctx, "nsenter", nsArgs...)
	cmd.Env = env
	cmd.WaitDelay = 2 * time.Second // a daemon started in the background may hold the pipes
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var out, errOut bytes.Buffer
	if separate {
		cmd.Stdout, cmd.Stderr = &out, &errOut
	} else {
		cmd.Stdout, cmd.Stderr = &out, &out
	}
	start := time.Now()
	err = cmd.Run()
	t.Logf("nspawntest: %s$ %s (%s)", c.name, quote(args), time.Since(start).Round(time.Millisecond))
	if err != nil {
		msg := out.String()
		if separate {
			msg = errOut.String()
		}
		if ctx.Err() != nil {
			err = fmt.Errorf("%w (%v after %s)", err, ctx.Err(), time.Since(start).Round(time.Millisecond))
		}
		return out.String(), out.Bytes(), &execError{args: args, err: err, output: msg}
	}
	return out.String(), out.Bytes(), nil
}

// quote renders a command line for logs and errors.
func quote(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		if a == "" || strings.ContainsAny(a, " \t\n'\"\\$`;&|<>()*?[]{}~#!") {
			q[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		} else {
			q[i] = a
		}
	}
	return strings.Join(q, " ")
}

// tail is the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
