# services.timesyncd (NixOS's services.timesyncd.enable, servers,
# fallbackServers and extraConfig) and networking.time_servers (NixOS's
# networking.timeServers): systemd-timesyncd, the SNTP client of systemd,
# installed where it is a package of its own, its unit enabled and
# started through systemd.units (which puts back the unit's earlier
# state when the option goes), and the settings in a drop-in
# /etc/systemd/timesyncd.conf.d/60-gocfg.conf, which timesyncd reads
# after /etc/systemd/timesyncd.conf, timesyncd restarted by the file's
# on_change when it changes or goes.
#
# NixOS turns timesyncd on by default (off only when another NTP daemon
# is on) and writes the whole timesyncd.conf, with its own servers
# (0.nixos.pool.ntp.org ...) as the default of networking.timeServers.
# gocfg changes nothing a configuration does not ask for, so here the
# default is off, and off means "leave timesyncd alone" (not "stop it"):
# a Debian machine keeps the timesyncd it came with, a machine running
# chrony keeps chrony. An unset server list writes no key, so the
# distribution's servers stay (Debian compiles in
# FallbackNTP=0.debian.pool.ntp.org ... 3.debian.pool.ntp.org, and sets no
# NTP=), and nothing at all is written while no key is set.
#
# Why enable installs the package and starts the unit, as
# services.openssh and networking.networkmanager do: a gocfg user who
# writes enable = true expects the clock to be synchronised after the
# switch, as on NixOS, where timesyncd is part of systemd. On Debian 12
# it is the package systemd-timesyncd (priority standard: not in a
# minimal install, a container or an image made with debootstrap's
# minbase), whose postinst enables and starts the unit; Fedora (in
# systemd-udev) and Arch (in systemd) have it on a usual install, but
# disabled, chronyd being Fedora's default. systemd.units enables and
# starts it on all three in the same switch and, when the option goes,
# puts the unit back as it was (enabled and running stays so on a
# machine that had it before gocfg; disabled and stopped before the
# package goes when gocfg installed it), while the package goes only if
# gocfg installed it.

option "services.timesyncd.enable" {
  type        = bool
  default     = false
  description = "Synchronise the clock with systemd-timesyncd, systemd's SNTP client (NixOS's `services.timesyncd.enable`): install it where it is a package of its own (`systemd-timesyncd` on Debian, `systemd-udev` on Fedora; Arch's `systemd` has it), enable and start `systemd-timesyncd.service` (through `systemd.units`, in the same switch), and write the settings below to the drop-in `/etc/systemd/timesyncd.conf.d/60-gocfg.conf`, which timesyncd reads after `/etc/systemd/timesyncd.conf` (so its keys win over the main file's, and a drop-in named after it, such as `70-local.conf`, wins over it). timesyncd reads it only when it starts: gocfg restarts it, if it runs, whenever the drop-in is created, changed or removed. On Debian the package conflicts with every other NTP daemon (chrony, ntpsec, openntpd): installing it makes apt remove the one the machine has, and turning the option off does not put that one back. Unlike NixOS, where timesyncd is on unless another NTP daemon is, the default is false, and false leaves the machine's time synchronisation alone: a timesyncd already there keeps running, with the machine's own settings (to stop it, set `systemd.units.\"systemd-timesyncd.service\".enable = false`). Turning it off removes the drop-in, removes the package if gocfg installed it, and puts back the state `systemd-timesyncd.service` had before gocfg (enabled and running if it was so). systemd skips the unit in a container (`ConditionVirtualization=!container`) and without the capability to set the clock (`ConditionCapability=CAP_SYS_TIME`): there it is enabled and configured, but does not run. Linux only: on macOS nothing is installed or written, with a warning."
  example     = true
}

