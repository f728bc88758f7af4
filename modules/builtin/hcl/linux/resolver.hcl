# networking.nameservers and networking.search (NixOS's options of the
# same names): the DNS servers and search domains of the machine.
#
# NixOS hands them to resolvconf, which writes /etc/resolv.conf, or,
# with services.resolved.enable, to systemd-resolved (DNS= and Domains=
# of resolved.conf). Which of the two a machine uses is not among the
# facts a module sees (host.os, arch, name, user, distro: a Debian may
# have systemd-resolved or not, an Ubuntu has it), and gocfg deploy
# evaluates a host on another machine, so no file of the host can be
# looked at either: networking.resolver says it, "resolv.conf" by
# default (NixOS's default too, resolved being off there unless turned
# on).
#
#   - "resolv.conf": gocfg writes the whole /etc/resolv.conf and owns it,
#     as hosts.hcl does /etc/hosts: the machine's file (or link, such as
#     Debian's to resolvconf's or resolved's) is kept and put back when
#     both lists are empty again.
#   - "systemd-resolved": the drop-in
#     /etc/systemd/resolved.conf.d/60-gocfg.conf, which resolved reads
#     after /etc/systemd/resolved.conf, a copy (resolved starts before a
#     separate /var is mounted, as timesyncd does), and resolved
#     restarted by the drop-in's on_change when it runs.
#
# Nothing is written while both lists are empty.

option "networking.nameservers" {
  type        = list_of(str)
  default     = []
  description = "IP addresses of the DNS servers the machine asks, in order (NixOS's `networking.nameservers`), IPv4 (`192.0.2.53`) or IPv6 (`2001:db8::53`, with `%<interface>` for a link-local one: `fe80::1%eth0`). Where they are written depends on `networking.resolver`: `nameserver` lines of `/etc/resolv.conf` (the default; glibc asks only the first three), or `DNS=` of the systemd-resolved drop-in `/etc/systemd/resolved.conf.d/60-gocfg.conf` (there `#<name>` may follow an address, the name its certificate must have for DNS over TLS: `1.1.1.1#one.one.one.one`). Empty (the default), with `networking.search` empty too, writes nothing and leaves the machine's resolver settings alone (what DHCP or the machine's own file gives). An item that is not such an address is an error that names it. Linux only: on macOS nothing is written, with a warning."
  example     = ["192.0.2.53", "2001:db8::53"]
}

option "networking.search" {
  type        = list_of(str)
  default     = []
  description = "Domains tried, in order, after a name without dots that does not resolve on its own (NixOS's `networking.search`): with `corp.example.org`, `ssh build` reaches `build.corp.example.org`. Written as the `search` line of `/etc/resolv.conf`, or as `Domains=` of the systemd-resolved drop-in, by `networking.resolver`; a `/etc/resolv.conf` without a `nameserver` line makes glibc ask 127.0.0.1, so there it needs `networking.nameservers` too (an error otherwise). Each item is a domain name (dot-separated labels of letters, digits, `-` and `_`); with `systemd-resolved` it may start with `~` (a routing-only domain, `~.` for every name: resolved's `Domains=`). Anything else is an error that names it. Linux only: on macOS nothing is written, with a warning."
  example     = ["corp.example.org"]
}

