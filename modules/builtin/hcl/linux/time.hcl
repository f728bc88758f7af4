# time.time_zone (NixOS's time.timeZone): /etc/localtime links to the
# zone's file under /usr/share/zoneinfo, and /etc/timezone names the zone
# (Debian's tzdata and some programs read it). Both replace what the
# machine had, which gocfg keeps and puts back when the option is unset.

option "time.time_zone" {
  type        = null_or(str)
  description = "Time zone of the machine, as a name under `/usr/share/zoneinfo` (package `tzdata`), such as `Europe/Paris` or `UTC`. gocfg links `/etc/localtime` to the zone's file and writes the name to `/etc/timezone`; a name with no zone file fails the plan, naming the closest zones. Programs already running may keep the old zone until they restart. Unset (the default) leaves the machine's zone alone; unsetting it puts back the zone the machine had before gocfg. On macOS gocfg runs `systemsetup -settimezone` (the zone checked against `systemsetup -listtimezones` when the plan is made) and puts back the previous zone the same way."
  example     = "Europe/Paris"
}

locals {
  time_zone_set = config.time.time_zone != null && host.os == "linux"
}

environment {
  etc "localtime" {
    when       = local.time_zone_set
    symlink_to = "/usr/share/zoneinfo/${coalesce(config.time.time_zone, "UTC")}"
    force      = true
    # timedated (timedatectl) reads the zone when it starts: restart it if
    # it runs, so that it answers with the new zone at once.
    on_change = "systemctl try-restart systemd-timedated.service 2>/dev/null || true"
  }
  etc "timezone" {
    when  = local.time_zone_set
    text  = "${coalesce(config.time.time_zone, "UTC")}\n"
    force = true
  }
}

assert {
  condition = config.time.time_zone == null || can(regex("^[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+)*$", coalesce(config.time.time_zone, "UTC")))
  message   = "\"${coalesce(config.time.time_zone, "")}\" is not a zone name such as Europe/Paris (names under /usr/share/zoneinfo)."
  at        = "time.time_zone"
}
