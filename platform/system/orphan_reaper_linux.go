package system

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
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
//
// The command may start at most runAsProcs processes more than its
// account has (reviewer R12: a tree of hers that forked every 50 ms
// grew to thousands of processes faster than the sweep could look at
// them). As the host's root, whom RLIMIT_NPROC does not bind, gocfg
// lowers its own limit for the moment of the start, and the command
// inherits it; elsewhere (root of a user namespace, whom the limit binds
// and whose own threads could then not start: reviewer R13) the limit
// is set on the command just after its start (prlimit), where gocfg may
// (CAP_SYS_RESOURCE), else not at all. While gocfg's own limit is low,
// a child it starts in another goroutine would inherit it (reviewer
// R14): the only commands gocfg starts as other accounts go through
// startReaped, under orphanReaper.mu, one at a time, and root's own are
// not bound.
func startReaped(cmd *exec.Cmd) error {
	orphanReaper.mu.Lock()
	defer orphanReaper.mu.Unlock()
	uid := -1
	if c := cmd.SysProcAttr; c != nil && c.Credential != nil {
		uid = int(c.Credential.Uid)
	}
	inherited := uid >= 0 && hostRoot()
	if inherited {
		restore := limitOwnProcs(uid)
		err := cmd.Start()
		restore()
		if err != nil {
			return err
		}
	} else if err := cmd.Start(); err != nil {
		return err
	}
	if uid >= 0 && !inherited {
		limitProcs(cmd.Process.Pid, uid)
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

// sweepOrphans ends every process of account uid that descends from
// gocfg but not through a command Run started (what another account's
// command left behind), for at most orphanSweepTime, and reaps those
// that are gocfg's children. It returns an error naming those still
// there then (a process that SIGKILL does not end at once, such as one
// in an uninterruptible wait).
//
// Each round first stops them all (SIGSTOP, until a look finds none
// running: a stopped process forks no more), then kills them. Killing
// one layer at a time lost (tester AQ): a chain whose members fork
// anew as soon as they find themselves reparented outran it. A process
// that is not gocfg's child is signalled through a pidfd opened while
// /proc still shows it as the one found (its start time), so a PID
// reused meanwhile is never signalled.
func sweepOrphans(uid int) error {
	deadline := time.Now().Add(orphanSweepTime)
	for {
		held, err := freezeOrphans(uid, deadline)
		for _, h := range held {
			_ = unix.PidfdSendSignal(h.fd, unix.SIGKILL, nil, 0)
			_ = unix.Close(h.fd)
		}
		reapOrphans(uid)
		if err != nil {
			return err
		}
		if len(held) == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("processes it left behind did not end when killed: %v", pidsOf(held))
		}
	}
}

// A heldProc is a process of the sweep's, by its pidfd.
type heldProc struct {
	pid, fd int
}

func pidsOf(held []heldProc) []int {
	var pids []int
	for _, h := range held {
		pids = append(pids, h.pid)
	}
	return pids
}

// freezeOrphans stops (SIGSTOP) every process of uid below gocfg but
// not below a command Run started, looking again until a look finds none
// it had to stop (new, or started again), and returns them, each by its
// pidfd. It stops at the deadline, even inside a look (reviewer R12: a
// look at thousands of processes took seconds).
func freezeOrphans(uid int, deadline time.Time) ([]heldProc, error) {
	var held []heldProc
	seen := map[int]int{} // pid → index in held
	for {
		stopped := 0
		for _, p := range orphanTree(uid) {
			if time.Now().After(deadline) {
				return held, fmt.Errorf("processes it left behind kept starting others: %d stopped", len(held))
			}
			if i, ok := seen[p.pid]; ok {
				// Started again (SIGCONT from a process of hers outside
				// the tree, reviewer R12): stopped again.
				// Only one running or sleeping: one in an uninterruptible
				// wait (a vfork parent) stays so however often it is
				// stopped (reviewer R13).
				if (p.state == 'R' || p.state == 'S') && unix.PidfdSendSignal(held[i].fd, unix.SIGSTOP, nil, 0) == nil {
					stopped++
				}
				continue
			}
			fd, err := unix.PidfdOpen(p.pid, 0)
			if err != nil {
				continue // gone
			}
			if now, ok := readProc(p.pid); !ok || now.start != p.start || now.ruid != uid {
				_ = unix.Close(fd) // not the process found
				continue
			}
			if err := unix.PidfdSendSignal(fd, unix.SIGSTOP, nil, 0); err != nil {
				_ = unix.Close(fd)
				continue
			}
			seen[p.pid] = len(held)
			held = append(held, heldProc{p.pid, fd})
			stopped++
		}
		if stopped == 0 {
			return held, nil
		}
	}
}

// orphanTree is every live process whose real user is uid and that
// descends from gocfg through processes of uid, not through a command
// Run started.
func orphanTree(uid int) []proc {
	orphanReaper.mu.Lock()
	defer orphanReaper.mu.Unlock()
	procs := scanProcs()
	kids := map[int][]proc{}
	for _, p := range procs {
		kids[p.ppid] = append(kids[p.ppid], p)
	}
	var tree []proc
	var walk func(pid int)
	walk = func(pid int) {
		for _, c := range kids[pid] {
			if c.ruid != uid || pid == os.Getpid() && orphanReaper.started[c.pid] {
				continue
			}
			if c.state != 'Z' {
				tree = append(tree, c)
			}
			walk(c.pid)
		}
	}
	walk(os.Getpid())
	return tree
}

// reapOrphans reaps gocfg's children of uid that Run did not start and
// that have ended.
func reapOrphans(uid int) {
	orphanReaper.mu.Lock()
	defer orphanReaper.mu.Unlock()
	self := os.Getpid()
	for _, p := range scanProcs() {
		if p.ppid == self && p.ruid == uid && !orphanReaper.started[p.pid] {
			var st unix.WaitStatus
			_, _ = unix.Wait4(p.pid, &st, unix.WNOHANG, nil)
		}
	}
}

// A proc is what the sweep reads of a process in /proc.
type proc struct {
	pid, ppid, ruid int
	threads         int // which RLIMIT_NPROC counts
	state           byte
	start           uint64 // since boot, in clock ticks
}

// scanProcs reads every process in /proc (not from /proc/self/task/*/
// children: that needs CONFIG_PROC_CHILDREN, which kernels without
// checkpoint/restore and gVisor lack, and is not reliable while the
// children change: reviewer R11).
func scanProcs() []proc {
	d, err := os.Open("/proc")
	if err != nil {
		return nil
	}
	defer d.Close()
	names, _ := d.Readdirnames(-1)
	var procs []proc
	for _, n := range names {
		pid, err := strconv.Atoi(n)
		if err != nil {
			continue
		}
		if p, ok := readProc(pid); ok {
			procs = append(procs, p)
		}
	}
	return procs
}

// readProc reads process pid's parent, state and start time (stat) and
// its real user (status).
func readProc(pid int) (proc, bool) {
	p := proc{pid: pid, ruid: -1}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return p, false
	}
	// pid (comm) state ppid … starttime (field 22); comm may hold
	// spaces and ")".
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return p, false
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 20 || len(f[0]) != 1 {
		return p, false
	}
	p.state = f[0][0]
	if p.ppid, err = strconv.Atoi(f[1]); err != nil {
		return p, false
	}
	if p.start, err = strconv.ParseUint(f[19], 10, 64); err != nil {
		return p, false
	}
	st, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return p, false
	}
	for line := range strings.SplitSeq(string(st), "\n") {
		if rest, ok := strings.CutPrefix(line, "Uid:"); ok {
			if f := strings.Fields(rest); len(f) > 0 {
				p.ruid, _ = strconv.Atoi(f[0])
			}
		} else if rest, ok := strings.CutPrefix(line, "Threads:"); ok {
			p.threads, _ = strconv.Atoi(strings.TrimSpace(rest))
		}
	}
	return p, p.ruid >= 0
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

