# systemd units, system-wide and per user. Unit files are written under
# /etc/systemd/system (or ~/.config/systemd/user) and the units are started,
# restarted, reloaded and stopped over D-Bus by the rules of NixOS's
# switch-to-configuration. Ignored on macOS, with a warning.

option "systemd.services" {
  type = attrs_of(submodule({
    description = {
      type        = str
      default     = ""
      description = "Human-readable name of the unit (`Description=`)."
    }
    after = {
      type        = list_of(str)
      default     = []
      description = "Units this one is ordered after (`After=`)."
    }
    wants = {
      type        = list_of(str)
      default     = []
      description = "Units started along with this one, whose failure is tolerated (`Wants=`)."
    }
    requires = {
      type        = list_of(str)
      default     = []
      description = "Units started along with this one, whose failure stops it (`Requires=`)."
    }
    wanted_by = {
      type        = list_of(str)
      default     = []
      description = "Targets that start this unit when it is enabled (`WantedBy=` in `[Install]`), e.g. `[\"multi-user.target\"]`."
    }
    exec_start = {
      type        = null_or(str)
      description = "Command that starts the service (`ExecStart=`)."
    }
    exec_start_pre = {
      type        = list_of(str)
      default     = []
      description = "Commands run before `exec_start`, in order (one `ExecStartPre=` each)."
    }
    exec_reload = {
      type        = null_or(str)
      description = "Command that makes the service reload its configuration (`ExecReload=`)."
    }
    type = {
      type        = enum(["simple", "exec", "forking", "oneshot", "dbus", "notify", "notify-reload", "idle"])
      default     = "simple"
      description = "How systemd decides the service has started (`Type=`)."
    }
    restart = {
      type        = enum(["no", "on-success", "on-failure", "on-abnormal", "on-watchdog", "on-abort", "always"])
      default     = "no"
      description = "When systemd restarts the service after it exits (`Restart=`)."
    }
    user = {
      type        = null_or(str)
      description = "User the service runs as (`User=`). Unset means root. A switch waits at most 5 minutes for a job (start, restart, reload) of a system service that runs as an ordinary account (a uid in `/etc/login.defs`' range of users, 1000 and up on Debian; not a service's account such as `postgres`), or of one that waits for such a service (ordered `after` it, or after a target it is wanted by; or stopped with it), among the configured units and their current versions, since that account can stop its processes: a job that takes longer (a `oneshot` has no start timeout of its own) fails the switch, which is undone; if the undo fails on such a service (she may make it fail), the failure is reported and left, not retried. Only the units' own files are read (an `Alias=` counts as the unit): an ordering through a unit of the machine's own that gocfg does not manage (a target written by hand between hers and yours), or a command that waits on her processes or files without being ordered after them, is not bounded."
    }
    group = {
      type        = null_or(str)
      description = "Group the service runs as (`Group=`). Unset means the primary group of `user`."
    }
    working_directory = {
      type        = null_or(str)
      description = "Working folder of the service's processes (`WorkingDirectory=`)."
    }
    environment = {
      type        = attrs_of(str)
      default     = {}
      description = "Environment variables of the service's processes (`Environment=`)."
    }
    enable = {
      type        = bool
      default     = true
      description = "Whether to install and start the service. `false` leaves it out as if it were not declared: a switch stops it, disables it and removes its unit file. A service that only a timer or another unit starts keeps `enable` on and `wanted_by` empty: installed, and not started by the switch."
    }
    restart_if_changed = {
      type        = bool
      default     = true
      description = "Restart the running service during a switch that changed its unit."
    }
    reload_if_changed = {
      type        = bool
      default     = false
      description = "Reload the running service (`systemctl reload`, needs `exec_reload`) instead of restarting it during a switch that changed its unit."
    }
    restart_triggers = {
      type        = list_of(str)
      default     = []
      description = "Values whose change restarts the running service during a switch, e.g. `[config.environment.etc[\"foo/foo.conf\"].text]` for a configuration file it reads only at start (NixOS `restartTriggers`). Their hash is written in the unit as `X-Restart-Triggers=` in `[Unit]`, so a change is a change of the unit, handled as any other: restarted, or reloaded with `reload_if_changed`, left alone with `restart_if_changed = false`. Units are started, restarted and reloaded once the new generation is current, so the service reads the new content of linked files too."
    }
    reload_triggers = {
      type        = list_of(str)
      default     = []
      description = "Values whose change reloads the running service during a switch (`systemctl reload`), even without `reload_if_changed` or with `restart_if_changed = false`, e.g. `[config.environment.etc[\"nginx/nginx.conf\"].text]` for a configuration file its reload re-reads (NixOS `reloadTriggers`). Their hash is written in the unit as `X-Reload-Triggers=` in `[Unit]`; a switch that changes anything else in the unit as well restarts it as usual. Needs `exec_reload` (or `type = \"notify-reload\"`). Units are reloaded once the new generation is current, so the service reads the new content of linked files too."
    }
    stop_on_removal = {
      type        = bool
      default     = true
      description = "Stop the service during a switch that removes it."
    }
    unit_config = {
      type        = attrs_of(anything)
      default     = {}
      description = "Further `[Unit]` keys (NixOS's `unitConfig`), e.g. `{ StartLimitBurst = 5, Documentation = [\"man:hello(1)\", \"https://example.org\"] }`. Each key is written as `Key=value` lines, keys sorted by name: a string as it is, a number as gocfg prints it (`5`, `1.5`), `true` and `false` as they are (as NixOS writes them), a list as one line per item, in its order (its `null` and empty items left out), and `null` leaves the key out; an object, a list in a list or a text of several lines is an error at its line. These lines come after the options', so, since systemd takes the last line of a setting that has one value, a key here beats the option of the same name (`Description` beats `description`; with a list, its last item does) and, for a setting that takes a list, adds its items to the option's (`After`)."
    }
    service_config = {
      type        = attrs_of(anything)
      default     = {}
      description = "Further `[Service]` keys (NixOS's `serviceConfig`), e.g. `{ Restart = \"always\", RestartSec = 5, DynamicUser = true, Environment = [\"A=1\", \"B=2\"] }`. Each key is written as `Key=value` lines, keys sorted by name: a string as it is, a number as gocfg prints it (`5`, `1.5`), `true` and `false` as they are (as NixOS writes them), a list as one line per item, in its order (its `null` and empty items left out), and `null` leaves the key out; an object, a list in a list or a text of several lines is an error at its line. These lines come after the options', so, since systemd takes the last line of a setting that has one value, a key here beats the option of the same name (`User` beats `user`; with a list, its last item does) and, for a setting that takes a list, adds its items to the option's (`ExecStartPre` after `exec_start_pre`, `Environment` after `environment`)."
    }
    install_config = {
      type        = attrs_of(anything)
      default     = {}
      description = "Further `[Install]` keys (NixOS's `installConfig`), e.g. `{ Alias = \"hi.service\", Also = [\"a.socket\", \"b.socket\"] }`. Each key is written as `Key=value` lines, keys sorted by name: a string as it is, a number as gocfg prints it (`5`, `1.5`), `true` and `false` as they are (as NixOS writes them), a list as one line per item, in its order (its `null` and empty items left out), and `null` leaves the key out; an object, a list in a list or a text of several lines is an error at its line. `WantedBy` here adds its items to `wanted_by`'s."
    }
  }))
  default     = {}
  description = "System services, keyed by unit name without the `.service` suffix: `systemd.services.nginx` is `nginx.service`. A template (`\"getty@\"`) is refused for now: declare each instance as a service of its own (`\"getty@tty3\"`). Linux only: on macOS nothing is written, with a warning."
  example = {
    hello = { exec_start = "/usr/bin/hello", wanted_by = ["multi-user.target"] }
  }
}

