package builtin_test

import (
	"net/netip"
	"strconv"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/modules"
	"github.com/hashicorp/hcl/v2"
)

// debian is the host of the Linux-only modules' tests.
var debian = linuxHost("debian")

// evalAll loads src as the entry module for host and evaluates the whole
// configuration, assert and warn blocks included. It returns the JSON
// of each path (nil for an unset one) and the diagnostics, one a line:
// the errors, and the warnings apart.
func evalAll(t *testing.T, host modules.Host, src string, paths ...string) (got map[string]any, errs, warns string) {
	t.Helper()
	ev, diags := modules.Load(modules.Options{Entry: writeModule(t, src), Host: host})
	if diags.HasErrors() {
		return nil, diags.Error(), ""
	}
	_, d := ev.All()
	diags = append(diags, d...)
	var e, w []string
	for _, x := range diags {
		if x.Severity == hcl.DiagError {
			e = append(e, x.Error())
		} else {
			w = append(w, x.Error())
		}
	}
	errs, warns = strings.Join(e, "\n"), strings.Join(w, "\n")
	if errs != "" {
		return nil, errs, warns
	}
	got = map[string]any{}
	for _, p := range paths {
		js, diags := ev.JSON(p)
		if diags.HasErrors() {
			t.Fatalf("JSON of %s: %s", p, diags.Error())
		}
		got[p] = decode(t, string(js))
	}
	return got, "", warns
}

const nftPath = `environment.etc."nftables.d/gocfg.nft".text`

// TestFirewallPingAndRanges checks the lines allow_ping and the port
// ranges give the ruleset: the ranges in the same set as the ports,
// and no echo request accepted, for IPv4 nor IPv6, without ping, while
// the rest of ICMPv6 stays. (nft itself checks the rulesets in
// cmd/gocfg's options_firewall_ranges.txtar and e2e
// TestOptionsFirewallPing.)
func TestFirewallPingAndRanges(t *testing.T) {
	const ping4 = `    icmp type echo-request accept comment "allow ping"`
	const icmp6 = `    icmpv6 type != { nd-redirect, 139 } accept comment "ICMPv6 but redirects and node information queries (RFC 4890, 4.4)"`
	const icmp6NoPing = `    icmpv6 type != { nd-redirect, 139, echo-request } accept comment "ICMPv6 but redirects, node information queries (RFC 4890, 4.4) and pings (allow_ping = false)"`
	const dhcp6 = `    ip6 daddr fe80::/64 udp dport 546 accept comment "DHCPv6 client"`
	tests := []struct {
		name     string
		firewall string // the body of networking.firewall, enable = true added
		want     []string
		wantNot  []string
	}{
		{
			name:     "ping by default",
			firewall: `allowed_tcp_ports = [22]`,
			want:     []string{"    tcp dport { 22 } accept", ping4, icmp6, dhcp6},
			wantNot:  []string{icmp6NoPing, "udp dport {"},
		},
		{
			name:     "no ping",
			firewall: `allow_ping = false`,
			want:     []string{icmp6NoPing, dhcp6},
			wantNot:  []string{ping4, icmp6, "tcp dport {", "udp dport {"},
		},
		{
			name: "ranges with the ports",
			firewall: `allowed_tcp_ports       = [22, 4001]
    allowed_tcp_port_ranges = [{ from = 4000, to = 4007 }, { from = 8080, to = 8080 }, { from = 4000, to = 4007 }]
    allowed_udp_port_ranges = [{ from = 60000, to = 61000 }]`,
			want: []string{"    tcp dport { 22, 4001, 4000-4007, 8080 } accept", "    udp dport { 60000-61000 } accept", ping4},
		},
		{
			name:     "ranges alone",
			firewall: `allowed_udp_port_ranges = [{ from = 1, to = 65535 }]`,
			want:     []string{"    udp dport { 1-65535 } accept"},
			wantNot:  []string{"tcp dport {"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "networking {\n  firewall {\n    enable = true\n    " + tt.firewall + "\n  }\n}\n"
			got, errs, warns := evalAll(t, debian, src, nftPath)
			if errs != "" || warns != "" {
				t.Fatalf("errors:\n%s\nwarnings:\n%s", errs, warns)
			}
			text, _ := got[nftPath].(string)
			lines := strings.Split(text, "\n")
			for _, w := range tt.want {
				if indexOf(lines, w) < 0 {
					t.Errorf("no line %q in the ruleset:\n%s", w, text)
				}
			}
			for _, w := range tt.wantNot {
				if strings.Contains(text, w) {
					t.Errorf("the ruleset has %q:\n%s", w, text)
				}
			}
			// The rest of the chain stays in its order.
			if i, j := indexOf(lines, dhcp6), indexOf(lines, "  chain input-allow {"); i < 0 || j < 0 || i < j {
				t.Errorf("the DHCPv6 rule is not in input-allow:\n%s", text)
			}
		})
	}
}

