# networking.firewall (NixOS's networking.firewall with its nftables
# backend): the ruleset in its own table, `table inet gocfg`, in
# /etc/nftables.d/gocfg.nft. The file deletes and redefines only that
# table, so `nft -f` replaces it in one transaction: no window where the
# machine is open, or closed by a half-loaded ruleset. It is checked with
# `nft -c` when the plan is made, loaded at the switch by its on_change,
# and at boot by gocfg-firewall.service; removing the option deletes the
# table.

option "networking.firewall.enable" {
  type        = bool
  default     = false
  description = "Filter incoming traffic with nftables (package `nftables`): everything is dropped except loopback and `trusted_interfaces`, replies to connections the machine made (conntrack established/related), ping (unless `allow_ping` is false) and the ICMPv6 that IPv6 needs (as NixOS allows them), DHCPv6 replies, the ports and port ranges below and `extra_rules`. The rules live in their own table, `inet gocfg`, written to `/etc/nftables.d/gocfg.nft`, checked with `nft -c` when the plan is made and loaded with `nft -f` in one transaction (the old table is replaced, never flushed first), at the switch and at boot (`gocfg-firewall.service`), and after each start, restart or reload of `nftables.service`, whose `/etc/nftables.conf` flushes every table first (a drop-in, `nftables.service.d/60-gocfg.conf`). Other tables (Docker's, `/etc/nftables.conf`) are left alone; a packet must be accepted by every table that filters it. Turning it off deletes the table; but when gocfg itself installed `nftables` (Debian installs it by default), the same switch removes the package before the hooks run, so the table stays until the next boot and the switch reports it with the command to run. Outgoing and forwarded traffic are not filtered. On macOS it turns the application firewall on (`socketfilterfw --setglobalstate on`; the ports and rules are Linux only), and turning it off puts back the state the firewall had before gocfg."
  example     = true
}

option "networking.firewall.allowed_tcp_ports" {
  type        = list_of(int)
  default     = []
  description = "TCP ports open to everyone. `services.openssh` adds its ports here (see `services.openssh.open_firewall`)."
  example     = [80, 443]
}

option "networking.firewall.allowed_udp_ports" {
  type        = list_of(int)
  default     = []
  description = "UDP ports open to everyone."
  example     = [51820]
}

option "networking.firewall.allowed_tcp_port_ranges" {
  type = list_of(submodule({
    from = {
      type        = int
      description = "The first port of the range, from 1 to 65535."
    }
    to = {
      type        = int
      description = "The last port of the range (included), from `from` to 65535."
    }
  }))
  default     = []
  description = "Ranges of TCP ports open to everyone, each `{ from, to }` with both ends included (NixOS's `networking.firewall.allowedTCPPortRanges`). They go into the same nftables set as `allowed_tcp_ports` (`tcp dport { 22, 4000-4007 } accept`; nft merges ranges that overlap, and a port inside a range). A range whose ends are not from 1 to 65535, or whose `from` is greater than its `to`, is an error that names it."
  example     = [{ from = 4000, to = 4007 }]
}

option "networking.firewall.allowed_udp_port_ranges" {
  type = list_of(submodule({
    from = {
      type        = int
      description = "The first port of the range, from 1 to 65535."
    }
    to = {
      type        = int
      description = "The last port of the range (included), from `from` to 65535."
    }
  }))
  default     = []
  description = "Ranges of UDP ports open to everyone, each `{ from, to }` with both ends included (NixOS's `networking.firewall.allowedUDPPortRanges`), in the same nftables set as `allowed_udp_ports`. Checked as `allowed_tcp_port_ranges`."
  example     = [{ from = 60000, to = 61000 }]
}

option "networking.firewall.allow_ping" {
  type        = bool
  default     = true
  description = "Answer pings: accept incoming ICMP and ICMPv6 echo requests (NixOS's `networking.firewall.allowPing`, true by default as there). `false` leaves both out of the ruleset, so a ping is dropped like any packet the firewall does not allow. NixOS's `false` stops only ICMPv4 pings and always answers ICMPv6 ones; here it stops both, which is what a machine that should not answer pings wants. The rest of ICMPv6, which IPv6 needs (neighbour discovery, router advertisements, packet too big), is accepted either way. Linux only: macOS's application firewall has no such rule (its stealth mode is not managed), so `false` there is a warning."
  example     = false
}

option "networking.firewall.trusted_interfaces" {
  type        = list_of(str)
  default     = []
  description = "Network interfaces whose incoming traffic is all accepted (`lo` always is), such as a VPN's."
  example     = ["wg0"]
}

