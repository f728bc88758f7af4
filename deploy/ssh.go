package deploy

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/gocfg/gocfg/internal/filestat"
)

// A Remote is one command to run on a host: a line for its login shell
// (build it with Shell), what it reads and where its output goes.
type Remote struct {
	Command string
	Stdin   io.Reader
	Stdout  io.Writer
	Stderr  io.Writer
	// Fresh runs it over a new connection of its own, not the session's
	// shared one (the confirmation of magic rollback: it proves that a new
	// connection can still be made after the switch).
	Fresh bool
}

// A Transport runs commands on hosts. SSH is the real one; the tests
// put a fake host behind it.
type Transport interface {
	Run(ctx context.Context, h Host, r Remote) error
	// Close ends the session's connection to h, if there is one.
	Close(h Host)
}

// SSH runs commands with the OpenSSH client binary, never a Go SSH
// library: the user's ssh_config, agent, ProxyJump and known_hosts apply.
// Every connection to a host goes through one master connection
// (ControlMaster=auto, a ControlPath in a private folder of this session,
// ControlPersist while the session lasts) but the fresh ones.
type SSH struct {
	// Binary is the ssh client ("ssh": found in $PATH).
	Binary string
	// ConfigFile, when set, is passed as -F.
	ConfigFile string
	// ControlDir holds the control sockets (private: 0700); NewSSH makes
	// it.
	ControlDir string

	// lock is the control folder's lock (lockControlFolder), held
	// until Cleanup: a folder without one is a killed deploy's.
	lock *os.File

	// liveness caches each host's liveness options (see liveness).
	mu       sync.Mutex
	liveness map[string][]string
}

// NewSSH makes a session's ssh client with its control folder, made in
// root, a folder where no one else can change where a path leads (the
// caller checks: tester AW took over a deploy's connection through a
// $TMPDIR others could write, by renaming its folder and putting a
// master of hers in its place; ssh's client does not ask who the master
// is). Cleanup ends the master connections and removes the folder.
//
// The folder is locked while the deploy runs; the folders of this
// user's deploys that were killed (no lock held) are cleaned up first
// (pruneControlFolders).
func NewSSH(configFile, root string) (*SSH, error) {
	dir, err := os.MkdirTemp(root, controlPrefix)
	if err != nil {
		return nil, err
	}
	// Its mode whatever the umask (reviewer R19: 0277 made it 0500),
	// then: what was made is the private folder asked for, and no link.
	_ = os.Chmod(dir, 0o700)
	fi, err := os.Lstat(dir)
	if err == nil {
		if uid, _ := filestat.Owner(fi); !fi.IsDir() || fi.Mode().Perm() != 0o700 || uid != os.Geteuid() {
			err = fmt.Errorf("%s: not the private folder just made (%s, uid %d)", dir, fi.Mode(), uid)
		}
	}
	var lock *os.File
	if err == nil {
		lock, err = lockControlFolder(dir)
	}
	if err != nil {
		_ = os.Remove(dir)
		return nil, err
	}
	pruneControlFolders(root, dir)
	return &SSH{Binary: "ssh", ConfigFile: configFile, ControlDir: dir, lock: lock}, nil
}

// Cleanup ends every master connection whose socket is still in the
// control folder (ssh -O exit on it), then removes the folder. The
// session closes each host's master when the host is done (Close); what
// is left is a deploy's that was interrupted, or a Close that failed.
// ssh daemonises a master (ControlPersist) into a session of its own, so
// neither the end of gocfg nor a Ctrl-C at the terminal ends it: left
// there, it would hold its connection for controlPersist.
func (s *SSH) Cleanup() {
	entries, _ := os.ReadDir(s.ControlDir)
	var wg sync.WaitGroup
	for _, e := range entries {
		if e.Type()&os.ModeSocket == 0 {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			// The socket's own path, not %C: no host, user or
			// ssh_config needed, and nothing that could connect.
			s.exit([]string{"-F", "/dev/null", "-o", "ControlPath=" + filepath.Join(s.ControlDir, e.Name())}, "gocfg-deploy")
		}()
	}
	wg.Wait()
	_ = os.RemoveAll(s.ControlDir)
	if s.lock != nil {
		s.lock.Close()
	}
}

