# networking.hosts and networking.extra_hosts (NixOS's networking.hosts
# and networking.extraHosts): /etc/hosts, written when
# networking.host_name is set or these options name hosts, so that the
# machine's own name resolves (sudo looks it up, and says "unable to
# resolve host" when it cannot). As NixOS does, gocfg then owns the file:
# it replaces the machine's, which gocfg keeps and puts back when the
# options go. networking.manage_etc_hosts = false (cloud-init's name)
# leaves the file alone: gocfg init writes it, so that the first plan of
# a machine it describes changes nothing.

option "networking.hosts" {
  type        = attrs_of(list_of(str))
  default     = {}
  description = "Host names by address, written to `/etc/hosts` (NixOS's `networking.hosts`): each address with its names on one line, after `localhost` and the machine's own names. The machine's own names (`networking.host_name`, and its first label when it has dots) are given `127.0.1.1`, as Debian's installer does; names you list for `127.0.1.1` follow them. When `networking.host_name` is set or this or `networking.extra_hosts` is not empty, gocfg writes the whole file and replaces the machine's, which it keeps and puts back when none of the three is set any more: move lines of your own into these options, or set `networking.manage_etc_hosts = false` to keep your own file. Linux only: on macOS `/etc/hosts` is left alone, with a warning."
  example     = { "192.168.1.10" = ["nas", "nas.lan"], "127.0.0.1" = ["dev.example.test"] }
}

option "networking.manage_etc_hosts" {
  type        = bool
  default     = true
  description = "Whether gocfg writes `/etc/hosts` when `networking.host_name` is set or `networking.hosts` or `networking.extra_hosts` is not empty (see `networking.hosts`). `false` leaves the machine's file alone (and a new `networking.host_name` is then yours to add to it), and `networking.hosts` or `networking.extra_hosts` is an error; `gocfg init` writes `false` for a machine it describes, so that its first plan changes nothing."
}

option "networking.extra_hosts" {
  type        = lines
  default     = ""
  description = "Lines added as they are at the end of `/etc/hosts` (NixOS's `networking.extraHosts`), such as blocklists. See `networking.hosts` for when gocfg writes the file."
  example     = "10.0.0.2 build.internal build"
}

locals {
  hosts_name = config.networking.host_name
  # The machine's own names: atlas.example.org gives atlas too.
  hosts_own = local.hosts_name == null ? [] : distinct([local.hosts_name, split(".", local.hosts_name)[0]])
  hosts_listed = length(config.networking.hosts) > 0 || config.networking.extra_hosts != ""
  hosts_set    = host.os == "linux" && config.networking.manage_etc_hosts && (local.hosts_name != null || local.hosts_listed)
  # Addresses are IPv4 dotted quads or IPv6 (hex groups and colons, an
  # optional zone); names have no blank and no "#".
  hosts_octet     = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
  hosts_bad_addr  = [for a, _ in config.networking.hosts : a if !can(regex("^(${local.hosts_octet}(\\.${local.hosts_octet}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9_.-]+)?)$", a))]
  hosts_bad_names = [for a, ns in config.networking.hosts : a if length([for n in ns : n if !can(regex("^[^\\s#]+$", n))]) > 0]
  hosts_extra     = [for a, ns in config.networking.hosts : "${a} ${join(" ", ns)}" if a != "127.0.1.1" && length(ns) > 0]
  hosts_loopback  = concat(local.hosts_own, lookup(config.networking.hosts, "127.0.1.1", []))
}

environment {
  etc "hosts" {
    when  = local.hosts_set
    text  = local.hosts_text
    force = true
  }
}

locals {
  hosts_text = join("\n", concat(
    [
      "# Written by gocfg (networking.host_name, networking.hosts, networking.extra_hosts); replaced by every switch.",
      "127.0.0.1 localhost",
      "::1 localhost ip6-localhost ip6-loopback",
      "ff02::1 ip6-allnodes",
      "ff02::2 ip6-allrouters",
    ],
    length(local.hosts_loopback) > 0 ? ["127.0.1.1 ${join(" ", local.hosts_loopback)}"] : [],
    local.hosts_extra,
    config.networking.extra_hosts == "" ? [] : [trimsuffix(config.networking.extra_hosts, "\n")],
    [""],
  ))
}

# A configuration that wrote /etc/hosts itself before this module: its
# text would be added to the module's (lines merge), and force set on
# it (reviewer).
assert {
  condition = local.hosts_set ? try(config.environment.etc["hosts"].text, null) == local.hosts_text : true
  message   = "environment.etc.hosts is also set in the configuration, and gocfg writes /etc/hosts from networking.host_name: move its lines into networking.hosts or networking.extra_hosts, or set networking.manage_etc_hosts = false to write the file yourself."
  at        = "environment.etc.hosts"
}

assert {
  condition = length(local.hosts_bad_addr) == 0
  message   = "the keys of networking.hosts are IP addresses, such as \"192.168.1.10\" or \"fd00::1\"."
  at        = [for a in local.hosts_bad_addr : "networking.hosts.${jsonencode(a)}"]
}

assert {
  condition = length(local.hosts_bad_names) == 0
  message   = "host names are single words, without blanks or \"#\"."
  at        = [for a in local.hosts_bad_names : "networking.hosts.${jsonencode(a)}"]
}

assert {
  condition = config.networking.manage_etc_hosts || !local.hosts_listed
  message   = "gocfg does not write /etc/hosts when networking.manage_etc_hosts is false: remove networking.manage_etc_hosts = false, or these hosts."
  at        = length(config.networking.hosts) > 0 ? "networking.hosts" : "networking.extra_hosts"
}

warn {
  condition = host.os != "linux" && local.hosts_listed
  message   = "applied on Linux only; on macOS /etc/hosts is not written."
  at        = length(config.networking.hosts) > 0 ? "networking.hosts" : "networking.extra_hosts"
}