// runAsProcs is how many processes a command run as another account may
// start beyond those its account has when it starts.
const runAsProcs = 512

// procsLimit is the limit for a command run as uid: uid's count of
// tasks (its processes' threads, as the kernel counts them) plus
// runAsProcs. Tasks of hers that /proc does not show (another PID
// namespace) are not counted: there, her command may fail to start, or
// to fork, for want of processes.
func procsLimit(uid int) uint64 {
	n := 0
	for _, p := range scanProcs() {
		if p.ruid == uid {
			n += max(p.threads, 1)
		}
	}
	return uint64(n + runAsProcs)
}

// limitOwnProcs lowers gocfg's own RLIMIT_NPROC soft limit to
// procsLimit(uid), for a command started now to inherit, and returns
// what puts it back.
func limitOwnProcs(uid int) (restore func()) {
	var old unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NPROC, &old); err != nil {
		return func() {}
	}
	limit := procsLimit(uid)
	if limit >= old.Cur {
		return func() {}
	}
	if err := unix.Setrlimit(unix.RLIMIT_NPROC, &unix.Rlimit{Cur: limit, Max: old.Max}); err != nil {
		return func() {}
	}
	return func() { _ = unix.Setrlimit(unix.RLIMIT_NPROC, &old) }
}

// limitProcs sets the RLIMIT_NPROC soft limit of process pid, run as
// uid, to procsLimit(uid) when that is lower than its own and gocfg may.
func limitProcs(pid, uid int) {
	var old unix.Rlimit
	if err := unix.Prlimit(pid, unix.RLIMIT_NPROC, nil, &old); err != nil {
		return
	}
	if limit := procsLimit(uid); limit < old.Cur {
		_ = unix.Prlimit(pid, unix.RLIMIT_NPROC, &unix.Rlimit{Cur: limit, Max: old.Max}, nil)
	}
}

// hostRoot reports whether gocfg runs as the host's root: uid 0 in the
// first user namespace, whose uid_map maps every uid to itself.
func hostRoot() bool {
	if os.Getuid() != 0 {
		return false
	}
	b, err := os.ReadFile("/proc/self/uid_map")
	if err != nil {
		return false
	}
	f := strings.Fields(string(b))
	return len(f) == 3 && f[0] == "0" && f[1] == "0" && f[2] == "4294967295"
}
