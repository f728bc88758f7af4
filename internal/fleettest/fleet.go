package fleettest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gocfg/gocfg/internal/nspawntest"
)

const (
	// prefix starts the name of every network namespace a fleet makes:
	// gft-PID-N (control) and gft-PID-N-HOST (PID of the test process, N
	// its fleet number), so that stale ones can be told apart and swept.
	prefix = "gft"

	// subnet is the fleet's private network, inside its namespaces only:
	// every fleet has its own control namespace, so they may all use it.
	subnet = "10.213.0"

	// ControlAddr is the control namespace's address on the bridge, which
	// the hosts can reach (e.g. a health-check server started with
	// [Fleet.Control]).
	ControlAddr = subnet + ".1"

	// hostIface is the host's end of its veth pair, in its namespace.
	hostIface = "eth0"

	// hostKeyPath is the throwaway host key inside every host, the only
	// one its sshd offers.
	hostKeyPath = "/etc/ssh/fleettest_host_ed25519_key"

	// DeployUser is the ordinary user on every host that the client key
	// logs in as too, with passwordless sudo (for `become`).
	DeployUser = "deployer"

	// ConnectTimeout is the ConnectTimeout of the ssh_config, in seconds.
	ConnectTimeout = 5
)

// seq numbers the fleets of this test process.
var seq atomic.Int64

// Options says how [Start] sets up a fleet. The zero value is one host
// named host1.
type Options struct {
	// Names are the hosts' machine names: their hostnames and Host
	// aliases in the ssh_config (valid hostname labels, at most 200).
	// Default host1 … hostN for N = Hosts.
	Names []string

	// Hosts is the number of hosts when Names is empty; default 1.
	Hosts int

	// Gocfg, when set, is a gocfg binary bound read-only into every host
	// at /usr/local/bin/gocfg (see [nspawntest.Options]).
	Gocfg string

	// BootTimeout is each host's (see [nspawntest.Options]).
	BootTimeout time.Duration
}

// Fleet is a set of booted hosts running sshd, each in its own network
// namespace, bridged to a control namespace where the SSH client runs.
// Its methods may be called from several goroutines.
type Fleet struct {
	id      string // gft-PID-N
	control string // the control namespace: id
	dir     string // ssh_config, known_hosts, keys
	hosts   []*Host
}

// Host is one host of a fleet.
type Host struct {
	name    string
	addr    string
	netns   string
	hostKey string // public, "ssh-ed25519 AAAA… comment"
	machine *nspawntest.Container
}

// New boots a fleet of n hosts, host1 … hostN (see [Start]).
func New(t testing.TB, n int) *Fleet {
	t.Helper()
	return Start(t, Options{Hosts: n})
}

