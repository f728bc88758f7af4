package e2e

import (
	"bufio"
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gocfg/gocfg/internal/fleettest"
)

// TestFleetHarness checks the harness the `gocfg deploy` tests stand on
// (internal/fleettest): three booted hosts with real sshd, each in its own
// network namespace, answer `ssh -F` from the control namespace as root
// and as the deploy user (with sudo); a key they do not authorize is
// refused; a host whose network is cut fails within ConnectTimeout while
// the others answer; killed connections end; and the cleanup leaves no
// namespace behind.
func TestFleetHarness(t *testing.T) {
	t.Parallel()
	var f *fleettest.Fleet
	var namespaces []string
	t.Run("fleet", func(t *testing.T) {
		f = fleettest.New(t, 3)
		namespaces = append(namespaces, f.ControlNetns())
		for _, h := range f.Hosts() {
			namespaces = append(namespaces, h.Netns())
		}
		ssh := func(t *testing.T, target string, command ...string) string {
			t.Helper()
			out, err := f.SSH(t, target, command...)
			if err != nil {
				t.Fatal(err)
			}
			return strings.TrimSpace(out)
		}

		t.Run("each host answers", func(t *testing.T) {
			for _, h := range f.Hosts() {
				wantEqual(t, "ssh "+h.Name()+" hostname", ssh(t, h.Name(), "hostname"), h.Name())
				wantEqual(t, "its address", ssh(t, h.Name(), "hostname", "-I"), h.Addr())
			}
		})

		t.Run("deploy user with sudo", func(t *testing.T) {
			target := fleettest.DeployUser + "@host1"
			wantEqual(t, "id -un", ssh(t, target, "id", "-un"), fleettest.DeployUser)
			wantEqual(t, "sudo -n id -u", ssh(t, target, "sudo", "-n", "id", "-u"), "0")
		})

		t.Run("the hosts are not on the test machine's network", func(t *testing.T) {
			out, err := exec.Command("ip", "-o", "addr").CombinedOutput()
			if err != nil {
				t.Fatalf("ip -o addr: %v\n%s", err, out)
			}
			if strings.Contains(string(out), fleettest.ControlAddr) {
				t.Errorf("the fleet's address %s is in the test process's namespace:\n%s", fleettest.ControlAddr, out)
			}
		})

		t.Run("a key not authorized is refused", func(t *testing.T) {
			h := f.Hosts()[0]
			stranger := filepath.Join(t.TempDir(), "stranger")
			if err := fleettest.NewKey(stranger, "stranger"); err != nil {
				t.Fatal(err)
			}
			// Without the fleet's ssh_config, whose IdentityFile ssh would
			// offer too.
			with := func(key string) (string, error) {
				return f.Run(t, "ssh", "-F", "/dev/null",
					"-o", "UserKnownHostsFile="+f.KnownHosts(), "-o", "StrictHostKeyChecking=yes",
					"-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none",
					"-i", key, "root@"+h.Addr(), "true")
			}
			if out, err := with(f.ClientKey()); err != nil {
				t.Fatalf("the fleet's key with the same options: %v\n%s", err, out)
			}
			out, err := with(stranger)
			if err == nil {
				t.Fatalf("a key that no host authorizes logged in")
			}
			wantContains(t, "ssh with the stranger's key", out, "Permission denied (publickey)")
		})

		t.Run("network cut", func(t *testing.T) {
			h := f.Hosts()[1]
			h.CutNetwork(t)
			start := time.Now()
			out, err := f.SSH(t, h.Name(), "true")
			took := time.Since(start)
			if err == nil {
				t.Fatalf("ssh %s worked with its network cut", h.Name())
			}
			t.Logf("ssh %s failed after %s: %s", h.Name(), took.Round(time.Millisecond), strings.TrimSpace(out))
			if limit := fleettest.ConnectTimeout*time.Second + 2*time.Second; took > limit {
				t.Errorf("ssh took %s to fail; want at most ConnectTimeout (%ds) and a little", took, fleettest.ConnectTimeout)
			}
			// The others answer meanwhile.
			wantEqual(t, "ssh host1 hostname", ssh(t, "host1", "hostname"), "host1")
			h.RestoreNetwork(t)
			wantEqual(t, "after the network is back", ssh(t, h.Name(), "hostname"), h.Name())
		})

		t.Run("connections killed", func(t *testing.T) {
			h := f.Hosts()[2]
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			cmd := f.Control(ctx, "ssh", "-F", f.SSHConfig(), h.Name(), "echo ready; sleep 50")
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			if line, err := bufio.NewReader(stdout).ReadString('\n'); err != nil || line != "ready\n" {
				t.Fatalf("the long ssh session: %q, %v", line, err)
			}
			if n := h.KillSSHConnections(t); n == 0 {
				t.Errorf("KillSSHConnections killed nothing")
			}
			start := time.Now()
			err = cmd.Wait()
			t.Logf("the session ended after %s: %v", time.Since(start).Round(time.Millisecond), err)
			if err == nil || ctx.Err() != nil {
				t.Errorf("the session did not end with an error on its own: %v (context: %v)", err, ctx.Err())
			}
			// New connections still work.
			wantEqual(t, "a new connection", ssh(t, h.Name(), "hostname"), h.Name())
		})
	})
	if f == nil {
		return
	}

	// The fleet's cleanup has run: its namespaces are gone.
	out, err := exec.Command("ip", "netns", "list").CombinedOutput()
	if err != nil {
		t.Fatalf("ip netns list: %v\n%s", err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if fields := strings.Fields(line); len(fields) > 0 {
			for _, ns := range namespaces {
				if fields[0] == ns {
					t.Errorf("namespace %s is still there after the cleanup", ns)
				}
			}
		}
	}
	for _, h := range f.Hosts() {
		if _, err := h.Machine().Exec(t, "true"); err == nil {
			t.Errorf("%s still runs after the cleanup", h.Name())
		}
	}
}
