//go:build linux

package systemdtest

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// systemdPaths are where the systemd binary may be.
var systemdPaths = []string{"/lib/systemd/systemd", "/usr/lib/systemd/systemd"}

// userBusUnits are where dbus-user-session puts the user bus socket unit.
var userBusUnits = []string{"/usr/lib/systemd/user/dbus.socket", "/lib/systemd/user/dbus.socket"}

// systemdBinary is the systemd binary found by unavailable.
var systemdBinary string

// unavailable says why managers cannot run here, or "" when they can.
func unavailable() string {
	if os.Geteuid() != 0 {
		return "not root (namespaces and cgroups need it)"
	}
	systemdBinary = firstExisting(systemdPaths)
	if systemdBinary == "" {
		return "no " + systemdPaths[0] + " (Debian package systemd)"
	}
	if firstExisting(userBusUnits) == "" {
		return "no " + userBusUnits[0] + " (Debian package dbus-user-session)"
	}
	for _, c := range []string{"unshare", "setpriv"} {
		if _, err := exec.LookPath(c); err != nil {
			return "no " + c + " command (Debian package util-linux)"
		}
	}
	if _, err := os.Stat("/bin/sh"); err != nil {
		return "no /bin/sh"
	}
	if len(cgroupParents()) == 0 {
		return "no cgroup v2 or name=systemd hierarchy in /proc/self/mountinfo"
	}
	probe, err := makeCgroups("gocfg-systemdtest-probe-"+strconv.Itoa(os.Getpid()), 0, 0)
	if err != nil {
		return "cannot make cgroups: " + err.Error()
	}
	if err := removeCgroups(probe); err != nil {
		return err.Error()
	}
	ns := exec.Command("unshare", "--mount", "--propagation", "private", "--pid", "--fork", "true")
	if out, err := ns.CombinedOutput(); err != nil {
		return fmt.Sprintf("unshare cannot make mount and PID namespaces: %v: %s", err, strings.TrimSpace(string(out)))
	}
	return ""
}

// firstExisting returns the first of paths that exists, or "".
func firstExisting(paths []string) string {
	for _, p := range paths {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// outside describes this process for the re-executed one, which checks
// that it does run in other namespaces before mounting anything:
// "PID:PIDNS:MNTNS".
func outside() string {
	return strconv.Itoa(os.Getpid()) + ":" + nsID("pid") + ":" + nsID("mnt")
}

// nsID returns the identity of one of this process's namespaces
// ("mnt:[4026531841]"), or "" when it cannot be read.
func nsID(kind string) string {
	s, _ := os.Readlink("/proc/self/ns/" + kind)
	return s
}

// reexec runs the test binary again inside private mount and PID
// namespaces, with its arguments, and returns its exit status.
func reexec() int {
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, "systemdtest:", err)
		return 2
	}
	// sh is the namespace's PID 1: it reaps orphans, and the test binary
	// (its child, not exec'd: the exit makes sh wait) is an ordinary
	// process.
	args := []string{
		"--mount", "--propagation", "private", "--pid", "--fork", "--mount-proc", "--kill-child",
		"--", "/bin/sh", "-c", `"$@"; exit $?`, "sh", exe,
	}
	cmd := exec.Command("unshare", append(args, os.Args[1:]...)...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = append(os.Environ(), envNamespace+"="+outside())
	// unshare dies with this process, and the namespace with it. The
	// signal is tied to the thread that starts unshare: keep it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	runtime.LockOSThread()
	err = cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee) && ee.ExitCode() >= 0:
		return ee.ExitCode()
	default:
		fmt.Fprintln(os.Stderr, "systemdtest: test binary in namespaces:", err)
		return 2
	}
}

// runInside prepares the namespaces (after checking that this process
// is in new ones) and runs the tests.
func runInside(m *testing.M, out string) int {
	f := strings.SplitN(out, ":", 3)
	switch {
	case len(f) != 3:
		skipReason = envNamespace + " is malformed: " + out
	case nsID("pid") == "" || nsID("pid") == f[1] || nsID("mnt") == "" || nsID("mnt") == f[2]:
		// Never mount on the host's /run/systemd.
		skipReason = envNamespace + " is set but this process is not in namespaces of its own"
	default:
		systemdBinary = firstExisting(systemdPaths)
		if err := mountRunSystemd(); err != nil {
			skipReason = err.Error()
		}
	}
	return m.Run()
}

// mountRunSystemd mounts a tmpfs on /run/systemd, in this private mount
// namespace, with the folder system in it.
func mountRunSystemd() error {
	if err := os.MkdirAll("/run/systemd", 0o755); err != nil {
		return err
	}
	if err := unix.Mount("tmpfs", "/run/systemd", "tmpfs", unix.MS_NOSUID|unix.MS_NODEV, "mode=0755"); err != nil {
		return &os.PathError{Op: "mount tmpfs", Path: "/run/systemd", Err: err}
	}
	return os.Mkdir("/run/systemd/system", 0o755)
}