option "systemd.timers" {
  type = attrs_of(submodule({
    description = {
      type        = str
      default     = ""
      description = "Human-readable name of the timer (`Description=`)."
    }
    on_calendar = {
      type        = null_or(str)
      description = "Calendar event that triggers the timer (`OnCalendar=`), e.g. `\"daily\"` or `\"Mon *-*-* 04:00\"`. The plan asks `systemd-analyze calendar` whether systemd can read it (as `on_boot_sec` and the time spans of `timer_config` are asked of `systemd-analyze timespan`), so a value systemd would ignore is an error at its line, not a timer that fails to start in the middle of the switch."
    }
    on_boot_sec = {
      type        = null_or(str)
      description = "Time after boot that triggers the timer (`OnBootSec=`), e.g. `\"10min\"`."
    }
    persistent = {
      type        = bool
      default     = false
      description = "Catch up on a run missed while the machine was off (`Persistent=`)."
    }
    wanted_by = {
      type        = list_of(str)
      default     = ["timers.target"]
      description = "Targets that start the timer when it is enabled (`WantedBy=` in `[Install]`)."
    }
    enable = {
      type        = bool
      default     = true
      description = "Whether to install and start the timer. `false` leaves it out as if it were not declared: a switch stops it, disables it and removes its unit file."
    }
    timer_config = {
      type        = attrs_of(anything)
      default     = {}
      description = "Further `[Timer]` keys (NixOS's `timerConfig`), e.g. `{ Unit = \"backup.service\", RandomizedDelaySec = \"5min\", OnCalendar = [\"Mon 04:00\", \"Fri 04:00\"] }`. By default a timer starts the service of the same name. Each key is written as `Key=value` lines, keys sorted by name: a string as it is, a number as gocfg prints it (`5`, `1.5`), `true` and `false` as they are (as NixOS writes them), a list as one line per item, in its order (its `null` and empty items left out), and `null` leaves the key out; an object, a list in a list or a text of several lines is an error at its line. These lines come after the options', so a key here beats the option of the same name for a setting that has one value (`Persistent = false` beats `persistent`) and adds to it for one that takes a list (`OnCalendar` to `on_calendar`)."
    }
    unit_config = {
      type        = attrs_of(anything)
      default     = {}
      description = "Further `[Unit]` keys (NixOS's `unitConfig`). Each key is written as `Key=value` lines, keys sorted by name: a string as it is, a number as gocfg prints it (`5`, `1.5`), `true` and `false` as they are (as NixOS writes them), a list as one line per item, in its order (its `null` and empty items left out), and `null` leaves the key out; an object, a list in a list or a text of several lines is an error at its line. A key here beats `description` (`Description`)."
    }
    install_config = {
      type        = attrs_of(anything)
      default     = {}
      description = "Further `[Install]` keys (NixOS's `installConfig`). Each key is written as `Key=value` lines, keys sorted by name: a string as it is, a number as gocfg prints it (`5`, `1.5`), `true` and `false` as they are (as NixOS writes them), a list as one line per item, in its order (its `null` and empty items left out), and `null` leaves the key out; an object, a list in a list or a text of several lines is an error at its line. `WantedBy` here adds its items to `wanted_by`'s."
    }
  }))
  default     = {}
  description = "System timers, keyed by unit name without the `.timer` suffix; a timer starts the service of the same name unless `timer_config.Unit` says otherwise (a timer that starts a service whose `enable` is false is an error, and so is, when the plan is made, one whose unit is neither declared in `systemd.services` nor on the machine: systemd would refuse to start it). Linux only: on macOS nothing is written, with a warning."
  example = {
    backup = { on_calendar = "daily", persistent = true }
  }
}