option "networking.firewall.extra_rules" {
  type        = lines
  default     = ""
  description = "nftables rules (one statement a line) added to the firewall's `input-allow` chain, which a new connection reaches after the ports are checked: `accept` lets it in, anything else falls through to the drop. NixOS's `networking.firewall.extraInputRules`. Checked with the rest by `nft -c`."
  example     = "ip saddr 10.0.0.0/8 tcp dport 9100 accept"
}

locals {
  fw_on  = config.networking.firewall.enable && host.os == "linux"
  fw_tcp = distinct(config.networking.firewall.allowed_tcp_ports)
  fw_udp = distinct(config.networking.firewall.allowed_udp_ports)
  # The ranges by option, each with whether it is one (a missing end
  # is null, and refused).
  fw_ranges = {
    for o, rs in {
      allowed_tcp_port_ranges = config.networking.firewall.allowed_tcp_port_ranges
      allowed_udp_port_ranges = config.networking.firewall.allowed_udp_port_ranges
    } : o => [for r in rs : {
      ok   = coalesce(r.from, 0) >= 1 && coalesce(r.from, 0) <= coalesce(r.to, 0) && coalesce(r.to, 0) <= 65535
      text = "{ from = ${jsonencode(r.from)}, to = ${jsonencode(r.to)} }"
      nft  = r.from == r.to ? "${jsonencode(r.from)}" : "${jsonencode(r.from)}-${jsonencode(r.to)}"
    }]
  }
  # The ports and the ranges in one set each: nft merges the ranges of
  # an anonymous set, and the ports inside them (checked, and loaded,
  # with nftables 1.0.6 of Debian 12).
  fw_tcp_set = distinct(concat([for p in local.fw_tcp : "${p}"], [for r in local.fw_ranges.allowed_tcp_port_ranges : r.nft if r.ok]))
  fw_udp_set = distinct(concat([for p in local.fw_udp : "${p}"], [for r in local.fw_ranges.allowed_udp_port_ranges : r.nft if r.ok]))
  # What the asserts below refuse: the ports out of range, by option.
  fw_out_of_range = {
    allowed_tcp_ports = [for p in config.networking.firewall.allowed_tcp_ports : p if p < 1 || p > 65535]
    allowed_udp_ports = [for p in config.networking.firewall.allowed_udp_ports : p if p < 1 || p > 65535]
  }
  fw_bad_ports = [for o, ps in local.fw_out_of_range : o if length(ps) > 0]
  # The ranges the asserts below refuse, by option, as the user wrote
  # them.
  fw_bad_ranges = { for o, rs in local.fw_ranges : o => [for r in rs : r.text if !r.ok] }
  # The options that mean nothing on macOS, when set.
  fw_linux_only = concat(
    config.networking.firewall.allow_ping ? [] : ["networking.firewall.allow_ping"],
    length(config.networking.firewall.allowed_tcp_port_ranges) > 0 ? ["networking.firewall.allowed_tcp_port_ranges"] : [],
    length(config.networking.firewall.allowed_udp_port_ranges) > 0 ? ["networking.firewall.allowed_udp_port_ranges"] : [],
  )
  fw_bad_interfaces = [for i in config.networking.firewall.trusted_interfaces : i if !can(regex("^[A-Za-z0-9_.:@+-]{1,15}$", i))]
  fw_ruleset = join("\n", concat(
    [
      "# Written by gocfg (networking.firewall); replaced by every switch.",
      "# nft -f loads it in one transaction: the table is declared (if missing),",
      "# deleted and defined again, and nothing else changes.",
      "table inet gocfg",
      "delete table inet gocfg",
      "",
      "table inet gocfg {",
      "  chain input {",
      "    type filter hook input priority filter; policy drop;",
      "    iifname { ${join(", ", [for i in concat(["lo"], config.networking.firewall.trusted_interfaces) : "\"${i}\""])} } accept comment \"trusted interfaces\"",
      "    ct state vmap { invalid : drop, established : accept, related : accept, new : jump input-allow, untracked : jump input-allow }",
      "  }",
      "",
      "  chain input-allow {",
    ],
    length(local.fw_tcp_set) > 0 ? ["    tcp dport { ${join(", ", local.fw_tcp_set)} } accept"] : [],
    length(local.fw_udp_set) > 0 ? ["    udp dport { ${join(", ", local.fw_udp_set)} } accept"] : [],
    config.networking.firewall.allow_ping ? [
      "    icmp type echo-request accept comment \"allow ping\"",
      "    icmpv6 type != { nd-redirect, 139 } accept comment \"ICMPv6 but redirects and node information queries (RFC 4890, 4.4)\"",
    ] : [
      # allow_ping = false: ICMPv6 pings are dropped too (NixOS answers
      # them whatever allowPing says); the rest of ICMPv6 stays.
      "    icmpv6 type != { nd-redirect, 139, echo-request } accept comment \"ICMPv6 but redirects, node information queries (RFC 4890, 4.4) and pings (allow_ping = false)\"",
    ],
    ["    ip6 daddr fe80::/64 udp dport 546 accept comment \"DHCPv6 client\""],
    config.networking.firewall.extra_rules == "" ? [] : [for l in split("\n", trimspace(config.networking.firewall.extra_rules)) : "    ${trimspace(l)}"],
    ["  }", "}", ""],
  ))
}

