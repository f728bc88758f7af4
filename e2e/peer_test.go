package e2e

import "testing"

// addPeer makes a peer in its own network namespace, "peer", at
// 10.99.0.2, that reaches the machine at 10.99.0.1 through a veth pair:
// its packets come in on gocfg0, not on the loopback a firewall trusts.
func (m *machine) addPeer(t testing.TB) {
	t.Helper()
	m.MustExec(t, "ip", "netns", "add", "peer")
	m.MustExec(t, "ip", "link", "add", "gocfg0", "type", "veth", "peer", "name", "gocfg1", "netns", "peer")
	m.MustExec(t, "ip", "addr", "add", "10.99.0.1/24", "dev", "gocfg0")
	m.MustExec(t, "ip", "link", "set", "gocfg0", "up")
	m.MustExec(t, "ip", "-n", "peer", "addr", "add", "10.99.0.2/24", "dev", "gocfg1")
	m.MustExec(t, "ip", "-n", "peer", "link", "set", "gocfg1", "up")
	m.MustExec(t, "ip", "-n", "peer", "link", "set", "lo", "up")
}