// Start boots a fleet: a control namespace with a bridge, one namespace
// per host joined to it by a veth pair, one booted container per host in
// its namespace, with openssh-server and sudo from the local apt
// repository, a throwaway host key, and the fleet's client key authorized
// for root and for [DeployUser]; then it checks that `ssh -F
// [Fleet.SSHConfig] HOST true` works from the control namespace for
// every host. The test's cleanup halts the hosts and deletes the
// namespaces, even when the test fails half way.
//
// Start skips the test when this machine cannot do it (see
// [nspawntest.Require]; also ip, ssh and ssh-keygen, and the local apt
// repository with openssh-server that .ci/rootfs.sh builds) and fails it
// instead with GOCFG_NSPAWNTEST_REQUIRE set.
func Start(t testing.TB, opts Options) *Fleet {
	t.Helper()
	require(t)
	names := opts.Names
	if len(names) == 0 {
		n := opts.Hosts
		if n <= 0 {
			n = 1
		}
		for i := range n {
			names = append(names, fmt.Sprintf("host%d", i+1))
		}
	}
	if len(names) > 200 {
		t.Fatalf("fleettest: %d hosts; at most 200", len(names))
	}
	seen := map[string]bool{}
	for _, name := range names {
		if !validName.MatchString(name) || seen[name] {
			t.Fatalf("fleettest: host name %q is not a valid hostname label, or given twice", name)
		}
		seen[name] = true
	}
	sweep(t)

	start := time.Now()
	f := &Fleet{
		id:  fmt.Sprintf("%s-%d-%d", prefix, os.Getpid(), seq.Add(1)),
		dir: t.TempDir(),
	}
	f.control = f.id
	for i, name := range names {
		f.hosts = append(f.hosts, &Host{
			name:  name,
			addr:  fmt.Sprintf("%s.%d", subnet, 10+i),
			netns: f.id + "-" + name,
		})
	}

	// Registered before the hosts boot, so that it runs after their
	// cleanups have halted them (cleanups run last registered first): a
	// namespace lives on while a container is in it.
	var created []string
	t.Cleanup(func() {
		for i := len(created) - 1; i >= 0; i-- {
			if err := ipNetnsDel(created[i]); err != nil {
				t.Errorf("fleettest: %v", err)
			}
		}
		releaseRunNetns(t)
	})
	holdRunNetns()
	addNetns := func(name string) {
		t.Helper()
		if _, err := run(context.Background(), "ip", "netns", "add", name); err != nil {
			t.Fatalf("fleettest: %v", err)
		}
		created = append(created, name)
	}

	// The network: nothing in it touches the test process's namespace.
	addNetns(f.control)
	ipOrFatal := func(args ...string) {
		t.Helper()
		if _, err := run(context.Background(), "ip", args...); err != nil {
			t.Fatalf("fleettest: %v", err)
		}
	}
	ipOrFatal("-n", f.control, "link", "set", "lo", "up")
	ipOrFatal("-n", f.control, "link", "add", "br0", "type", "bridge")
	ipOrFatal("-n", f.control, "addr", "add", ControlAddr+"/24", "dev", "br0")
	ipOrFatal("-n", f.control, "link", "set", "br0", "up")
	for i, h := range f.hosts {
		addNetns(h.netns)
		port := fmt.Sprintf("veth%d", i+1)
		ipOrFatal("-n", h.netns, "link", "set", "lo", "up")
		// Both ends are made where they live: the peer directly in the
		// host's namespace.
		ipOrFatal("-n", f.control, "link", "add", port, "type", "veth", "peer", "name", hostIface, "netns", h.netns)
		ipOrFatal("-n", f.control, "link", "set", port, "master", "br0", "up")
		ipOrFatal("-n", h.netns, "addr", "add", h.addr+"/24", "dev", hostIface)
		ipOrFatal("-n", h.netns, "link", "set", hostIface, "up")
	}

	// Keys: the client's, and each host's. What a host needs goes into a
	// folder of its own, bound read-only into its container at
	// setupMount.
	clientKey := f.ClientKey()
	if err := NewKey(clientKey, "fleettest client"); err != nil {
		t.Fatalf("fleettest: %v", err)
	}
	clientPub, err := os.ReadFile(clientKey + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range f.hosts {
		dir := filepath.Join(f.dir, "hosts", h.name)
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		key := filepath.Join(dir, "ssh_host_ed25519_key")
		if err := NewKey(key, "root@"+h.name); err != nil {
			t.Fatalf("fleettest: %v", err)
		}
		pub, err := os.ReadFile(key + ".pub")
		if err != nil {
			t.Fatal(err)
		}
		h.hostKey = strings.TrimSpace(string(pub))
		for name, data := range map[string]string{
			"authorized_keys": string(clientPub),
			"fleettest.conf":  sshdConfig,
			"setup.sh":        setupScript,
		} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := f.writeClientConfig(clientKey); err != nil {
		t.Fatalf("fleettest: %v", err)
	}

	// Boot one after another (Boot fails the test, which only the test's
	// goroutine may do); each host is set up while the next one boots.
	var wg sync.WaitGroup
	// If a boot fails the test, the setups under way end when the
	// cleanups halt their containers: wait for them before the
	// namespaces go (and before the test is over, as they log).
	t.Cleanup(wg.Wait)
	errs := make([]error, len(f.hosts))
	for i, h := range f.hosts {
		h.machine = nspawntest.Boot(t, nspawntest.Options{
			Name:                 h.name,
			NetworkNamespacePath: filepath.Join(runNetns, h.netns),
			Gocfg:                opts.Gocfg,
			BindRO:               []string{bindEscape(filepath.Join(f.dir, "hosts", h.name)) + ":" + setupMount},
			BootTimeout:          opts.BootTimeout,
		})
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = h.setup(t)
		}()
	}
	booted := time.Since(start)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("fleettest: setting up the hosts: %v", err)
	}
	setUp := time.Since(start)

	// Every host answers over SSH from the control namespace.
	for i, h := range f.hosts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = f.waitSSH(t, h, 20*time.Second)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("fleettest: %v", err)
	}
	t.Logf("fleettest: %d hosts up in %s (booted after %s, sshd set up after %s); ssh -F %s",
		len(f.hosts), time.Since(start).Round(time.Millisecond), booted.Round(time.Millisecond),
		setUp.Round(time.Millisecond), f.SSHConfig())
	return f
}