// controlPersist is how long a master connection outlives its last
// client: the session closes each one (Close) when its host is done,
// and Cleanup the ones left, so this only bounds what a killed gocfg
// (SIGKILL) leaves behind.
const controlPersist = "600"

// Args are the ssh arguments that run command on h (without the binary).
func (s *SSH) Args(h Host, fresh bool, command string) []string {
	var a []string
	if s.ConfigFile != "" {
		a = append(a, "-F", s.ConfigFile)
	}
	// -T: no terminal, whatever ssh_config's RequestTTY says; with one,
	// lines end in \r\n and what is sent on standard input comes back
	// (reviewer R12).
	a = append(a, "-T", "-o", "BatchMode=yes")
	a = append(a, noForwarding...)
	if fresh {
		a = append(a, "-o", "ControlMaster=no", "-o", "ControlPath=none")
	} else {
		a = append(a, "-o", "ControlMaster=auto", "-o", "ControlPath="+s.controlPath(), "-o", "ControlPersist="+controlPersist)
	}
	a = append(a, hostArgs(h)...)
	a = append(a, s.livenessOptions(h)...)
	return append(a, "--", h.Target, command)
}

// noForwarding turns off, whatever ssh_config says, everything that
// would let a host act with the deploying user's credentials or reach
// her machine: agent forwarding (tester AS: with ForwardAgent yes, a
// compromised host used the deploying user's agent to log into another
// host of the fleet), X11, Kerberos credential delegation, port
// forwardings and tunnels. A deploy needs none of them. Given on the
// command line, they win over the configuration files (ssh_config(5):
// the first value obtained is used); a host's ssh_options come after,
// and so cannot turn them on again.
var noForwarding = []string{"-o", "ForwardAgent=no", "-o", "ForwardX11=no", "-o", "GSSAPIDelegateCredentials=no", "-o", "ClearAllForwardings=yes", "-o", "Tunnel=no"}

// hostArgs are h's login, port and ssh_options as ssh arguments.
func hostArgs(h Host) []string {
	var a []string
	if h.User != "" {
		a = append(a, "-l", h.User)
	}
	if h.Port != 0 {
		a = append(a, "-p", strconv.Itoa(h.Port))
	}
	for _, o := range h.SSHOptions {
		a = append(a, "-o", o)
	}
	return a
}

// Liveness: a connection is given up after ConnectTimeout seconds, and
// one that stops answering after ServerAliveInterval ×
// ServerAliveCountMax seconds. Without them, a host that drops off the
// network mid-switch held the deploy for as long as TCP or ssh waits
// (tester P: no end in 8 minutes; Debian's ssh makes BatchMode imply a
// ServerAliveInterval of 300 s, so 15 minutes), and an unreachable one
// for over a minute. ssh then exits with 255: the deploy reconnects
// (follow) and, past the confirmation window, says the host is
// unreachable; with magic rollback, the host has rolled back by then.
const (
	connectTimeout      = "10"
	serverAliveInterval = "5"
	serverAliveCountMax = "3"
)

// livenessOptions are the -o options that bound how long a lost host
// holds the deploy. ConnectTimeout is added when the user's ssh_config
// sets none (ssh -G says, once per host and session: a slow ProxyJump
// may need more). The ServerAlive pair is always added, over
// ssh_config's (which ssh -G cannot tell from Debian's default), unless
// the host's deployment.ssh_options set ServerAliveInterval: they come
// first on the command line, and ssh takes the first value it is given.
func (s *SSH) livenessOptions(h Host) []string {
	key := strings.Join(append([]string{h.Target, h.User, strconv.Itoa(h.Port)}, h.SSHOptions...), "\x00")
	s.mu.Lock()
	defer s.mu.Unlock()
	if o, ok := s.liveness[key]; ok {
		return o
	}
	var o []string
	if v := s.resolved(h)["connecttimeout"]; v == "" || v == "none" {
		o = append(o, "-o", "ConnectTimeout="+connectTimeout)
	}
	o = append(o, "-o", "ServerAliveInterval="+serverAliveInterval, "-o", "ServerAliveCountMax="+serverAliveCountMax)
	if s.liveness == nil {
		s.liveness = map[string][]string{}
	}
	s.liveness[key] = o
	return o
}

