package system

import (
	"context"
	"os"
	"os/exec"
	"os/user"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestRealRunAsOwnSession: a command run as another account (a user's
// on_change hook) is in a session of its own, with no controlling
// terminal: in root's session it could open root's terminal (/dev/tty)
// and push a command line into root's shell (TIOCSTI). What it leaves
// behind in its group is killed when it exits.
func TestRealRunAsOwnSession(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("only root can run a command as another user")
	}
	ours, err := unix.Getsid(0)
	if err != nil {
		t.Fatal(err)
	}
	// Fields 6 and 7 of /proc/self/stat, after the command's name: the
	// session and the controlling terminal (0: none). The background
	// sleep's PID comes last; its output goes nowhere, so that Run does
	// not wait for it.
	script := `set -- $(sed 's/.*) //' /proc/$$/stat); echo "$$ $4 $5"; sleep 30 >/dev/null 2>&1 & echo $!`
	out, err := NewReal().Run(context.Background(), Command{Path: "/bin/sh", Args: []string{"-c", script}, UID: 65534, GID: 65534})
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	lines := strings.Fields(string(out))
	if len(lines) != 4 {
		t.Fatalf("output %q, want the pid, session, terminal and the sleep's pid", out)
	}
	pid, sid, tty := lines[0], lines[1], lines[2]
	if sid != pid || sid == strconv.Itoa(ours) {
		t.Errorf("the command's session is %s (its pid %s, ours %d): want a session of its own", sid, pid, ours)
	}
	if tty != "0" {
		t.Errorf("the command has controlling terminal %s, want none", tty)
	}
	sleep, err := strconv.Atoi(lines[3])
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for alive(sleep) {
		if time.Now().After(deadline) {
			_ = syscall.Kill(sleep, syscall.SIGKILL)
			t.Fatalf("the command's background process %d is still running after it exited", sleep)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// alive says whether process pid runs (a zombie does not).
func alive(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	_, rest, _ := strings.Cut(string(b), ") ")
	return !strings.HasPrefix(rest, "Z")
}

// TestRealRunAsOutputBounded: another account's command chooses how much
// it prints, and root keeps only its last runAsOutputMax bytes, with a
// line that says how much went before. Before, all of it was kept: a
// hook could fill root's memory while it ran.
func TestRealRunAsOutputBounded(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("only root can run a command as another user")
	}
	script := `head -c 20000000 /dev/zero | tr '\0' a; echo; echo last line`
	out, err := NewReal().Run(context.Background(), Command{Path: "/bin/sh", Args: []string{"-c", script}, UID: 65534, GID: 65534})
	if err != nil {
		t.Fatalf("%v", err)
	}
	if len(out) > runAsOutputMax+100 {
		t.Errorf("kept %d bytes of the output, want at most %d and a line", len(out), runAsOutputMax)
	}
	if want := "[20000001 bytes of output before this not kept]\nlast line\n"; string(out) != want {
		t.Errorf("output %.200q, want %q", out, want)
	}
}

// TestRealRunAsOrphansEnd: what another account's command starts in a
// session of its own (setsid) or leaves behind through a double fork
// ends with the command too (tester AM's note: before, her on_change
// hook could leave a process running in root's cgroup after the
// switch, reparented to init).
func TestRealRunAsOrphansEnd(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("only root can run a command as another user")
	}
	for name, script := range map[string]string{
		"setsid":      `setsid sh -c 'sleep 300 </dev/null >/dev/null 2>&1 & echo $!'`,
		"double fork": `(sh -c 'sleep 300 </dev/null >/dev/null 2>&1 & echo $!' &) ; sleep 0.1`,
		"grandchild":  `setsid sh -c '(sleep 300 </dev/null >/dev/null 2>&1 & echo $!; sleep 300 </dev/null >/dev/null 2>&1) </dev/null 2>/dev/null & sleep 0.1'`,
	} {
		t.Run(name, func(t *testing.T) {
			out, err := NewReal().Run(context.Background(), Command{Path: "/bin/sh", Args: []string{"-c", script}, UID: 65534, GID: 65534})
			if err != nil {
				t.Fatalf("%v: %s", err, out)
			}
			pid, err := strconv.Atoi(strings.TrimSpace(string(out)))
			if err != nil {
				t.Fatalf("output %q, want the left process's PID", out)
			}
			if alive(pid) {
				_ = syscall.Kill(pid, syscall.SIGKILL)
				t.Fatalf("process %d, started by the command in a session of its own, still runs after it", pid)
			}
		})
	}
}

// TestRealRunAsLeavesRootsOrphans: the sweep after another account's
// command takes only that account's processes: a process root's own
// command left behind is not killed.
func TestRealRunAsLeavesRootsOrphans(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("only root can run a command as another user")
	}
	// Root's command runs while gocfg reaps (as when another account's
	// command runs beside it), so that what it leaves is gocfg's child.
	if err := reapBegin(); err != nil {
		t.Fatal(err)
	}
	defer reapEnd()
	r := NewReal()
	out, err := r.Run(context.Background(), Command{Path: "/bin/sh", Args: []string{"-c", `setsid sleep 300 </dev/null >/dev/null 2>&1 & echo $!`}, UID: -1, GID: -1})
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	root, err := strconv.Atoi(strings.TrimSpace(string(out)))
	if err != nil {
		t.Fatalf("output %q, want a PID", out)
	}
	defer func() {
		_ = syscall.Kill(root, syscall.SIGKILL)
		_, _ = unix.Wait4(root, nil, 0, nil)
	}()
	if out, err := r.Run(context.Background(), Command{Path: "/bin/sh", Args: []string{"-c", "true"}, UID: 65534, GID: 65534}); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if !alive(root) {
		t.Errorf("root's process %d was killed by the sweep after another account's command", root)
	}
}

// TestRealRunAnother: a command that changes user itself (macOS's
// launchctl asuser … sudo -u, marked Another) is run as one with
// another UID (reviewer R10): in a session of its own, its output kept
// to its last runAsOutputMax bytes.
func TestRealRunAnother(t *testing.T) {
	ours, err := unix.Getsid(0)
	if err != nil {
		t.Fatal(err)
	}
	run := func(script string) string {
		out, err := NewReal().Run(context.Background(), Command{Path: "/bin/sh", Args: []string{"-c", script}, UID: -1, GID: -1, Another: true})
		if err != nil {
			t.Fatalf("%v: %.200s", err, out)
		}
		return string(out)
	}
	if sid := strings.TrimSpace(run(`set -- $(sed 's/.*) //' /proc/$$/stat); echo "$4"`)); sid == strconv.Itoa(ours) || sid == "" {
		t.Errorf("the command ran in session %q, gocfg's is %d", sid, ours)
	}
	if out := run(`head -c 200000 /dev/zero | tr '\0' a; echo`); len(out) > runAsOutputMax+100 {
		t.Errorf("kept %d bytes of its output, want at most %d", len(out), runAsOutputMax)
	}
}

// TestRealRunAsGroups: a command run as another account has her
// supplementary groups, as her login has (reviewer R10: her on_change
// hook had none). A throwaway account and group.
func TestRealRunAsGroups(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("only root can make an account and run a command as it")
	}
	if _, err := exec.LookPath("useradd"); err != nil {
		t.Skip("no useradd")
	}
	name := "rtg" + strconv.Itoa(os.Getpid()%100000)
	if out, err := exec.Command("groupadd", name+"x").CombinedOutput(); err != nil {
		t.Fatalf("groupadd: %v: %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("groupdel", name+"x").Run() })
	if out, err := exec.Command("useradd", "-M", "-N", "-g", "65534", "-G", name+"x", name).CombinedOutput(); err != nil {
		t.Fatalf("useradd: %v: %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("userdel", name).Run() })
	u, err := user.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	g, err := user.LookupGroup(name + "x")
	if err != nil {
		t.Fatal(err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	out, err := NewReal().Run(context.Background(), Command{Path: "id", Args: []string{"-G"}, UID: uid, GID: 65534})
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if !slices.Contains(strings.Fields(string(out)), g.Gid) {
		t.Errorf("id -G as %s: %q, want her group %s among them", name, out, g.Gid)
	}
}

// hydraEnv marks the processes of TestRealRunAsHydra's hydra.
const hydraEnv = "GOCFG_TEST_HYDRA"

// hydraMember is one member of a chain of shells that starts a new
// member below itself as soon as it finds itself reparented (its parent
// killed), and one at its start while D allows: what tester AQ's
// program did to outrun a sweep that killed one layer at a time. Each
// looks at its parent (stat's field 4) in a loop of a bounded number of
// turns, so that it ends by itself within seconds.
const hydraMember = `read -r l < /proc/self/stat; set -- $l; p=$4
if [ "$D" -gt 0 ]; then D=$((D - 1)) sh -c "$H" & fi
i=0
while [ $i -lt 100000 ]; do
	i=$((i + 1))
	read -r l < /proc/self/stat; set -- $l
	if [ "$4" != "$p" ]; then p=$4; D=1 sh -c "$H" & fi
done`

// hydraLeft is the PIDs of the hydra's members still running.
func hydraLeft() []int {
	var left []int
	for _, p := range scanProcs() {
		env, err := os.ReadFile("/proc/" + strconv.Itoa(p.pid) + "/environ")
		if err == nil && p.state != 'Z' && strings.Contains(string(env), hydraEnv+"=") {
			left = append(left, p.pid)
		}
	}
	return left
}

// TestRealRunAsHydra: what another account's command leaves behind ends
// with it even when it starts new processes as soon as one of its own is
// killed (tester AQ: 41 processes outlived gocfg; the sweep killed one
// layer at a time, every 5 ms, and gave up after 2 s).
func TestRealRunAsHydra(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("only root can run a command as another user")
	}
	t.Cleanup(func() {
		for _, pid := range hydraLeft() {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	})
	// The head: a session of its own, a chain of three below it, and
	// away once the chain stands.
	head := `setsid sh -c 'D=2 sh -c "$H" & sleep 0.3' </dev/null >/dev/null 2>&1`
	env := []string{"PATH=/usr/bin:/bin", hydraEnv + "=1", "D=0", "H=" + hydraMember}
	out, err := NewReal().Run(context.Background(), Command{Path: "/bin/sh", Args: []string{"-c", head}, UID: 65534, GID: 65534, Env: env})
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if left := hydraLeft(); len(left) > 0 {
		t.Errorf("%d of the command's processes still run after it: %v", len(left), left)
	}
}

// TestRealRunAsProcessLimit: a command run as another account may start
// only so many processes beyond those its account has (reviewer R12: a
// tree of hers that forked every 50 ms outgrew the sweep); gocfg's own
// limit is as it was after the start. As the host's root (as here), the
// command inherits the limit; elsewhere it is set just after its start.
func TestRealRunAsProcessLimit(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("only root can run a command as another user")
	}
	var before unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NPROC, &before); err != nil {
		t.Fatal(err)
	}
	out, err := NewReal().Run(context.Background(), Command{Path: "/bin/sh", Args: []string{"-c", `sed -n 's/^Max processes *\([0-9a-z]*\).*/\1/p' /proc/self/limits`}, UID: 65534, GID: 65534})
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	n := 0
	for _, p := range scanProcs() {
		if p.ruid == 65534 {
			n += max(p.threads, 1)
		}
	}
	got, err := strconv.Atoi(strings.TrimSpace(string(out)))
	if !hostRoot() {
		t.Skip("not the host's root: the limit is set after the start, where gocfg may")
	}
	if before.Cur > uint64(n+runAsProcs) && (err != nil || got > n+runAsProcs+8 || got < runAsProcs) {
		t.Errorf("the command's process limit: %q, want about %d (its account has %d tasks)", out, n+runAsProcs, n)
	}
	var after unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NPROC, &after); err != nil || after != before {
		t.Errorf("gocfg's process limit after: %+v, want %+v as before", after, before)
	}
}