// TestFirewallRangeErrors checks that a range out of 1..65535, one
// whose from is above its to, and one without an end, are errors at the
// user's line that name the option and the range; and that the ranges
// and allow_ping warn on macOS, where they mean nothing.
func TestFirewallRangeErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
		also            string // another error it reports, if not ""
	}{
		{
			name: "from above to",
			src:  `networking = { firewall = { allowed_tcp_port_ranges = [{ from = 4000, to = 4007 }, { from = 5000, to = 4000 }] } }`,
			want: `host.hcl:1,55-111: Assertion failed; networking.firewall.allowed_tcp_port_ranges: a range is { from, to } with 1 <= from <= to <= 65535, not { from = 5000, to = 4000 }.`,
		},
		{
			name: "out of range, both lists",
			src: `networking {
  firewall {
    allowed_tcp_port_ranges = [{ from = 0, to = 10 }]
    allowed_udp_port_ranges = [{ from = 60000, to = 70000 }, { from = 1, to = 2 }]
  }
}`,
			want: `host.hcl:3,31-54: Assertion failed; networking.firewall.allowed_tcp_port_ranges: a range is { from, to } with 1 <= from <= to <= 65535, not { from = 0, to = 10 }.`,
			also: `host.hcl:4,31-83: Assertion failed; networking.firewall.allowed_udp_port_ranges: a range is { from, to } with 1 <= from <= to <= 65535, not { from = 60000, to = 70000 }.`,
		},
		{
			name: "udp",
			src:  `networking = { firewall = { allowed_udp_port_ranges = [{ from = 60000, to = 70000 }, { from = 1, to = 2 }] } }`,
			want: `networking.firewall.allowed_udp_port_ranges: a range is { from, to } with 1 <= from <= to <= 65535, not { from = 60000, to = 70000 }.`,
		},
		{
			name: "an end missing",
			src:  `networking = { firewall = { allowed_tcp_port_ranges = [{ from = 4000 }] } }`,
			want: `networking.firewall.allowed_tcp_port_ranges: a range is { from, to } with 1 <= from <= to <= 65535, not { from = 4000, to = null }.`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs, _ := evalAll(t, debian, tt.src)
			for _, w := range []string{tt.want, tt.also} {
				if !strings.Contains(errs, w) {
					t.Errorf("errors do not contain %q:\n%s", w, errs)
				}
			}
		})
	}

	t.Run("macOS", func(t *testing.T) {
		src := `networking {
  firewall {
    enable                  = true
    allow_ping              = false
    allowed_tcp_port_ranges = [{ from = 4000, to = 4007 }]
  }
}`
		_, errs, warns := evalAll(t, darwin, src)
		if errs != "" {
			t.Fatal(errs)
		}
		for _, w := range []string{
			"host.hcl:4,31-36: Warning from the configuration; networking.firewall.allow_ping: applied on Linux only",
			"host.hcl:5,31-59: Warning from the configuration; networking.firewall.allowed_tcp_port_ranges: applied on Linux only",
		} {
			if !strings.Contains(warns, w) {
				t.Errorf("warnings do not contain %q:\n%s", w, warns)
			}
		}
		if _, _, warns := evalAll(t, darwin, `networking = { firewall = { enable = true } }`); warns != "" {
			t.Errorf("the defaults warn on macOS:\n%s", warns)
		}
	})
}

const (
	resolvConf = `environment.etc."resolv.conf"`
	resolvedIn = `environment.etc."systemd/resolved.conf.d/60-gocfg.conf"`
	dnsHeader  = "# Written by gocfg (networking.nameservers, networking.search); replaced by every switch.\n"
)