// sshdConfig is the hosts' sshd configuration, a drop-in read before
// Debian's /etc/ssh/sshd_config (the first value of an option wins).
const sshdConfig = `# internal/fleettest
HostKey ` + hostKeyPath + `
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
`

// setupMount is where a host sees its setup folder: setup.sh, its host
// key, the authorized key and the sshd drop-in.
const setupMount = "/srv/fleettest"

// setupScript installs and configures sshd inside a host, from
// setupMount; $1 is the deploy user. apt sees only the local repository
// (like [nspawntest.Container.UseLocalDebs]).
const setupScript = `set -eu
cd ` + setupMount + `
echo "deb [trusted=yes] file:` + nspawntest.DebsMount + ` ./" >/etc/apt/sources.list
rm -f /etc/apt/sources.list.d/*
log=/var/log/fleettest-setup.log
t0=$(date +%s%N)
if ! { apt-get update -q && apt-get install -y -q --no-install-recommends \
	-o Dpkg::Options::=--force-unsafe-io openssh-server sudo; } >$log 2>&1; then
	cat $log
	exit 1
fi
t1=$(date +%s%N)
# sudo resolves its own host name.
printf '127.0.1.1\t%s\n' "$(hostname)" >>/etc/hosts
install -m 0600 ssh_host_ed25519_key ` + hostKeyPath + `
install -m 0644 fleettest.conf /etc/ssh/sshd_config.d/fleettest.conf
install -d -m 0700 /root/.ssh
install -m 0600 authorized_keys /root/.ssh/authorized_keys
useradd -m -s /bin/bash "$1"
# No password, but not locked either: '*' (sshd refuses a locked account).
usermod -p '*' "$1"
home=$(getent passwd "$1" | cut -d: -f6)
install -d -m 0700 -o "$1" -g "$(id -g "$1")" "$home/.ssh"
install -m 0600 -o "$1" -g "$(id -g "$1")" authorized_keys "$home/.ssh/authorized_keys"
printf '%s ALL=(ALL:ALL) NOPASSWD: ALL\n' "$1" >/etc/sudoers.d/fleettest
chmod 0440 /etc/sudoers.d/fleettest
sshd -t
systemctl enable -q ssh.service
systemctl restart ssh.service
t2=$(date +%s%N)
echo "apt-get install $(( (t1 - t0) / 1000000 ))ms, configuring and restarting sshd $(( (t2 - t1) / 1000000 ))ms"
`

// setup installs and starts sshd inside h. It runs on its own goroutine,
// so it reports instead of failing the test.
func (h *Host) setup(t testing.TB) error {
	start := time.Now()
	out, err := h.machine.Exec(t, "sh", setupMount+"/setup.sh", DeployUser)
	if err != nil {
		return fmt.Errorf("%s: %w", h.name, err)
	}
	if out = strings.TrimSpace(out); out != "" {
		t.Logf("fleettest: %s: %s", h.name, out)
	}
	t.Logf("fleettest: %s: sshd set up in %s", h.name, time.Since(start).Round(time.Millisecond))
	return nil
}

