# services.journald (NixOS's services.journald.storage, rateLimitInterval,
# rateLimitBurst, forwardToSyslog, console and extraConfig): the settings
# in a drop-in /etc/systemd/journald.conf.d/60-gocfg.conf, which
# systemd-journald reads after /etc/systemd/journald.conf, and
# systemd-journald.service restarted by the file's on_change when it
# changes or goes (NixOS restarts journald when its journald.conf
# changes). NixOS writes the whole journald.conf with its defaults
# (Storage=persistent, RateLimitInterval=30s, RateLimitBurst=10000); here
# an unset option writes no key, so the distribution's defaults stay, and
# nothing at all is written while no option is set.

option "services.journald.storage" {
  type        = null_or(enum(["volatile", "persistent", "auto", "none"]))
  description = "Where systemd-journald keeps the journal (`Storage=`): `volatile` in memory only, under `/run/log/journal` (lost at reboot); `persistent` on disk under `/var/log/journal`, created if missing (`/run/log/journal` early in the boot); `auto` on disk if `/var/log/journal` exists, else in memory; `none` nowhere (messages are still forwarded, to syslog for instance). journald neither moves nor deletes journals already written: switching to `volatile` leaves `/var/log/journal` as it is (remove it by hand to free the space). Unset (the default) writes no `Storage=`, leaving the distribution's default: `auto` on Debian 12, which ships `/var/log/journal`, so the journal is kept on disk as NixOS's default `persistent` does. Like every `services.journald` option, it is written to the drop-in `/etc/systemd/journald.conf.d/60-gocfg.conf`, which journald reads after `/etc/systemd/journald.conf` (so its keys win over the main file's, and a drop-in named after it, such as `70-local.conf`, wins over it), and journald reads it only when it starts: gocfg restarts `systemd-journald.service`, if it runs, whenever the drop-in is created, changed or removed (services keep their log streams across the restart). With no option set there is no drop-in. Linux only: on macOS nothing is written, with a warning."
  example     = "volatile"
}

option "services.journald.rate_limit_interval" {
  type        = null_or(str)
  description = "Time span of journald's rate limit (`RateLimitIntervalSec=`), a systemd time span such as `30s`, `5min` or `1h 30min`: a service that logs more than `rate_limit_burst` messages within it has the rest dropped until the span is over (journald logs how many). `0` turns the limit off. A value systemd cannot read is an error at its line. Written to `/etc/systemd/journald.conf.d/60-gocfg.conf`, and journald restarted (see `storage`). Unset (the default) writes nothing: journald's default is `30s`. NixOS writes its own default, `30s`, as `RateLimitInterval=`."
  example     = "30s"
}

option "services.journald.rate_limit_burst" {
  type        = null_or(int)
  description = "Number of messages a service may log within `rate_limit_interval` before journald drops the rest (`RateLimitBurst=`); journald raises it when the disk has much free space and lowers it when little. `0` turns the limit off. Written to `/etc/systemd/journald.conf.d/60-gocfg.conf`, and journald restarted (see `storage`). Unset (the default) writes nothing: journald's default is `10000` (as NixOS's)."
  example     = 1000
}

option "services.journald.forward_to_syslog" {
  type        = null_or(bool)
  description = "Whether journald passes every message on to a syslog daemon such as rsyslog (`ForwardToSyslog=yes` or `no`), through the socket `/run/systemd/journal/syslog` that the daemon listens on; without one the messages are dropped. Unset (the default) writes nothing: Debian's journald forwards (`yes`), which is what its rsyslog package expects. NixOS sets it when `services.rsyslogd` or `services.syslog-ng` is on. Written to `/etc/systemd/journald.conf.d/60-gocfg.conf`, and journald restarted (see `storage`)."
  example     = false
}

option "services.journald.console" {
  type        = null_or(str)
  description = "Terminal journald also writes every message to, such as `/dev/tty12` or `/dev/ttyS0`: `ForwardToConsole=yes` and `TTYPath=` with this path, which must be under `/dev`. Written to `/etc/systemd/journald.conf.d/60-gocfg.conf`, and journald restarted (see `storage`). Unset (the default) writes neither key (journald's default: not forwarded). NixOS's empty string for no console is `null` here (`\"\"` is an error)."
  example     = "/dev/tty12"
}

option "services.journald.extra_config" {
  type        = lines
  default     = ""
  description = "journald.conf(5) lines written as they are after the settings above, in the `[Journal]` section of the drop-in (NixOS's `extraConfig`), such as `SystemMaxUse=200M`: each a `Key=value` of journald.conf(5) (of systemd 252, Debian 12's), a comment (`#` or `;`) or empty. A key journald does not know (keys are case-sensitive), a key an option above sets, an empty value (leave the key out for journald's default) or a line continued with `\\` is an error at the line that sets it; values are not checked: journald logs and ignores one it cannot read. Written to `/etc/systemd/journald.conf.d/60-gocfg.conf`, and journald restarted (see `storage`); lines of several definitions are joined in module order."
  example     = "SystemMaxUse=200M\nMaxRetentionSec=1month"
}

