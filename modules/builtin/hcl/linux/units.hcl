# The state of units that packages ship (ssh.service, cron.service,
# fstrim.timer): enabled and started, or disabled and stopped. gocfg does
# not write these units' files (systemd.services does, for its own units).
# Ignored on macOS, with a warning.

option "systemd.units" {
  type = attrs_of(submodule({
    enable = {
      type        = bool
      default     = true
      description = "`true` enables the unit and starts it; `false` disables and stops it. Removing the entry puts back the state the unit had before gocfg first managed it (enabled or not, running or not)."
      example     = false
    }
    wanted_by = {
      type        = null_or(list_of(str))
      description = "Targets that start the unit, linked as `/etc/systemd/system/<target>.wants/<name>` (as `systemctl add-wants` does), e.g. `[\"multi-user.target\"]`. Unset means the unit's own `[Install]` section (`systemctl enable`)."
      example     = ["multi-user.target"]
    }
  }))
  default     = {}
  description = "Units the machine has (shipped by a package), keyed by their full name, whose state gocfg manages without writing their unit files. A unit that is not on the machine is an error. Under `--root` only their links change; they start at boot. Linux only: ignored on macOS, with a warning."
  example = {
    "ssh.service" = { enable = true }
    "fstrim.timer" = { enable = false }
  }
}

warn {
  condition = host.os != "linux" && length(config.systemd.units) > 0
  message   = "applied on Linux only; on macOS no unit is enabled or started (launchd runs programs there)."
  at        = "systemd.units"
}
