//go:build linux

package nspawntest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// seq numbers the containers of this process (cgroup names).
var seq atomic.Int64

var validName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]{0,62}$`)

// setupScript runs inside unshare's private mount and PID namespaces,
// as PID 1 there: it moves itself into the container's own cgroup ($1) in
// each cgroup hierarchy (see cgroupRoots), hides the host's /run/systemd
// under a tmpfs, and becomes systemd-nspawn ("$@" after $1).
const setupScript = `set -eu
cg=$1; shift
for h in /sys/fs/cgroup/systemd /sys/fs/cgroup/unified /sys/fs/cgroup; do
	[ -f "$h/cgroup.procs" ] || continue
	mkdir "$h/$cg"
	echo $$ >"$h/$cg/cgroup.procs"
done
mkdir -p /run/systemd
mount -t tmpfs -o mode=0755 tmpfs /run/systemd
exec "$@"
`

// Boot boots a throwaway container from the cached root file system and
// waits until its systemd says running (or degraded, whose failed units
// are logged). The test's cleanup halts it and removes what it left
// behind; [Container.Stop] does so earlier. Boot skips the test when the
// machine cannot boot containers (not root, commands or the root file
// system missing: it says which and how to get them) and fails it when a
// container does not come up.
func Boot(t testing.TB, opts Options) *Container {
	t.Helper()
	Require(t)
	rootfs := RootfsDir()
	sweepCgroups()

	name := opts.Name
	if name == "" {
		name = "nspawntest"
	}
	if !validName.MatchString(name) {
		t.Fatalf("nspawntest: Options.Name %q is not a valid hostname label", name)
	}
	bootTimeout := opts.BootTimeout
	if bootTimeout <= 0 {
		bootTimeout = 60 * time.Second
	}
	c := &Container{
		name:    name,
		timeout: opts.ExecTimeout,
		exited:  make(chan struct{}),
	}
	c.proc.cgroup = fmt.Sprintf("gocfg-nspawntest-%d-%d", os.Getpid(), seq.Add(1))
	if c.timeout <= 0 {
		c.timeout = 5 * time.Minute
	}

	args := []string{
		"-D", rootfs, "-M", name, "--ephemeral", "--boot",
		"--register=no", "--keep-unit", "--console=passive",
	}
	if opts.NetworkNamespacePath != "" {
		args = append(args, "--network-namespace-path="+opts.NetworkNamespacePath)
	} else {
		args = append(args, "--private-network")
	}
	if debs := DebsDir(); debsBuilt(debs) {
		args = append(args, "--bind-ro="+bindEscape(debs)+":"+DebsMount)
		c.debs = true
	}
	if opts.Gocfg != "" {
		if fi, err := os.Stat(opts.Gocfg); err != nil || fi.IsDir() {
			t.Fatalf("nspawntest: Options.Gocfg %q is not a file", opts.Gocfg)
		}
		abs, err := filepath.Abs(opts.Gocfg)
		if err != nil {
			t.Fatal(err)
		}
		args = append(args, "--bind-ro="+bindEscape(abs)+":"+GocfgMount)
	}
	for _, b := range opts.Bind {
		args = append(args, "--bind="+b)
	}
	for _, b := range opts.BindRO {
		args = append(args, "--bind-ro="+b)
	}
	args = append(args, opts.ExtraArgs...)

	c.console = filepath.Join(t.TempDir(), "console.log")
	console, err := os.Create(c.console)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("unshare",
		append([]string{"--mount", "--propagation", "private", "--pid", "--mount-proc", "--kill-child=SIGTERM",
			"--", "sh", "-c", setupScript, "sh", c.proc.cgroup, "systemd-nspawn"}, args...)...)
	cmd.Stdout, cmd.Stderr = console, console
	// TERM=dumb also reaches the container's systemd: a console log
	// without colour codes.
	cmd.Env = append(os.Environ(), "SYSTEMD_COLORS=0", "TERM=dumb")
	cmd.SysProcAttr = &syscall.SysProcAttr{
		// If this process dies, unshare dies, and its --kill-child then asks
		// systemd-nspawn to halt the container.
		Pdeathsig: syscall.SIGKILL,
		// Keep a terminal's ^C away from nspawn: the test process handles it.
		Setpgid: true,
	}
	c.proc.unshare = cmd

	start := time.Now()
	t.Logf("nspawntest: booting %s: systemd-nspawn %s", name, quote(args))
	// Pdeathsig fires when the thread that started the child exits, not
	// the process: start and wait on a thread of our own that lives as long
	// as the container does.
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		c.proc.exitErr = cmd.Wait()
		console.Close()
		close(c.exited)
	}()
	if err := <-started; err != nil {
		console.Close()
		t.Fatalf("nspawntest: starting unshare: %v", err)
	}
	t.Cleanup(func() {
		if err := c.Stop(t); err != nil {
			t.Error(err)
		}
		if t.Failed() {
			t.Logf("nspawntest: console of %s (last lines):\n%s", name, tail(c.Console(), 60))
		}
	})

	deadline := time.Now().Add(bootTimeout)
	if err := c.findInit(deadline); err != nil {
		t.Fatalf("nspawntest: %v; console:\n%s", err, tail(c.Console(), 40))
	}
	c.findEphemeral(rootfs)
	initStarted := time.Since(start)
	if err := c.waitRunning(t, deadline); err != nil {
		t.Fatalf("nspawntest: %v; console:\n%s", err, tail(c.Console(), 40))
	}
	t.Logf("nspawntest: %s is up in %s (systemd started after %s; it is PID %d, nspawn %d)", name,
		time.Since(start).Round(time.Millisecond), initStarted.Round(time.Millisecond), c.pid1, c.proc.nspawn)
	return c
}

// findInit waits for systemd-nspawn (unshare's child) and the container's
// systemd (a descendant of it) to appear.
func (c *Container) findInit(deadline time.Time) error {
	for {
		select {
		case <-c.exited:
			return fmt.Errorf("systemd-nspawn exited during boot (%v)", c.proc.exitErr)
		default:
		}
		if c.proc.nspawn == 0 {
			for _, p := range descendants(c.proc.unshare.Process.Pid) {
				if parentPID(p) == c.proc.unshare.Process.Pid {
					if exe, _ := os.Readlink(fmt.Sprintf("/proc/%d/exe", p)); filepath.Base(exe) == "systemd-nspawn" {
						c.proc.nspawn = p
					}
					break
				}
			}
		}
		if c.proc.nspawn != 0 {
			for _, p := range descendants(c.proc.nspawn) {
				if isContainerInit(p) {
					c.pid1 = p
					return nil
				}
			}
		}
		if time.Now().After(deadline) {
			return errors.New("the container's systemd did not start in time")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// findEphemeral remembers which .#machine.* folder next to rootfs is this
// container's ephemeral copy (the one that is its root), so that Stop can
// remove it if systemd-nspawn could not.
func (c *Container) findEphemeral(rootfs string) {
	root, err := os.Stat(fmt.Sprintf("/proc/%d/root", c.pid1))
	if err != nil {
		return
	}
	parent := filepath.Dir(rootfs)
	entries, _ := os.ReadDir(parent)
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), ".#machine.") {
			continue
		}
		p := filepath.Join(parent, e.Name())
		if fi, err := os.Stat(p); err == nil && os.SameFile(fi, root) {
			c.proc.ephemeral = p
			return
		}
	}
}

// waitRunning waits for `systemctl is-system-running --wait` to say
// running or degraded (then it logs the failed units).
func (c *Container) waitRunning(t testing.TB, deadline time.Time) error {
	t.Helper()
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	for {
		out, _, err := c.runContext(ctx, t, nil, false, "systemctl", "is-system-running", "--wait")
		state := strings.TrimSpace(out)
		if i := strings.LastIndexByte(state, '\n'); i >= 0 {
			state = state[i+1:]
		}
		switch state {
		case "running":
			return nil
		case "degraded":
			failed, _, _ := c.runContext(ctx, t, nil, false, "systemctl", "--failed", "--no-legend", "--plain")
			t.Logf("nspawntest: %s is degraded; failed units:\n%s", c.name, failed)
			return nil
		case "maintenance", "stopping":
			return fmt.Errorf("the container's systemd is %s: %v", state, err)
		}
		select {
		case <-c.exited:
			return fmt.Errorf("systemd-nspawn exited during boot (%v)", c.proc.exitErr)
		default:
		}
		if ctx.Err() != nil {
			return fmt.Errorf("the container's systemd did not reach running in time: %v", err)
		}
		// Before the system bus is up systemctl cannot connect yet.
		time.Sleep(50 * time.Millisecond)
	}
}

// Stop halts the container (SIGTERM to systemd-nspawn, which shuts the
// container's systemd down cleanly) and waits for it, then removes its
// cgroups and, if nspawn left it, its ephemeral copy. It reports an
// unclean exit. Calling it again returns the first result; the test's
// cleanup calls it.
func (c *Container) Stop(t testing.TB) error {
	t.Helper()
	c.proc.stopOnce.Do(func() { c.proc.stopErr = c.stop(t) })
	return c.proc.stopErr
}

func (c *Container) stop(t testing.TB) error {
	t.Helper()
	start := time.Now()
	wait := func(d time.Duration) bool {
		select {
		case <-c.exited:
			return true
		case <-time.After(d):
			return false
		}
	}
	var errs []error
	select {
	case <-c.exited:
		errs = append(errs, fmt.Errorf("nspawntest: container %s had stopped by itself (%v)", c.name, c.proc.exitErr))
	default:
		switch {
		case c.proc.nspawn != 0:
			_ = syscall.Kill(c.proc.nspawn, syscall.SIGTERM)
		default:
			// Not found yet: killing unshare makes its --kill-child send
			// nspawn SIGTERM.
			_ = c.proc.unshare.Process.Kill()
		}
		if !wait(30 * time.Second) {
			errs = append(errs, fmt.Errorf("nspawntest: container %s did not halt in 30s; killing it", c.name))
			if c.proc.nspawn != 0 {
				_ = syscall.Kill(c.proc.nspawn, syscall.SIGTERM) // a second one: immediate termination
				if !wait(5 * time.Second) {
					_ = syscall.Kill(c.proc.nspawn, syscall.SIGKILL)
				}
			}
			_ = c.proc.unshare.Process.Kill()
			wait(10 * time.Second)
		}
		select {
		case <-c.exited:
			if c.proc.exitErr != nil {
				errs = append(errs, fmt.Errorf("nspawntest: systemd-nspawn for %s: %v", c.name, c.proc.exitErr))
			}
		default:
			errs = append(errs, fmt.Errorf("nspawntest: unshare (PID %d) for %s does not exit", c.proc.unshare.Process.Pid, c.name))
		}
	}
	if err := removeCgroup(c.proc.cgroup, 5*time.Second); err != nil {
		errs = append(errs, err)
	}
	if c.proc.ephemeral != "" {
		if _, err := os.Lstat(c.proc.ephemeral); err == nil {
			t.Logf("nspawntest: removing %s, left by systemd-nspawn", c.proc.ephemeral)
			if err := os.RemoveAll(c.proc.ephemeral); err != nil {
				errs = append(errs, err)
			}
			_ = os.Remove(filepath.Join(filepath.Dir(c.proc.ephemeral), ".#"+filepath.Base(c.proc.ephemeral)+".lck"))
		}
	}
	t.Logf("nspawntest: %s stopped in %s", c.name, time.Since(start).Round(time.Millisecond))
	return errors.Join(errs...)
}

// bindEscape escapes a path for systemd-nspawn's --bind syntax.
func bindEscape(p string) string {
	return strings.NewReplacer(`\`, `\\`, `:`, `\:`).Replace(p)
}

// debsBuilt reports whether dir is a local apt repository.
func debsBuilt(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "Packages"))
	return err == nil
}