// waitSSH waits for `ssh HOST true` from the control namespace to work.
func (f *Fleet) waitSSH(t testing.TB, h *Host, wait time.Duration) error {
	deadline := time.Now().Add(wait)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*ConnectTimeout*time.Second)
		out, err := f.Control(ctx, "ssh", "-F", f.SSHConfig(), h.name, "true").CombinedOutput()
		cancel()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("ssh %s from the control namespace: %v\n%s", h.name, err, out)
		}
		t.Logf("fleettest: %s not reachable yet: %v: %s", h.name, err, bytes.TrimSpace(out))
		time.Sleep(200 * time.Millisecond)
	}
}

// writeClientConfig writes known_hosts and ssh_config into f.dir.
func (f *Fleet) writeClientConfig(clientKey string) error {
	var known, cfg strings.Builder
	fmt.Fprintf(&cfg, "# internal/fleettest: fleet %s (control namespace %s)\n", f.id, f.control)
	for _, h := range f.hosts {
		fields := strings.Fields(h.hostKey)
		fmt.Fprintf(&known, "%s,%s %s %s\n", h.name, h.addr, fields[0], fields[1])
		fmt.Fprintf(&cfg, "\nHost %s\n  HostName %s\n  Port 22\n  User root\n", h.name, h.addr)
	}
	if err := os.WriteFile(f.KnownHosts(), []byte(known.String()), 0o644); err != nil {
		return err
	}
	// After the hosts: for each option the first value found wins.
	fmt.Fprintf(&cfg, `
Host *
  IdentityFile %s
  IdentitiesOnly yes
  IdentityAgent none
  UserKnownHostsFile %s
  GlobalKnownHostsFile /dev/null
  StrictHostKeyChecking yes
  UpdateHostKeys no
  BatchMode yes
  ConnectTimeout %d
  LogLevel ERROR
`, clientKey, f.KnownHosts(), ConnectTimeout)
	return os.WriteFile(f.SSHConfig(), []byte(cfg.String()), 0o644)
}

// SSHConfig is the path of the fleet's client configuration, for `ssh
// -F`: a Host entry per host (its name; HostName its address, Port 22,
// User root), then for all of them IdentityFile (the client key),
// IdentitiesOnly, UserKnownHostsFile (the real host keys),
// StrictHostKeyChecking yes, BatchMode yes and ConnectTimeout
// [ConnectTimeout]. `ssh -F CFG deployer@host1` logs in as [DeployUser].
func (f *Fleet) SSHConfig() string { return filepath.Join(f.dir, "ssh_config") }

// KnownHosts is the path of the known_hosts file that SSHConfig names:
// each host's key under its name and its address.
func (f *Fleet) KnownHosts() string { return filepath.Join(f.dir, "known_hosts") }

// ClientKey is the path of the client's private key (authorized for root
// and DeployUser on every host); its public key is ClientKey()+".pub".
func (f *Fleet) ClientKey() string { return filepath.Join(f.dir, "id_ed25519") }

// Dir is the fleet's folder on the test machine (SSHConfig, KnownHosts,
// ClientKey); a test may put more files there.
func (f *Fleet) Dir() string { return f.dir }

// ControlNetns is the name of the control namespace (under /run/netns).
func (f *Fleet) ControlNetns() string { return f.control }

// Hosts are the fleet's hosts, in the order of Options.Names.
func (f *Fleet) Hosts() []*Host { return f.hosts }

// Host is the host named name, or nil.
func (f *Fleet) Host(name string) *Host {
	for _, h := range f.hosts {
		if h.name == name {
			return h
		}
	}
	return nil
}

// Control is a command that runs name with args in the control
// namespace (`ip netns exec`), with the test process's environment and
// file system: e.g. `f.Control(ctx, "ssh", "-F", f.SSHConfig(), "host1",
// "true")`, or gocfg deploy. The caller runs it (and may set its
// Stdout, Env, Dir …); ctx kills it.
func (f *Fleet) Control(ctx context.Context, name string, args ...string) *exec.Cmd {
	return exec.CommandContext(ctx, "ip", append([]string{"netns", "exec", f.control, name}, args...)...)
}