// TestResolver checks where networking.nameservers and networking.search
// go: the whole /etc/resolv.conf, taken over (force), by default; the
// systemd-resolved drop-in, copied and restarting resolved, with
// networking.resolver = "systemd-resolved"; nothing when both are empty
// or on macOS.
func TestResolver(t *testing.T) {
	tests := []struct {
		name           string
		host           modules.Host
		src            string
		file, dropIn   string // JSON of the entries, "null" for none
		wantWarn       string
		wantNoWarnings bool
	}{
		{
			name:   "resolv.conf",
			host:   debian,
			src:    `networking = { nameservers = ["192.0.2.53", "2001:db8::53", "fe80::1%eth0", "192.0.2.53"], search = ["corp.example.org", "example.org."] }`,
			file:   mustJSON(map[string]any{"text": dnsHeader + "nameserver 192.0.2.53\nnameserver 2001:db8::53\nnameserver fe80::1%eth0\nsearch corp.example.org example.org.\n", "force": true, "method": "link", "user": "root"}),
			dropIn: "null",
		},
		{
			name:     "four servers: glibc asks three",
			host:     debian,
			src:      `networking = { nameservers = ["192.0.2.1", "192.0.2.2", "192.0.2.3", "::ffff:192.0.2.4"] }`,
			file:     mustJSON(map[string]any{"text": dnsHeader + "nameserver 192.0.2.1\nnameserver 192.0.2.2\nnameserver 192.0.2.3\nnameserver ::ffff:192.0.2.4\n", "force": true, "method": "link", "user": "root"}),
			dropIn:   "null",
			wantWarn: "networking.nameservers: glibc's resolver asks only the first 3 nameservers of /etc/resolv.conf; ::ffff:192.0.2.4 will not be asked.",
		},
		{
			name:   "systemd-resolved",
			host:   debian,
			src:    `networking = { resolver = "systemd-resolved", nameservers = ["1.1.1.1#one.one.one.one", "2606:4700:4700::1111"], search = ["corp.example.org", "~."] }`,
			file:   "null",
			dropIn: mustJSON(map[string]any{"text": dnsHeader + "[Resolve]\nDNS=1.1.1.1#one.one.one.one 2606:4700:4700::1111\nDomains=corp.example.org ~.\n", "method": "copy", "user": "root", "on_change": "systemctl -q is-active systemd-resolved.service || exit 0\nsystemctl try-restart systemd-resolved.service\n"}),
		},
		{
			name:   "systemd-resolved, domains alone",
			host:   debian,
			src:    `networking = { resolver = "systemd-resolved", search = ["corp.example.org"] }`,
			file:   "null",
			dropIn: mustJSON(map[string]any{"text": dnsHeader + "[Resolve]\nDomains=corp.example.org\n", "method": "copy", "user": "root", "on_change": "systemctl -q is-active systemd-resolved.service || exit 0\nsystemctl try-restart systemd-resolved.service\n"}),
		},
		{
			name:           "nothing set",
			host:           debian,
			src:            `networking = { resolver = "systemd-resolved" }`,
			file:           "null",
			dropIn:         "null",
			wantNoWarnings: true,
		},
		{
			name:     "macOS",
			host:     darwin,
			src:      `networking = { nameservers = ["192.0.2.53"] }`,
			file:     "null",
			dropIn:   "null",
			wantWarn: "host.hcl:1,30-44: Warning from the configuration; networking.nameservers: applied on Linux only; on macOS nothing is written",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, errs, warns := evalAll(t, tt.host, tt.src, resolvConf, resolvedIn)
			if errs != "" {
				t.Fatal(errs)
			}
			for path, want := range map[string]string{resolvConf: tt.file, resolvedIn: tt.dropIn} {
				if g, w := mustJSON(got[path]), mustJSON(decode(t, want)); g != w {
					t.Errorf("%s = %s, want %s", path, g, w)
				}
			}
			if tt.wantWarn != "" && !strings.Contains(warns, tt.wantWarn) {
				t.Errorf("warnings do not contain %q:\n%s", tt.wantWarn, warns)
			}
			if tt.wantNoWarnings && warns != "" {
				t.Errorf("warnings:\n%s", warns)
			}
		})
	}
}