# Each user's systemd user manager takes the same unit options as the
# system's, so the types are shared with type_of. This declaration adds
# "systemd.*" to the home submodule of core/home.hcl, which gives the
# option its default and description.
option "home" {
  type = attrs_of(submodule({
    "systemd.services" = {
      type        = type_of("systemd.services")
      default     = {}
      description = "The user's systemd user services (`~/.config/systemd/user`), keyed by unit name without `.service`, run by that user's user manager. `user` and `group` do not apply: a user unit runs as its user. Linux only: on macOS nothing is written, with a warning."
    }
    "systemd.timers" = {
      type        = type_of("systemd.timers")
      default     = {}
      description = "The user's systemd user timers, keyed by unit name without `.timer`. Linux only: on macOS nothing is written, with a warning."
    }
  }))
}

assert {
  condition = !contains(flatten([
    for user, h in config.home : [
      for name, s in h.systemd.services : s.user != null || s.group != null
    ]
  ]), true)
  message = "user and group do not apply to user units, which run as their user; leave them unset."
  at = flatten([
    for user, h in config.home : [
      for name, s in h.systemd.services : [
        for part in ["user", "group"] : "home.${jsonencode(user)}.systemd.services.${jsonencode(name)}.${part}" if s[part] != null
      ]
    ]
  ])
}