// resolved is what ssh -G prints for h: the configuration that applies
// to it, keyword (lower case) to value; nil when it cannot tell.
func (s *SSH) resolved(h Host) map[string]string {
	if s.Binary == "" {
		return nil
	}
	var a []string
	if s.ConfigFile != "" {
		a = append(a, "-F", s.ConfigFile)
	}
	a = append(a, hostArgs(h)...)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := s.command(ctx, append(a, "-G", "--", h.Target)...).Output()
	if err != nil {
		return nil
	}
	m := map[string]string{}
	for _, l := range strings.Split(string(out), "\n") {
		if k, v, ok := strings.Cut(strings.TrimSpace(l), " "); ok {
			m[k] = v
		}
	}
	return m
}

// controlPath is the sockets' path: %C, a hash of the local host,
// remote host, port and user, is short and tells connections apart.
func (s *SSH) controlPath() string { return s.ControlDir + "/%C" }

// Run runs r on h with ssh.
func (s *SSH) Run(ctx context.Context, h Host, r Remote) error {
	cmd := s.command(ctx, s.Args(h, r.Fresh, r.Command)...)
	if !r.Fresh {
		// A client of the master hands its stdio to the master, which
		// keeps it while the remote command runs: ended with the
		// master, not after WaitDelay (a health check that timed out
		// gets a new master, ControlMaster=auto).
		kill := cmd.Cancel
		cmd.Cancel = func() error {
			err := kill()
			s.Close(h)
			return err
		}
	}
	cmd.Stdin, cmd.Stdout = r.Stdin, r.Stdout
	// The last lines of stderr say why ssh failed.
	tail := &tailBuffer{max: 2048}
	if r.Stderr != nil {
		cmd.Stderr = io.MultiWriter(r.Stderr, tail)
	} else {
		cmd.Stderr = tail
	}
	// A master connection that ssh leaves in the background closes its
	// stdio (OpenSSH ≥ 8.4); should an older one keep stderr open, Wait
	// returns this long after ssh exits instead of never.
	cmd.WaitDelay = 5 * time.Second
	err := cmd.Run()
	if err == nil || errors.Is(err, exec.ErrWaitDelay) {
		return nil
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) && ctx.Err() == nil {
		return &RemoteError{Code: ee.ExitCode(), Stderr: failureReason(tail)}
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}

// command is an ssh command. It runs in a process group of its own,
// which ctx's end kills whole (ssh and what it started: a ProxyJump's
// ssh): a Ctrl-C at the terminal reaches gocfg alone, which stops the
// deploy in order (reports the hosts, closes the masters) rather than
// finding its ssh commands dead under it.
func (s *SSH) command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, s.Binary, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		err := syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		if errors.Is(err, syscall.ESRCH) {
			return os.ErrProcessDone
		}
		return err
	}
	return cmd
}

// Close ends the master connection to h (ssh -O exit), if there is one.
func (s *SSH) Close(h Host) {
	a := s.Args(h, false, "")
	s.exit(a[:len(a)-3], "--", h.Target)
}

// exit asks the master of the control options ctl (and destination
// dest) to exit (ssh -O exit), for at most 10 seconds, and waits up to
// masterExitWait for its process to be gone: the master ends after it
// answers, and a deploy that returned before that left an ssh process
// behind it for a moment (an e2e test saw one when the machine was
// busy). Whatever happens, the deploy goes on or ends.
func (s *SSH) exit(ctl []string, dest ...string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var out bytes.Buffer
	check := s.command(ctx, append(append(slices.Clone(ctl), "-O", "check"), dest...)...)
	check.Stderr = &out
	pid := 0
	if check.Run() == nil {
		if m := masterPID.FindSubmatch(out.Bytes()); m != nil {
			pid, _ = strconv.Atoi(string(m[1]))
		}
	}
	_ = s.command(ctx, append(append(slices.Clone(ctl), "-O", "exit"), dest...)...).Run()
	for deadline := time.Now().Add(masterExitWait); pid > 0 && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if errors.Is(syscall.Kill(pid, 0), syscall.ESRCH) {
			return
		}
	}
}