// TestResolverErrors checks the addresses and domains refused, each
// named in an error at the user's line, and the configurations that
// cannot be written.
func TestResolverErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{
			name: "not addresses",
			src:  `networking = { nameservers = ["192.0.2.53", "dns.example.org", "256.1.1.1", "2001:db8::1::2", "[::1]:53", "192.0.2.1:53", "1.1.1.1#one.one.one.one", " 192.0.2.2", "fe80::1%"] }`,
			want: `host.hcl:1,30-175: Assertion failed; networking.nameservers: not an IP address: "dns.example.org", "256.1.1.1", "2001:db8::1::2", "[::1]:53", "192.0.2.1:53", "1.1.1.1#one.one.one.one", " 192.0.2.2", "fe80::1%".`,
		},
		{
			name: "a TLS name only with resolved",
			src:  `networking = { resolver = "systemd-resolved", nameservers = ["1.1.1.1#one.one.one.one", "1.1.1.1#a b"] }`,
			want: `networking.nameservers: not an IP address: "1.1.1.1#a b".` + "\nhint: one address an item, such as \"192.0.2.53\", \"2001:db8::53\" or \"fe80::1%eth0\", optionally followed by #<TLS server name>",
		},
		{
			name: "not domains",
			src:  `networking = { nameservers = ["192.0.2.53"], search = ["corp.example.org", "a b", "~example.org", "-x.org", "a..b", ""] }`,
			want: `host.hcl:1,55-120: Assertion failed; networking.search: not a domain name: "a b", "~example.org", "-x.org", "a..b", "".`,
		},
		{
			name: "routing domains with resolved",
			src:  `networking = { resolver = "systemd-resolved", search = ["~example.org", "~.", "~~x", "."] }`,
			want: `networking.search: not a domain name: "~~x", ".".`,
		},
		{
			name: "search without servers in resolv.conf",
			src:  `networking = { search = ["corp.example.org"] }`,
			want: `host.hcl:1,25-45: Assertion failed; networking.search: with networking.resolver = "resolv.conf", gocfg writes /etc/resolv.conf, and one without a nameserver line makes the resolver ask 127.0.0.1.`,
		},
		{
			name: "resolv.conf written by the configuration too",
			src: `networking { nameservers = ["192.0.2.53"] }
environment {
  etc "resolv.conf" { text = "nameserver 192.0.2.1\n" }
}`,
			want: `host.hcl:3,7-20: Assertion failed; environment.etc."resolv.conf": the configuration writes /etc/resolv.conf, and so does gocfg from networking.nameservers and networking.search.`,
		},
		{
			name: "an unknown resolver",
			src:  `networking = { resolver = "resolvconf" }`,
			want: "resolvconf",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs, _ := evalAll(t, debian, tt.src)
			if !strings.Contains(errs, tt.want) {
				t.Errorf("errors do not contain %q:\n%s", tt.want, errs)
			}
		})
	}
	// A configuration that writes the file itself, without the options,
	// is its own business.
	if _, errs, _ := evalAll(t, debian, `environment = { etc = { "resolv.conf" = { text = "nameserver 192.0.2.1\n" } } }`); errs != "" {
		t.Errorf("environment.etc.\"resolv.conf\" alone: %s", errs)
	}
}

// TestResolverAddresses checks the assert's idea of an IP address
// against Go's net/netip, for addresses of every IPv6 form and near
// misses: networking.nameservers refuses exactly those netip refuses.
func TestResolverAddresses(t *testing.T) {
	candidates := []string{
		"0.0.0.0", "192.0.2.53", "255.255.255.255", "256.0.0.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.4 ", "1.2.3.-1",
		"::", "::1", "1::", "2001:db8::53", "2001:db8:0:0:0:0:0:53", "2001:db8:0:0:0:0:0:0:53", "2001:db8::1::2",
		"1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "1:2:3:4:5:6::8", "1::8", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7",
		"::ffff:192.0.2.1", "64:ff9b::192.0.2.33", "1:2:3:4:5:6:192.0.2.1", "1:2:3:4:5:6:7:192.0.2.1", "::192.0.2.1",
		"fe80::1%eth0", "fe80::1%", "192.0.2.1%eth0", "12345::1", "g::1", ":1::", "1:::2", "[::1]", "::1:53x",
		"2001:DB8::AbC", "::ffff:256.1.1.1", "1:2:3:4:5::192.0.2.1",
	}
	want := []string{}
	for _, c := range candidates {
		if a, err := netip.ParseAddr(c); err != nil || (a.Is4() && a.Zone() != "") {
			want = append(want, strconv.Quote(c))
		}
	}
	quoted := make([]string, len(candidates))
	for i, c := range candidates {
		quoted[i] = strconv.Quote(c)
	}
	_, errs, _ := evalAll(t, debian, "networking = { nameservers = ["+strings.Join(quoted, ", ")+"] }")
	_, list, ok := strings.Cut(errs, "not an IP address: ")
	list, _, _ = strings.Cut(list, ".\nhint:")
	if !ok || list != strings.Join(want, ", ") {
		t.Errorf("refused %s\nwant    %s\n(errors: %s)", list, strings.Join(want, ", "), errs)
	}
}