option "services.timesyncd.servers" {
  type        = null_or(list_of(str))
  description = "NTP servers timesyncd asks (`NTP=`), host names or IP addresses, one an item, tried in turn until one answers (NixOS's `services.timesyncd.servers`). Unset (the default) takes `networking.time_servers`, as NixOS does; when that is empty too, no `NTP=` is written, and timesyncd uses the servers a network manager hands it (systemd-networkd from DHCP) and otherwise `fallback_servers`. An empty list writes `NTP=` with nothing, which clears the servers a file read before the drop-in (`/etc/systemd/timesyncd.conf`) sets. A name with white space or a character no host name or address has is an error at its line. Written to `/etc/systemd/timesyncd.conf.d/60-gocfg.conf`, and timesyncd restarted (see `enable`); the lists of several definitions are joined in module order."
  example     = ["0.pool.ntp.org", "1.pool.ntp.org"]
}

option "services.timesyncd.fallback_servers" {
  type        = null_or(list_of(str))
  description = "NTP servers timesyncd asks when neither `servers` nor a network manager gives it any (`FallbackNTP=`; NixOS's `services.timesyncd.fallbackServers`). Unset (the default) writes no `FallbackNTP=`, leaving the distribution's compiled-in list (on Debian 12 `0.debian.pool.ntp.org` to `3.debian.pool.ntp.org`); an empty list writes `FallbackNTP=` with nothing, so timesyncd has no fallback. Checked as `servers`. Written to `/etc/systemd/timesyncd.conf.d/60-gocfg.conf`, and timesyncd restarted (see `enable`)."
  example     = ["time.cloudflare.com"]
}

option "services.timesyncd.extra_config" {
  type        = lines
  default     = ""
  description = "timesyncd.conf(5) lines written as they are after the servers, in the `[Time]` section of the drop-in (NixOS's `extraConfig`), such as `PollIntervalMaxSec=1024`: each a `Key=value` of timesyncd.conf(5) (of systemd 252, Debian 12's: `RootDistanceMaxSec`, `PollIntervalMinSec`, `PollIntervalMaxSec`, `ConnectionRetrySec`, `SaveIntervalSec`), a comment (`#` or `;`) or empty. A key timesyncd does not know (keys are case-sensitive), the servers' keys `NTP`, `Servers` and `FallbackNTP` (set them with `servers` and `fallback_servers`), an empty value (leave the key out for timesyncd's default) or a line continued with `\\` is an error at the line that sets it; values are not checked: timesyncd logs and ignores one it cannot read. Written to `/etc/systemd/timesyncd.conf.d/60-gocfg.conf`, and timesyncd restarted (see `enable`); lines of several definitions are joined in module order."
  example     = "PollIntervalMaxSec=1024\nSaveIntervalSec=300"
}

option "networking.time_servers" {
  type        = list_of(str)
  default     = []
  description = "NTP servers of the machine, host names or IP addresses (NixOS's `networking.timeServers`): `services.timesyncd.servers` takes them when it is unset. The default, empty, writes no server and leaves the distribution's (NixOS's default is its own pool, `0.nixos.pool.ntp.org` to `3.nixos.pool.ntp.org`). On its own it changes nothing: only `services.timesyncd.enable` writes them. A name with white space or a character no host name or address has is an error at its line."
  example     = ["ntp1.example.org", "192.168.1.1"]
}