option "networking.resolver" {
  type        = enum(["resolv.conf", "systemd-resolved"])
  default     = "resolv.conf"
  description = "What resolves names on this machine, and so where gocfg writes `networking.nameservers` and `networking.search` when either is set (gocfg cannot tell from the facts it has of a host, so the configuration says it). `resolv.conf` (the default, as on NixOS without `services.resolved`): gocfg writes the whole `/etc/resolv.conf` (a `nameserver` line for each server, then a `search` line), which glibc reads for every lookup; as `/etc/hosts` with `networking.hosts`, it replaces the machine's file or link (such as Debian's to resolvconf's or systemd-resolved's file), which gocfg keeps and puts back when both lists are empty again. A program that writes that file too (a DHCP client such as dhclient, NetworkManager with its default `rc-manager`, resolvconf) may replace it later: `gocfg status` then reports drift, and the next switch writes it again; turn off its DNS handling, or use systemd-resolved. `systemd-resolved`: for a machine whose `/etc/resolv.conf` leads to systemd-resolved (Ubuntu, Fedora, a Debian with the `systemd-resolved` package): gocfg writes `DNS=` and `Domains=` to the drop-in `/etc/systemd/resolved.conf.d/60-gocfg.conf`, which resolved reads after `/etc/systemd/resolved.conf` (so its keys win over the main file's), and restarts `systemd-resolved.service`, if it runs, whenever the drop-in is created, changed or removed; resolved asks these servers besides those each network interface got (from DHCP, NetworkManager or systemd-networkd), as on NixOS with `services.resolved.enable`. gocfg does not install or enable systemd-resolved, nor point `/etc/resolv.conf` at it: that is the machine's (or `environment.system_packages` and `systemd.units`)."
  example     = "systemd-resolved"
}

locals {
  dns_servers  = distinct(config.networking.nameservers)
  dns_search   = distinct(config.networking.search)
  dns_set      = length(local.dns_servers) > 0 || length(local.dns_search) > 0
  dns_on       = host.os == "linux" && local.dns_set
  dns_file     = local.dns_on && config.networking.resolver == "resolv.conf"
  dns_resolved = local.dns_on && config.networking.resolver == "systemd-resolved"

  # An IPv4 address (four decimal octets), or an IPv6 address in any of
  # RFC 4291's forms (RFC 3986's grammar: :: once at most, an IPv4 tail),
  # with an optional %zone; with resolved, an optional #server-name.
  dns_octet = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
  dns_ipv4  = "${local.dns_octet}(\\.${local.dns_octet}){3}"
  dns_h16   = "[0-9A-Fa-f]{1,4}"
  dns_ls32  = "(${local.dns_h16}:${local.dns_h16}|${local.dns_ipv4})"
  dns_ipv6 = join("|", [
    "(${local.dns_h16}:){6}${local.dns_ls32}",
    "::(${local.dns_h16}:){5}${local.dns_ls32}",
    "(${local.dns_h16})?::(${local.dns_h16}:){4}${local.dns_ls32}",
    "((${local.dns_h16}:){0,1}${local.dns_h16})?::(${local.dns_h16}:){3}${local.dns_ls32}",
    "((${local.dns_h16}:){0,2}${local.dns_h16})?::(${local.dns_h16}:){2}${local.dns_ls32}",
    "((${local.dns_h16}:){0,3}${local.dns_h16})?::${local.dns_h16}:${local.dns_ls32}",
    "((${local.dns_h16}:){0,4}${local.dns_h16})?::${local.dns_ls32}",
    "((${local.dns_h16}:){0,5}${local.dns_h16})?::${local.dns_h16}",
    "((${local.dns_h16}:){0,6}${local.dns_h16})?::",
  ])
  dns_label   = "[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?"
  dns_domain  = "${local.dns_label}(\\.${local.dns_label})*\\.?"
  dns_tls     = config.networking.resolver == "systemd-resolved" ? "(#${local.dns_domain})?" : ""
  dns_addr_re = "^(${local.dns_ipv4}|(${local.dns_ipv6})(%[A-Za-z0-9_.-]+)?)${local.dns_tls}$"
  dns_name_re = config.networking.resolver == "systemd-resolved" ? "^(~?${local.dns_domain}|~\\.)$" : "^${local.dns_domain}$"

  # What the asserts below refuse.
  dns_bad_servers = [for s in config.networking.nameservers : s if !can(regex(local.dns_addr_re, s))]
  dns_bad_search  = [for d in config.networking.search : d if !can(regex(local.dns_name_re, d)) || strlen(d) > 254]

  dns_etc    = try(config.environment.etc["resolv.conf"], null)
  dns_header = "# Written by gocfg (networking.nameservers, networking.search); replaced by every switch."
  dns_resolv_conf = join("\n", concat(
    [local.dns_header],
    [for s in local.dns_servers : "nameserver ${s}"],
    length(local.dns_search) > 0 ? ["search ${join(" ", local.dns_search)}"] : [],
    [""],
  ))
}