// masterPID finds the master's process in what ssh -O check says
// ("Master running (pid=1234)").
var masterPID = regexp.MustCompile(`\(pid=([0-9]+)\)`)

// masterExitWait bounds the wait for a master to end after ssh -O exit.
const masterExitWait = 3 * time.Second

// A RemoteError is a command that ran and failed (Code: its exit status),
// or ssh that could not run it (Code 255).
type RemoteError struct {
	Code   int
	Stderr string // the last line it printed on stderr
}

func (e *RemoteError) Error() string {
	msg := fmt.Sprintf("exit status %d", e.Code)
	if e.Code == 255 {
		msg = "ssh failed"
	}
	if e.Stderr != "" {
		msg += ": " + e.Stderr
	}
	return msg
}

// Connection reports whether err is ssh failing to connect or losing the
// connection (exit status 255) rather than the command failing.
func Connection(err error) bool {
	var re *RemoteError
	return errors.As(err, &re) && re.Code == 255
}

// failureReason is the line that says why the command failed: the last
// "gocfg: error:" of a gocfg that failed on the host, else the last line
// of ssh's stderr, and, when it is ssh's "Host key verification failed.", what
// that means: the host's key changed (ssh's warning above says so, with
// the ssh-keygen -R command that forgets the old key), or known_hosts
// has none for it; either way a known_hosts matter, not the network.
func failureReason(t *tailBuffer) string {
	last := t.lastLine()
	if last != "Host key verification failed." {
		if e := t.lastGocfgError(); e != "" {
			// A gocfg on the host failed: its error says why, not the
			// hint after it (tester P: "gocfg: hint: nothing was
			// changed" stood in the table for "a file is in the way").
			return e
		}
		return last
	}
	if !bytes.Contains(t.b, []byte("REMOTE HOST IDENTIFICATION HAS CHANGED")) {
		return "host key verification failed: known_hosts has no key for the host, or not the one it offers; check its key and add it to known_hosts"
	}
	remove := "ssh-keygen -R HOST"
	for _, l := range strings.Split(string(bytes.ToValidUTF8(t.b, nil)), "\n") {
		if l = strings.TrimSpace(l); strings.HasPrefix(l, "ssh-keygen ") {
			remove = l
		}
	}
	return "host key verification failed: the host's key changed since known_hosts recorded it; " +
		"unless you know why (a reinstalled host: then check the new key and forget the old one with " + remove + "), do not deploy to it"
}

// A Raw word is passed to the remote shell as it is: an expansion such as
// "$HOME".
type Raw string

// HomePath is path rel below the login user's home on the host, for
// Shell: expanded by the login shell before become runs, so a path in
// the login user's home also under sudo.
func HomePath(rel string) Raw { return Raw(`"$HOME"/` + Quote(rel)) }

// safe are the words the shell reads as they are.
var safe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9_@%+=:,./-]+$`) })

// Quote quotes s for a POSIX shell: as it is when it has only characters
// that are not special, else in single quotes (a ' in it as '\”).
func Quote(s string) string {
	if safe().MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Shell joins words into a line for the remote shell: each string
// quoted, each Raw as it is.
func Shell(words ...any) string {
	var out []string
	for _, w := range words {
		switch w := w.(type) {
		case Raw:
			out = append(out, string(w))
		case string:
			out = append(out, Quote(w))
		case []string:
			for _, s := range w {
				out = append(out, Quote(s))
			}
		default:
			panic(fmt.Sprintf("deploy.Shell: a %T", w))
		}
	}
	return strings.Join(out, " ")
}

// BecomeArgs is how a command gets root on h: "sudo -n" or "doas -n"
// (never a password prompt: there is no terminal), or nothing.
func BecomeArgs(h Host) []string {
	if h.Become == "" {
		return nil
	}
	return []string{h.Become, "-n"}
}