locals {
  ts    = config.services.timesyncd
  ts_on = local.ts.enable && host.os == "linux"
  # The package that ships systemd-timesyncd.service, where gocfg drives
  # the package manager: Debian splits it out of systemd, Fedora puts it
  # in systemd-udev (split-files.py of its systemd package), Arch leaves
  # it in systemd, which every Arch has. Elsewhere the unit must be there
  # (systemd.units reports it missing).
  ts_packages = {
    debian = "systemd-timesyncd"
    fedora = "systemd-udev"
  }
  ts_package = lookup(local.ts_packages, host.distro, "")

  # servers, else networking.time_servers (NixOS's default). null: no
  # NTP= line.
  ts_servers = local.ts.servers != null ? local.ts.servers : length(config.networking.time_servers) > 0 ? config.networking.time_servers : null

  # A host name (letters, digits, - and _, dot-separated, with or
  # without the final dot), an IPv4 address, or an IPv6 address (with a
  # %zone): timesyncd splits NTP= and FallbackNTP= at white space and
  # takes each word as it is (no quotes), so a name with a space or a
  # newline would be several servers, and any other character no
  # resolver takes.
  ts_server_re = "^[A-Za-z0-9_.:%-]+$"
  ts_bad = {
    "services.timesyncd.servers"          = [for s in coalesce(local.ts.servers, []) : s if !can(regex(local.ts_server_re, s))]
    "services.timesyncd.fallback_servers" = [for s in coalesce(local.ts.fallback_servers, []) : s if !can(regex(local.ts_server_re, s))]
    "networking.time_servers"             = [for s in config.networking.time_servers : s if !can(regex(local.ts_server_re, s))]
  }

  # The keys of timesyncd.conf(5) of systemd 252 (Debian 12): those of the
  # [Time] section of its timesyncd-gperf.gperf, Servers being the old
  # name of NTP.
  ts_known_keys = [
    "NTP", "Servers", "FallbackNTP", "RootDistanceMaxSec",
    "PollIntervalMinSec", "PollIntervalMaxSec", "ConnectionRetrySec", "SaveIntervalSec",
  ]
  ts_known_lower = { for k in local.ts_known_keys : lower(k) => k }
  # The keys the options own, and the option of each.
  ts_typed = {
    NTP         = "services.timesyncd.servers or networking.time_servers"
    Servers     = "services.timesyncd.servers or networking.time_servers"
    FallbackNTP = "services.timesyncd.fallback_servers"
  }

  # extra_config as timesyncd reads it: lines stripped of white space,
  # comments (# or ;) and empty lines skipped, each other line Key=value.
  ts_extra    = chomp(local.ts.extra_config)
  ts_settings = [for l in split("\n", local.ts_extra) : trimspace(l) if trimspace(l) != "" && !startswith(trimspace(l), "#") && !startswith(trimspace(l), ";")]
  ts_line_re  = "^([A-Za-z][A-Za-z0-9]*)[ \t]*=[ \t]*(.*)$"
  ts_pairs    = [for l in local.ts_settings : regex(local.ts_line_re, l) if can(regex(local.ts_line_re, l))]
  # What the asserts below refuse.
  ts_bad_lines    = [for l in local.ts_settings : l if !can(regex(local.ts_line_re, l)) || endswith(l, "\\")]
  ts_unknown      = distinct([for p in local.ts_pairs : p[0] if !contains(local.ts_known_keys, p[0])])
  ts_conflicts    = distinct([for p in local.ts_pairs : p[0] if can(local.ts_typed[p[0]])])
  ts_empty_values = distinct([for p in local.ts_pairs : p[0] if p[1] == "" && !can(local.ts_typed[p[0]])])

  ts_lines = concat(
    local.ts_servers != null ? ["NTP=${join(" ", local.ts_servers)}"] : [],
    local.ts.fallback_servers != null ? ["FallbackNTP=${join(" ", local.ts.fallback_servers)}"] : [],
    local.ts_extra != "" ? [local.ts_extra] : [],
  )

  # Options set while enable is false.
  ts_unused = local.ts.enable ? [] : concat(
    local.ts.servers != null ? ["services.timesyncd.servers"] : [],
    local.ts.fallback_servers != null ? ["services.timesyncd.fallback_servers"] : [],
    local.ts.extra_config != "" ? ["services.timesyncd.extra_config"] : [],
  )
}

environment {
  system_packages = local.ts_on && local.ts_package != "" ? [local.ts_package] : []

  etc "systemd/timesyncd.conf.d/60-gocfg.conf" {
    when = local.ts_on && length(local.ts_lines) > 0
    text = join("\n", concat(
      ["# Written by gocfg (services.timesyncd); replaced by every switch.", "[Time]"],
      local.ts_lines,
      [""],
    ))
    # A copy, not a link into the generation under /var/lib/gocfg:
    # timesyncd starts early in the boot (before sysinit.target), before
    # a separate /var is mounted, and would find a dangling link.
    method = "copy"
    # timesyncd reads its configuration only when it starts: a restart
    # applies the new file (or, when it goes, the defaults); it keeps the
    # clock it has, and asks the new servers at once. Only when it runs:
    # a stopped unit (a system being set up in a chroot, a container,
    # where its conditions skip it) reads the file when it starts, and
    # when the option goes the package may be gone already, with the unit
    # (try-restart would fail on a unit systemd does not know).
    on_change = <<-SH
      systemctl -q is-active systemd-timesyncd.service || exit 0
      systemctl try-restart systemd-timesyncd.service
    SH
  }
}

