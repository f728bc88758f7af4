# Nightly restic backups, run by a systemd timer.
option "backup.enable" {
  type        = bool
  default     = false
  description = "Back up paths with restic on a schedule."
}

option "backup.paths" {
  type        = list_of(path)
  default     = []
  description = "Folders to back up."
}

option "backup.on_calendar" {
  type        = str
  default     = "daily"
  description = "When to run, as a systemd OnCalendar expression."
}

option "backup.repository" {
  type        = str
  default     = "sftp:restic@backup.example.org:/srv/restic/${host.name}"
  description = "restic repository to back up to."
}

environment {
  when            = config.backup.enable
  system_packages = ["restic"]
}

systemd {
  when = config.backup.enable

  services "backup" {
    description = "restic backup of ${join(", ", config.backup.paths)}"
    after       = ["network-online.target"]
    wants       = ["network-online.target"]
    type        = "oneshot"
    exec_start  = "/usr/bin/restic backup --one-file-system ${join(" ", config.backup.paths)}"
    environment = {
      RESTIC_REPOSITORY    = config.backup.repository
      RESTIC_PASSWORD_FILE = "/etc/restic/password"
    }
  }

  timers "backup" {
    description = "Schedule of the restic backup (${config.backup.on_calendar})"
    on_calendar = config.backup.on_calendar
    persistent  = true # catch up after downtime
    timer_config = {
      RandomizedDelaySec = "15m"
    }
  }
}

assert {
  condition = !config.backup.enable || length(config.backup.paths) > 0
  message   = "backup.paths is empty: there is nothing to back up."
  at        = "backup.enable"
}