locals {
  jd = config.services.journald
  # The keys of journald.conf(5) of systemd 252 (Debian 12): those of
  # the [Journal] section of its journald-gperf.gperf, RateLimitInterval
  # being the old name of RateLimitIntervalSec.
  jd_known_keys = [
    "Storage", "Compress", "Seal", "SplitMode", "SyncIntervalSec",
    "RateLimitIntervalSec", "RateLimitInterval", "RateLimitBurst",
    "SystemMaxUse", "SystemKeepFree", "SystemMaxFileSize", "SystemMaxFiles",
    "RuntimeMaxUse", "RuntimeKeepFree", "RuntimeMaxFileSize", "RuntimeMaxFiles",
    "MaxRetentionSec", "MaxFileSec",
    "ForwardToSyslog", "ForwardToKMsg", "ForwardToConsole", "ForwardToWall", "TTYPath",
    "MaxLevelStore", "MaxLevelSyslog", "MaxLevelKMsg", "MaxLevelConsole", "MaxLevelWall",
    "LineMax", "ReadKMsg", "Audit",
  ]
  jd_known_lower = { for k in local.jd_known_keys : lower(k) => k }
  # The option, if set, that writes a key.
  jd_typed = {
    Storage              = local.jd.storage != null ? "storage" : ""
    RateLimitIntervalSec = local.jd.rate_limit_interval != null ? "rate_limit_interval" : ""
    RateLimitInterval    = local.jd.rate_limit_interval != null ? "rate_limit_interval" : ""
    RateLimitBurst       = local.jd.rate_limit_burst != null ? "rate_limit_burst" : ""
    ForwardToSyslog      = local.jd.forward_to_syslog != null ? "forward_to_syslog" : ""
    ForwardToConsole     = local.jd.console != null ? "console" : ""
    TTYPath              = local.jd.console != null ? "console" : ""
  }

  # extra_config as journald reads it: lines stripped of white space,
  # comments (# or ;) and empty lines skipped, each other line Key=value.
  jd_extra    = chomp(local.jd.extra_config)
  jd_settings = [for l in split("\n", local.jd_extra) : trimspace(l) if trimspace(l) != "" && !startswith(trimspace(l), "#") && !startswith(trimspace(l), ";")]
  jd_line_re  = "^([A-Za-z][A-Za-z0-9]*)[ \t]*=[ \t]*(.*)$"
  jd_pairs    = [for l in local.jd_settings : regex(local.jd_line_re, l) if can(regex(local.jd_line_re, l))]
  # What the asserts below refuse.
  jd_bad_lines    = [for l in local.jd_settings : l if !can(regex(local.jd_line_re, l)) || endswith(l, "\\")]
  jd_unknown      = distinct([for p in local.jd_pairs : p[0] if !contains(local.jd_known_keys, p[0])])
  jd_conflicts    = distinct([for p in local.jd_pairs : p[0] if lookup(local.jd_typed, p[0], "") != ""])
  jd_empty_values = distinct([for p in local.jd_pairs : p[0] if p[1] == ""])

  # A systemd time span (systemd.time(7)): numbers, each with or without
  # a unit (seconds without), or infinity. systemd also reads the micro
  # signs (5µs); the fast parser does not take them in this string,
  # written out or as \u escapes, and us is how they are typed.
  jd_span_re = "^[ \t]*(infinity|(([0-9]+(\\.[0-9]*)?|\\.[0-9]+)[ \t]*(seconds|second|sec|s|minutes|minute|min|months|month|M|msec|ms|m|hours|hour|hr|h|days|day|d|weeks|week|w|years|year|y|usec|us)?[ \t]*)+)$"
  jd_interval_ok = local.jd.rate_limit_interval == null ? true : can(regex(local.jd_span_re, local.jd.rate_limit_interval))
  jd_burst_ok    = local.jd.rate_limit_burst == null ? true : local.jd.rate_limit_burst >= 0 && local.jd.rate_limit_burst <= 4294967295
  jd_console_ok  = local.jd.console == null ? true : can(regex("^/dev/[A-Za-z0-9_.+:-]+(/[A-Za-z0-9_.+:-]+)*$", local.jd.console)) && !can(regex("(^|/)\\.\\.?(/|$)", local.jd.console))

  jd_lines = concat(
    local.jd.storage != null ? ["Storage=${local.jd.storage}"] : [],
    local.jd.rate_limit_interval != null ? ["RateLimitIntervalSec=${trimspace(local.jd.rate_limit_interval)}"] : [],
    local.jd.rate_limit_burst != null ? ["RateLimitBurst=${local.jd.rate_limit_burst}"] : [],
    local.jd.forward_to_syslog != null ? ["ForwardToSyslog=${local.jd.forward_to_syslog ? "yes" : "no"}"] : [],
    local.jd.console != null ? ["ForwardToConsole=yes", "TTYPath=${local.jd.console}"] : [],
    local.jd_extra != "" ? [local.jd_extra] : [],
  )
}