// Run runs name with args in the control namespace, for at most a
// minute, and returns its combined output; the error says the command
// and carries the output.
func (f *Fleet) Run(t testing.TB, name string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	start := time.Now()
	out, err := f.Control(ctx, name, args...).CombinedOutput()
	t.Logf("fleettest: control$ %s %s (%s)", name, strings.Join(args, " "), time.Since(start).Round(time.Millisecond))
	if err != nil {
		return string(out), fmt.Errorf("fleettest: in the control namespace: %s %s: %w; output:\n%s",
			name, strings.Join(args, " "), err, bytes.TrimRight(out, "\n"))
	}
	return string(out), nil
}

// SSH runs `ssh -F SSHConfig target command...` in the control namespace
// (see Run). target is a host's name, or USER@NAME; ssh joins command
// with spaces into one line for the remote shell.
func (f *Fleet) SSH(t testing.TB, target string, command ...string) (string, error) {
	t.Helper()
	return f.Run(t, "ssh", append([]string{"-F", f.SSHConfig(), target}, command...)...)
}

// Name is the host's machine name: its hostname and its alias in the
// ssh_config.
func (h *Host) Name() string { return h.name }

// Addr is the host's IPv4 address, reachable from the control namespace.
func (h *Host) Addr() string { return h.addr }

// Netns is the name of the host's network namespace (under /run/netns),
// which its container shares.
func (h *Host) Netns() string { return h.netns }

// HostKey is the public host key its sshd offers
// ("ssh-ed25519 AAAA… root@NAME").
func (h *Host) HostKey() string { return h.hostKey }

// Machine is the host's container, to run checks inside with Exec and
// friends (not over SSH).
func (h *Host) Machine() *nspawntest.Container { return h.machine }

// CutNetwork takes the host off the network: its interface goes down
// inside its namespace, so packets to and from it are lost (new
// connections time out or are refused as unreachable, established ones
// hang) until RestoreNetwork.
func (h *Host) CutNetwork(t testing.TB) {
	t.Helper()
	if _, err := run(context.Background(), "ip", "-n", h.netns, "link", "set", hostIface, "down"); err != nil {
		t.Fatalf("fleettest: %v", err)
	}
	t.Logf("fleettest: %s: network cut", h.name)
}

// RestoreNetwork undoes CutNetwork.
func (h *Host) RestoreNetwork(t testing.TB) {
	t.Helper()
	if _, err := run(context.Background(), "ip", "-n", h.netns, "link", "set", hostIface, "up"); err != nil {
		t.Fatalf("fleettest: %v", err)
	}
	t.Logf("fleettest: %s: network restored", h.name)
}

// killScript kills (SIGKILL) every sshd process of the host but the
// listener, and prints their PIDs: each connection's processes, so the
// client sees its connection end, and what ran in it loses its session.
const killScript = `main=$(systemctl show -P MainPID ssh.service)
for pid in $(pgrep -x sshd); do
	[ "$pid" = "$main" ] && continue
	kill -KILL "$pid" 2>/dev/null && echo "$pid"
done
true`

// KillSSHConnections ends every established SSH connection to the host
// abruptly, from its side: the sshd processes serving them are killed
// with SIGKILL (by PID; the listener stays, so new connections work). The
// commands that ran in those connections are not killed, but lose their
// session as on a real dropped connection. It returns how many processes
// it killed.
func (h *Host) KillSSHConnections(t testing.TB) int {
	t.Helper()
	out, err := h.machine.Exec(t, "sh", "-c", killScript)
	if err != nil {
		t.Fatalf("fleettest: %s: killing its SSH connections: %v", h.name, err)
	}
	n := len(strings.Fields(out))
	t.Logf("fleettest: %s: killed %d sshd processes of established connections", h.name, n)
	return n
}

// NewKey writes a new ed25519 key pair without passphrase to path and
// path.pub (ssh-keygen), e.g. a key that no host authorizes.
func NewKey(path, comment string) error {
	_, err := run(context.Background(), "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", path)
	return err
}

