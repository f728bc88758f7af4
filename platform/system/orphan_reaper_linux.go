package system

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// orphanSweepTime bounds how long the sweep after another account's
// command waits for what it killed to end.
const orphanSweepTime = 2 * time.Second

// The orphan reaper: while root runs a command as another account (a
// user's on_change hook), gocfg is a child subreaper (PR_SET_CHILD_
// SUBREAPER), so that whatever the command leaves behind when its own
// session and process group have gone (a `setsid` daemon, a double
// fork) becomes gocfg's child instead of init's. When the command has
// ended, every such orphan of that account is killed and reaped. Before
// (tester AM's note), a hook could leave a process of hers running in
// root's cgroup, outside her user slice, after the switch.
//
// While gocfg reaps, an orphan of root's own commands becomes gocfg's
// child too, and is left alone: a zombie until gocfg exits, if it ends
// first (hooks run one at a time, so that is rare, and harmless).
//
// An orphan is gocfg's child until gocfg reaps it, so its PID cannot be
// another process's when it is killed. The PIDs of the commands Run
// starts as another account are known (started), so that only the
// orphans are taken; a child of root's own commands (a daemon that
// root's hook starts) is left alone: its real user is root.
var orphanReaper struct {
	mu      sync.Mutex
	users   int
	started map[int]bool
}

// reapBegin makes gocfg the subreaper of the commands started until
// the matching reapEnd.
func reapBegin() error {
	orphanReaper.mu.Lock()
	defer orphanReaper.mu.Unlock()
	if orphanReaper.users == 0 {
		if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
			return fmt.Errorf("become the reaper of another account's command: %w", err)
		}
	}
	orphanReaper.users++
	return nil
}

// reapEnd ends what reapBegin began.
func reapEnd() {
	orphanReaper.mu.Lock()
	defer orphanReaper.mu.Unlock()
	if orphanReaper.users--; orphanReaper.users == 0 {
		_ = unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0)
	}
}

// startReaped starts cmd, its PID known as one of Run's own before any
// sweep can see it.
func startReaped(cmd *exec.Cmd) error {
	orphanReaper.mu.Lock()
	defer orphanReaper.mu.Unlock()
	if err := cmd.Start(); err != nil {
		return err
	}
	if orphanReaper.started == nil {
		orphanReaper.started = map[int]bool{}
	}
	orphanReaper.started[cmd.Process.Pid] = true
	return nil
}

// waited forgets the PID of a command Run has waited for.
func waited(pid int) {
	orphanReaper.mu.Lock()
	defer orphanReaper.mu.Unlock()
	delete(orphanReaper.started, pid)
}

// sweepOrphans kills and reaps every child of gocfg that Run did not
// start and whose real user is uid, until none is left, for at most
// orphanSweepTime. It returns an error naming those still there then
// (a process that SIGKILL does not end at once, such as one in an
// uninterruptible wait).
func sweepOrphans(uid int) error {
	deadline := time.Now().Add(orphanSweepTime)
	for {
		left := killOrphans(uid)
		if len(left) == 0 {
			return nil
		}
		for _, pid := range left {
			var st unix.WaitStatus
			_, _ = unix.Wait4(pid, &st, unix.WNOHANG, nil)
		}
		if time.Now().After(deadline) {
			if left = killOrphans(uid); len(left) == 0 {
				return nil
			}
			return fmt.Errorf("processes it left behind did not end when killed: %v", left)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// killOrphans sends SIGKILL to every child of gocfg that Run did not
// start and whose real user is uid (zombies too, which it does not
// change), and returns their PIDs.
func killOrphans(uid int) []int {
	orphanReaper.mu.Lock()
	defer orphanReaper.mu.Unlock()
	var killed []int
	for _, pid := range children() {
		if orphanReaper.started[pid] || realUID(pid) != uid {
			continue
		}
		_ = syscall.Kill(pid, syscall.SIGKILL)
		killed = append(killed, pid)
	}
	return killed
}

// children returns the PIDs of gocfg's children, from every process's
// /proc/<pid>/stat (its parent, field 4). Not from /proc/self/task/*/
// children: that needs CONFIG_PROC_CHILDREN, which kernels without
// checkpoint/restore and gVisor lack, and is not reliable while the
// children change (reviewer R11).
func children() []int {
	self := os.Getpid()
	d, err := os.Open("/proc")
	if err != nil {
		return nil
	}
	defer d.Close()
	names, _ := d.Readdirnames(-1)
	var pids []int
	for _, n := range names {
		pid, err := strconv.Atoi(n)
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + n + "/stat")
		if err != nil {
			continue
		}
		// pid (comm) state ppid …; comm may hold spaces and ")".
		i := strings.LastIndexByte(string(b), ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(string(b[i+1:]))
		if len(f) > 1 && f[1] == strconv.Itoa(self) {
			pids = append(pids, pid)
		}
	}
	return pids
}

// realUID is the real user of process pid, or -1 when it cannot be read.
func realUID(pid int) int {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return -1
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "Uid:"); ok {
			f := strings.Fields(rest)
			if len(f) == 0 {
				return -1
			}
			uid, err := strconv.Atoi(f[0])
			if err != nil {
				return -1
			}
			return uid
		}
	}
	return -1
}

// exitedUnreaped waits until process pid (a child) has exited, leaving
// it to be reaped (waitid with WNOWAIT): until then its ID is its
// process group's. It reports whether it waited so.
func exitedUnreaped(pid int) bool {
	for {
		var info unix.Siginfo
		err := unix.Waitid(unix.P_PID, pid, &info, unix.WEXITED|unix.WNOWAIT, nil)
		if err != unix.EINTR {
			return err == nil
		}
	}
}