# Enabled and started; the entry gone, systemd-timesyncd.service is put
# back as it was before gocfg first took it over: disabled and stopped if
# the switch installed the package (before the package goes), enabled and
# running if it was so. A unit from the packages of the same switch is
# accepted (the unit is enabled after packages:install).
systemd {
  units "systemd-timesyncd.service" {
    when   = local.ts_on
    enable = true
  }
}

assert {
  condition = length(local.ts_bad["services.timesyncd.servers"]) == 0
  message   = "not an NTP server's host name or address: ${join(", ", [for s in local.ts_bad["services.timesyncd.servers"] : jsonencode(s)])}.\nhint: one server an item, such as \"0.pool.ntp.org\", \"192.168.1.1\" or \"2001:db8::1\" (letters, digits and . - _ : %): timesyncd splits its server lists at white space."
  at        = "services.timesyncd.servers"
}

assert {
  condition = length(local.ts_bad["services.timesyncd.fallback_servers"]) == 0
  message   = "not an NTP server's host name or address: ${join(", ", [for s in local.ts_bad["services.timesyncd.fallback_servers"] : jsonencode(s)])}.\nhint: one server an item, such as \"0.pool.ntp.org\", \"192.168.1.1\" or \"2001:db8::1\" (letters, digits and . - _ : %): timesyncd splits its server lists at white space."
  at        = "services.timesyncd.fallback_servers"
}

assert {
  condition = length(local.ts_bad["networking.time_servers"]) == 0
  message   = "not an NTP server's host name or address: ${join(", ", [for s in local.ts_bad["networking.time_servers"] : jsonencode(s)])}.\nhint: one server an item, such as \"0.pool.ntp.org\", \"192.168.1.1\" or \"2001:db8::1\" (letters, digits and . - _ : %): timesyncd splits its server lists at white space."
  at        = "networking.time_servers"
}

assert {
  condition = length(local.ts_bad_lines) == 0
  message   = "not a timesyncd.conf(5) line: ${join(", ", [for l in local.ts_bad_lines : jsonencode(l)])}.\nhint: write one Key=value a line, such as PollIntervalMaxSec=1024, without a section header (gocfg starts the [Time] section) and without continuing a value on the next line with \\; comments start with # or ;."
  at        = "services.timesyncd.extra_config"
}

assert {
  condition = length(local.ts_unknown) == 0
  message   = "timesyncd.conf(5) of systemd 252 has no key ${join(", ", local.ts_unknown)}.${length([for k in local.ts_unknown : k if can(local.ts_known_lower[lower(k)])]) > 0 ? "\nhint: keys are case-sensitive: ${join(", ", [for k in local.ts_unknown : "${lookup(local.ts_known_lower, lower(k), "")}, not ${k}" if can(local.ts_known_lower[lower(k)])])}." : ""}\nhint: it knows ${join(", ", local.ts_known_keys)}."
  at        = "services.timesyncd.extra_config"
}

assert {
  condition = length(local.ts_conflicts) == 0
  message   = "sets the servers' keys, which belong to options: ${join(", ", [for k in local.ts_conflicts : "${k} (${local.ts_typed[k]})"])}.\nhint: list the servers in the options, one an item; remove the keys from extra_config."
  at        = "services.timesyncd.extra_config"
}

assert {
  condition = length(local.ts_empty_values) == 0
  message   = "${join(", ", local.ts_empty_values)} without a value.\nhint: leave the key out for timesyncd's default."
  at        = "services.timesyncd.extra_config"
}

warn {
  condition = length(local.ts_unused) > 0
  message   = "options are set but services.timesyncd.enable is false, so gocfg writes no timesyncd configuration."
  at        = local.ts_unused
}

warn {
  condition = local.ts.enable && host.os != "linux"
  message   = "applied on Linux only; macOS sets its clock itself (timed), so nothing is installed or written."
  at        = "services.timesyncd.enable"
}