# The values of the units' *_config options that a unit file cannot take
# (platform/systemd/unit.Settings): an object, a list with a list or an
# object in it, and a text of several lines, each at its option path and
# key. Every other value is a string, a number, a bool, null or a list
# of those.
locals {
  systemd_settings = flatten([
    for m in concat(
      [{ at = "systemd", units = { services = config.systemd.services, timers = config.systemd.timers } }],
      [for user, h in config.home : { at = "home.${jsonencode(user)}.systemd", units = h.systemd }],
    ) : [
      for kind, opts in { services = ["unit_config", "service_config", "install_config"], timers = ["unit_config", "timer_config", "install_config"] } : [
        for name, u in m.units[kind] : [
          for opt in opts : [
            for k, v in u[opt] : { at = "${m.at}.${kind}.${jsonencode(name)}.${opt}.${jsonencode(k)}", v = v } if v != null
          ]
        ]
      ]
    ]
  ])
  systemd_settings_object = [for s in local.systemd_settings : s.at if can(regex("^\\{", jsonencode(s.v)))]
  systemd_settings_nested = [
    for s in local.systemd_settings : s.at
    if can(regex("^\\[", jsonencode(s.v))) && try(anytrue([for x in s.v : can(regex("^[\\[{]", jsonencode(x)))]), true)
  ]
  # A string, or a string of a list, with a line break or a NUL byte
  # (reviewer R32: a NUL was refused by the decoder, at no line).
  systemd_settings_lines = [
    for s in local.systemd_settings : s.at
    if can(regex("[\r\n\\x00]", s.v)) || !contains(local.systemd_settings_object, s.at) && try(anytrue([for x in s.v : can(regex("[\r\n\\x00]", x))]), false)
  ]
}

assert {
  condition = length(local.systemd_settings_object) == 0
  message   = "an object is not a value of a unit file: a key takes a string, a number, true or false, a list of those (one Key=value line per item), or null to leave it out.\nhint: write a key's several values as a list, such as Environment = [\"A=1\", \"B=2\"] (a service's environment option takes its variables as an object)."
  at        = local.systemd_settings_object
}

assert {
  condition = length(local.systemd_settings_nested) == 0
  message   = "a list in a list, or an object in a list, is not a value of a unit file: a key's list holds strings, numbers, true or false, one Key=value line per item.\nhint: write one list, such as ExecStartPre = [\"/bin/a\", \"/bin/b\"] (flatten([...]) makes one list of several)."
  at        = local.systemd_settings_nested
}

assert {
  condition = length(local.systemd_settings_lines) == 0
  message   = "a value is one line of the unit file, without a NUL byte.\nhint: write each line as an item of a list: ExecStartPre = [\"/bin/a\", \"/bin/b\"] is two ExecStartPre= lines."
  at        = local.systemd_settings_lines
}

# systemd is Linux's: on macOS the provider writes none of these units
# (platform/systemd), and since one repository often serves a Linux
# machine and a Mac, that is a warning naming the options, not an error.
# A unit whose enable is false is left out everywhere, so it is not
# named.
locals {
  systemd_units_on = flatten([
    length([for k, s in config.systemd.services : k if s.enable]) > 0 ? ["systemd.services"] : [],
    length([for k, t in config.systemd.timers : k if t.enable]) > 0 ? ["systemd.timers"] : [],
    [for user in sort(keys(config.home)) : [
      for kind in ["services", "timers"] : "home.${jsonencode(user)}.systemd.${kind}"
      if length([for k, u in config.home[user].systemd[kind] : k if u.enable]) > 0
    ]],
  ])
}

warn {
  condition = host.os != "linux" && length(local.systemd_units_on) > 0
  message   = "applied on Linux only; on macOS these units are not written (launchd runs programs there: macos.launchd.daemons, macos.launchd.agents)."
  at        = local.systemd_units_on
}