// bindEscape escapes a path for systemd-nspawn's --bind syntax.
func bindEscape(p string) string {
	return strings.NewReplacer(`\`, `\\`, `:`, `\:`).Replace(p)
}

var validName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]{0,62}$`)

// run runs a command on the test machine and returns its combined
// output; the error carries it.
func run(ctx context.Context, name string, args ...string) (string, error) {
	out, err := exec.CommandContext(ctx, name, args...).CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("%s %s: %v: %s", name, strings.Join(args, " "), err, bytes.TrimSpace(out))
	}
	return string(out), nil
}

// require skips the test (or fails it with GOCFG_NSPAWNTEST_REQUIRE)
// unless a fleet can be made here.
func require(t testing.TB) {
	t.Helper()
	nspawntest.Require(t)
	for _, cmd := range []string{"ip", "ssh", "ssh-keygen"} {
		if _, err := exec.LookPath(cmd); err != nil {
			nspawntest.Unavailable(t, "fleettest", "%s not found; apt-get install -y --no-install-recommends iproute2 openssh-client", cmd)
		}
	}
	packages, err := os.ReadFile(filepath.Join(nspawntest.DebsDir(), "Packages"))
	if err != nil || !bytes.Contains(packages, []byte("\nPackage: openssh-server\n")) && !bytes.HasPrefix(packages, []byte("Package: openssh-server\n")) {
		nspawntest.Unavailable(t, "fleettest", "the local apt repository %s has no openssh-server; rebuild it with .ci/rootfs.sh (as root, from the repository root)", nspawntest.DebsDir())
	}
}

// ipNetnsDel deletes the network namespace name if it is there.
func ipNetnsDel(name string) error {
	if _, err := os.Stat(filepath.Join(runNetns, name)); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	_, err := run(context.Background(), "ip", "netns", "del", name)
	return err
}

// stale matches the namespaces of a fleet: gft-PID-N and gft-PID-N-….
var stale = regexp.MustCompile(`^` + prefix + `-([0-9]+)-[0-9]+(-|$)`)

// sweep deletes the namespaces of fleets whose test process died before
// its cleanup ran (killed, or timed out).
func sweep(t testing.TB) {
	entries, err := os.ReadDir(runNetns)
	if err != nil {
		return
	}
	for _, e := range entries {
		m := stale.FindStringSubmatch(e.Name())
		if m == nil {
			continue
		}
		pid, _ := strconv.Atoi(m[1])
		if pid == os.Getpid() || processExists(pid) {
			continue
		}
		if err := ipNetnsDel(e.Name()); err != nil {
			t.Logf("fleettest: removing the stale namespace %s: %v", e.Name(), err)
		} else {
			t.Logf("fleettest: removed the stale namespace %s (its test process %d is gone)", e.Name(), pid)
		}
	}
}

// processExists reports whether a process pid exists.
func processExists(pid int) bool {
	_, err := os.Stat("/proc/" + strconv.Itoa(pid))
	return err == nil
}

// runNetns is where ip keeps named network namespaces: a folder it makes
// and mounts on itself (a shared mount) the first time.
const runNetns = "/run/netns"

// The live fleets of this process, and whether the first of them found
// /run/netns missing or empty (then the last one out removes it, if
// nothing else is in it).
var runNetnsState struct {
	sync.Mutex
	live    int
	created bool
}

func holdRunNetns() {
	s := &runNetnsState
	s.Lock()
	defer s.Unlock()
	if s.live == 0 {
		// Missing, or empty: what a fleet of a killed test process leaves
		// once sweep has deleted its namespaces.
		entries, err := os.ReadDir(runNetns)
		s.created = errors.Is(err, os.ErrNotExist) || err == nil && len(entries) == 0
	}
	s.live++
}

func releaseRunNetns(t testing.TB) {
	s := &runNetnsState
	s.Lock()
	defer s.Unlock()
	s.live--
	if s.live > 0 || !s.created {
		return
	}
	if entries, err := os.ReadDir(runNetns); err != nil || len(entries) > 0 {
		return
	}
	// ip mounts it on itself; if it did not, umount fails harmlessly.
	_, _ = run(context.Background(), "umount", runNetns)
	if err := os.Remove(runNetns); err != nil {
		t.Logf("fleettest: %v", err)
	}
}
