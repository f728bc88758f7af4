package e2e

import (
	"strings"
	"testing"
)

// TestOptionsFirewallPing: in one booted Debian container with nftables
// and iproute2, networking.firewall with allow_ping = false and port
// ranges loads a table that nft accepted (the plan's nft -c, then the
// switch's nft -f): it has no rule that accepts an ICMP or ICMPv6 echo
// request, keeps the rest of ICMPv6, and has the ranges in the ports'
// set. From another network namespace, over a veth pair, a port inside
// a TCP range answers and a port outside it, listening as well, does
// not (dropped: the connection times out). allow_ping back to its
// default puts both echo-request rules back. (The image has no ping
// program: the echo requests themselves are not sent.)
func TestOptionsFirewallPing(t *testing.T) {
	t.Parallel()
	m := boot(t, "e2e-options-fw-ping")
	m.UseLocalDebs(t)
	m.MustExec(t, "apt-get", "install", "-y", "-q", "nftables", "iproute2")

	// The peer, 10.99.0.2, reaches the machine at 10.99.0.1 on gocfg0,
	// not on the loopback the firewall trusts.
	m.addPeer(t)
	// Listeners on 4005 (inside the range) and 4010 (outside it): each
	// accepts connections and hands them to cat.
	for _, port := range []string{"4005", "4010"} {
		m.MustExec(t, "systemd-run", "--unit", "e2e-listen-"+port, "--property=Type=exec",
			"/usr/bin/systemd-socket-activate", "--accept", "--listen=0.0.0.0:"+port, "/bin/cat")
		m.MustExec(t, "sh", "-c", "for i in $(seq 50); do ss -Htln \"sport = :$0\" | grep -q . && exit 0; sleep 0.1; done; exit 1", port)
	}
	// connect opens a TCP connection from the peer to port; it gives up
	// after 3 s (exit 124).
	connect := func(t *testing.T, port string) result {
		t.Helper()
		return m.run(t, "ip", "netns", "exec", "peer", "timeout", "3", "bash", "-c", `exec 3<>"/dev/tcp/10.99.0.1/$0"`, port)
	}
	const cfg = `networking {
  firewall {
    enable                  = true
    allow_ping              = false
    allowed_tcp_ports       = [22]
    allowed_tcp_port_ranges = [{ from = 4000, to = 4007 }]
    allowed_udp_port_ranges = [{ from = 60000, to = 61000 }]
  }
}
`
	t.Run("no ping, port ranges", func(t *testing.T) {
		out := m.switchTo(t, cfg)
		wantContains(t, "the switch", out, "file:/etc/nftables.d/gocfg.nft", "unit:system:gocfg-firewall.service")
		if strings.Contains(out, "on_change") {
			t.Errorf("an on_change hook failed:\n%s", out)
		}
		table := m.out(t, "nft", "list", "table", "inet", "gocfg")
		wantContains(t, "nft list table inet gocfg", table, "policy drop;",
			"tcp dport { 22, 4000-4007 } accept",
			"udp dport 60000-61000 accept",
			"icmpv6 type != { echo-request, nd-redirect, 139 } accept")
		for _, l := range strings.Split(table, "\n") {
			if strings.Contains(l, "echo-request") && !strings.Contains(l, "!=") {
				t.Errorf("a rule accepts echo requests: %q\n%s", strings.TrimSpace(l), table)
			}
		}
		if r := connect(t, "4005"); r.code != 0 {
			t.Errorf("port 4005 (in the range) from the peer: %v", r)
		}
		if r := connect(t, "4010"); r.code != 124 {
			t.Errorf("port 4010 (outside the range) from the peer (want a time-out, exit 124): %v", r)
		}
		out = m.mustGocfg(t, "switch", "-c", cfgDir)
		wantContains(t, "the second switch", out, noChanges)
	})

	t.Run("ping allowed again", func(t *testing.T) {
		out := m.switchTo(t, strings.Replace(cfg, "    allow_ping              = false\n", "", 1))
		if l := planLine(out, "file:/etc/nftables.d/gocfg.nft"); !strings.HasPrefix(l, "~") {
			t.Errorf("the switch does not change the ruleset:\n%s", out)
		}
		table := m.out(t, "nft", "list", "table", "inet", "gocfg")
		wantContains(t, "nft list table inet gocfg", table,
			`icmp type echo-request accept comment "allow ping"`,
			"icmpv6 type != { nd-redirect, 139 } accept",
			"tcp dport { 22, 4000-4007 } accept")
	})
}