environment {
  system_packages = local.fw_on ? ["nftables"] : []

  etc "nftables.d/gocfg.nft" {
    when = local.fw_on
    text = local.fw_ruleset
    # nft -c asks the kernel to check the transaction without committing
    # it. Without nft (the switch that installs nftables) there is nothing
    # to check with; the load at the switch is one transaction anyway, so
    # a ruleset the kernel refuses leaves the old table as it was.
    check = "command -v nft >/dev/null 2>&1 || exit 0; nft -c -f %s"
    # On removal the script of the generation that had the file runs: the
    # file is gone, so the table goes.
    on_change = <<-SH
      f=/etc/nftables.d/gocfg.nft
      if [ -e "$f" ]; then exec nft -f "$f"; fi
      if ! command -v nft >/dev/null 2>&1; then
        echo "nft is not installed any more (the switch removed nftables), so the table inet gocfg stays loaded until the next boot; install nftables and run: nft delete table inet gocfg" >&2
        exit 1
      fi
      if nft list table inet gocfg >/dev/null 2>&1; then exec nft delete table inet gocfg; fi
    SH
  }

  # Debian's /etc/nftables.conf begins with flush ruleset, so a start,
  # restart or reload of nftables.service removed the table inet gocfg
  # and left the machine open (tester BC): it is loaded again after each.
  # The - lets nftables.service start if the file is gone.
  etc "systemd/system/nftables.service.d/60-gocfg.conf" {
    when = local.fw_on
    text = <<-EOT
      # Written by gocfg (networking.firewall); replaced by every switch.
      [Service]
      ExecStartPost=-/usr/sbin/nft -f /etc/nftables.d/gocfg.nft
      ExecReload=-/usr/sbin/nft -f /etc/nftables.d/gocfg.nft
      EOT
    on_change = "if [ -d /run/systemd/system ]; then exec systemctl daemon-reload; fi"
  }
}

# At boot the table is loaded before the network comes up.
systemd {
  services "gocfg-firewall" {
    when        = local.fw_on
    description = "gocfg firewall (networking.firewall): nftables table inet gocfg"
    type        = "oneshot"
    exec_start  = "/usr/sbin/nft -f /etc/nftables.d/gocfg.nft"
    wants       = ["network-pre.target"]
    wanted_by   = ["sysinit.target"]
    # The switch loads a changed ruleset itself (on_change), in one
    # transaction; a restart would not be.
    restart_if_changed = false
    unit_config = {
      DefaultDependencies = "no"
      After               = "local-fs.target nftables.service"
      Before              = "network-pre.target shutdown.target"
      Conflicts           = "shutdown.target"
    }
    service_config = { RemainAfterExit = "yes" }
  }
}

assert {
  condition = length(local.fw_bad_ports) == 0
  message   = "ports are from 1 to 65535."
  at        = [for o in local.fw_bad_ports : "networking.firewall.${o}"]
}

assert {
  condition = length(local.fw_bad_ranges.allowed_tcp_port_ranges) == 0
  message   = "a range is { from, to } with 1 <= from <= to <= 65535, not ${join(", ", local.fw_bad_ranges.allowed_tcp_port_ranges)}."
  at        = "networking.firewall.allowed_tcp_port_ranges"
}

assert {
  condition = length(local.fw_bad_ranges.allowed_udp_port_ranges) == 0
  message   = "a range is { from, to } with 1 <= from <= to <= 65535, not ${join(", ", local.fw_bad_ranges.allowed_udp_port_ranges)}."
  at        = "networking.firewall.allowed_udp_port_ranges"
}

assert {
  condition = length(local.fw_bad_interfaces) == 0
  message   = "interface names such as wg0 (at most 15 letters, digits and _.:@+-), not ${join(", ", [for i in local.fw_bad_interfaces : jsonencode(i)])}."
  at        = "networking.firewall.trusted_interfaces"
}

# macOS's application firewall filters by application, not by port,
# and gocfg does not manage its stealth mode (which stops pings).
warn {
  condition = host.os != "linux" && length(local.fw_linux_only) > 0
  message   = "applied on Linux only; macOS's application firewall has no port rules, and its stealth mode is not managed."
  at        = local.fw_linux_only
}