environment {
  # As /etc/hosts: the machine's file is kept, and back when the lists
  # are empty again.
  etc "resolv.conf" {
    when  = local.dns_file
    text  = local.dns_resolv_conf
    force = true
  }

  etc "systemd/resolved.conf.d/60-gocfg.conf" {
    when = local.dns_resolved
    text = join("\n", concat(
      [local.dns_header, "[Resolve]"],
      length(local.dns_servers) > 0 ? ["DNS=${join(" ", local.dns_servers)}"] : [],
      length(local.dns_search) > 0 ? ["Domains=${join(" ", local.dns_search)}"] : [],
      [""],
    ))
    # A copy, not a link into the generation under /var/lib/gocfg:
    # resolved starts early in the boot, before a separate /var is
    # mounted, and would find a dangling link.
    method = "copy"
    # resolved reads its configuration when it starts (systemd 252 of
    # Debian 12 has no reload of it): a restart applies the new file, or,
    # when it goes, the machine's settings. Only when it runs: a stopped
    # resolved reads the file when it starts.
    on_change = <<-SH
      systemctl -q is-active systemd-resolved.service || exit 0
      systemctl try-restart systemd-resolved.service
    SH
  }
}

# A configuration that wrote /etc/resolv.conf itself: its text would be
# added to the module's (lines merge), or its source or link set beside
# the module's text.
assert {
  condition = local.dns_file ? try(local.dns_etc.text == local.dns_resolv_conf && local.dns_etc.source == null && local.dns_etc.symlink_to == null, false) : true
  message   = "the configuration writes /etc/resolv.conf, and so does gocfg from networking.nameservers and networking.search.\nhint: move its servers and domains into those options, or empty them to write the file yourself."
  at        = "environment.etc.\"resolv.conf\""
}

assert {
  condition = length(local.dns_bad_servers) == 0
  message   = "not an IP address: ${join(", ", [for s in local.dns_bad_servers : jsonencode(s)])}.\nhint: one address an item, such as \"192.0.2.53\", \"2001:db8::53\" or \"fe80::1%eth0\"${config.networking.resolver == "systemd-resolved" ? ", optionally followed by #<TLS server name> (\"1.1.1.1#one.one.one.one\")" : ""}; no host names, ports or brackets."
  at        = "networking.nameservers"
}

assert {
  condition = length(local.dns_bad_search) == 0
  message   = "not a domain name: ${join(", ", [for d in local.dns_bad_search : jsonencode(d)])}.\nhint: one domain an item, such as \"corp.example.org\" (dot-separated labels of letters, digits, - and _)${config.networking.resolver == "systemd-resolved" ? ", or a routing-only domain such as \"~example.org\" or \"~.\"" : ""}."
  at        = "networking.search"
}

assert {
  condition = !local.dns_file || length(local.dns_servers) > 0
  message   = "with networking.resolver = \"resolv.conf\", gocfg writes /etc/resolv.conf, and one without a nameserver line makes the resolver ask 127.0.0.1.\nhint: list the DNS servers in networking.nameservers (\"127.0.0.1\" for one on this machine), or set networking.resolver = \"systemd-resolved\" if the machine uses it."
  at        = "networking.search"
}

warn {
  condition = local.dns_file && length(local.dns_servers) > 3 && length(local.dns_bad_servers) == 0
  message   = "glibc's resolver asks only the first 3 nameservers of /etc/resolv.conf; ${join(", ", slice(local.dns_servers, min(3, length(local.dns_servers)), length(local.dns_servers)))} will not be asked."
  at        = "networking.nameservers"
}

warn {
  condition = host.os != "linux" && local.dns_set
  message   = "applied on Linux only; on macOS nothing is written (its DNS servers are set per network service: networksetup -setdnsservers)."
  at = concat(
    length(config.networking.nameservers) > 0 ? ["networking.nameservers"] : [],
    length(config.networking.search) > 0 ? ["networking.search"] : [],
  )
}