environment {
  etc "systemd/journald.conf.d/60-gocfg.conf" {
    when = length(local.jd_lines) > 0 && host.os == "linux"
    text = join("\n", concat(
      ["# Written by gocfg (services.journald); replaced by every switch.", "[Journal]"],
      local.jd_lines,
      [""],
    ))
    # A copy, not a link into the generation under /var/lib/gocfg:
    # journald starts early in the boot, before a separate /var is
    # mounted, and would find a dangling link.
    method = "copy"
    # journald reads its configuration only when it starts: a restart
    # applies the new file (or, when it goes, the defaults). journald
    # keeps the services' log streams open across it (its file
    # descriptor store), so no service loses its standard output.
    # try-restart: nothing when journald does not run (a system being
    # set up in a chroot), which reads the file when it starts.
    on_change = "systemctl try-restart systemd-journald.service"
  }
}

assert {
  condition = local.jd_interval_ok
  message   = "${jsonencode(coalesce(local.jd.rate_limit_interval, ""))} is not a systemd time span on one line.\nhint: write it as systemd.time(7) says, such as 30s, 5min or 1h 30min; 0 turns the rate limit off."
  at        = "services.journald.rate_limit_interval"
}

assert {
  condition = local.jd_burst_ok
  message   = "a number of messages from 0 to 4294967295, not ${coalesce(local.jd.rate_limit_burst, 0)}.\nhint: 0 turns the rate limit off."
  at        = "services.journald.rate_limit_burst"
}

assert {
  condition = local.jd_console_ok
  message   = "${jsonencode(coalesce(local.jd.console, ""))} is not a terminal's path under /dev on one line.\nhint: ${coalesce(local.jd.console, "-") == "" ? "NixOS's \"\" (no console) is null here: leave the option unset." : "name a terminal such as /dev/tty12, /dev/ttyS0 or /dev/console."}"
  at        = "services.journald.console"
}

assert {
  condition = length(local.jd_bad_lines) == 0
  message   = "not a journald.conf(5) line: ${join(", ", [for l in local.jd_bad_lines : jsonencode(l)])}.\nhint: write one Key=value a line, such as SystemMaxUse=200M, without a section header (gocfg starts the [Journal] section) and without continuing a value on the next line with \\; comments start with # or ;."
  at        = "services.journald.extra_config"
}

assert {
  condition = length(local.jd_unknown) == 0
  message   = "journald.conf(5) of systemd 252 has no key ${join(", ", local.jd_unknown)}.${length([for k in local.jd_unknown : k if can(local.jd_known_lower[lower(k)])]) > 0 ? "\nhint: keys are case-sensitive: ${join(", ", [for k in local.jd_unknown : "${lookup(local.jd_known_lower, lower(k), "")}, not ${k}" if can(local.jd_known_lower[lower(k)])])}." : ""}\nhint: it knows ${join(", ", local.jd_known_keys)}."
  at        = "services.journald.extra_config"
}

# At extra_config only, whose keys are the ones to remove: the message
# names the option of each.
assert {
  condition = length(local.jd_conflicts) == 0
  message   = "sets keys that options set too: ${join(", ", [for k in local.jd_conflicts : "${k} (services.journald.${local.jd_typed[k]})"])}.\nhint: set each key once: remove it from extra_config, or unset the option."
  at        = "services.journald.extra_config"
}

assert {
  condition = length(local.jd_empty_values) == 0
  message   = "${join(", ", local.jd_empty_values)} without a value.\nhint: leave the key out for journald's default (journald ignores most keys without a value, with an error in its log)."
  at        = "services.journald.extra_config"
}

warn {
  condition = length(local.jd_lines) > 0 && host.os != "linux"
  message   = "applied on Linux only; macOS has no journald, so nothing is written."
  at        = local.jd.storage != null ? "services.journald.storage" : local.jd.rate_limit_interval != null ? "services.journald.rate_limit_interval" : local.jd.rate_limit_burst != null ? "services.journald.rate_limit_burst" : local.jd.forward_to_syslog != null ? "services.journald.forward_to_syslog" : local.jd.console != null ? "services.journald.console" : "services.journald.extra_config"
}
