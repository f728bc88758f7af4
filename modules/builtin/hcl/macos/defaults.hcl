# macOS preferences: the primitive options that the `defaults` applier
# reads. The typed convenience options (macos.dock.*, macos.finder.*, ...)
# are mapped onto macos.defaults by the other modules in this folder.

option "macos.primary_user" {
  type        = null_or(str)
  default     = host.user
  description = "User whose preferences `macos.defaults` and `macos.current_host_defaults` write, and whose LaunchAgents `macos.launchd.agents` installs. Defaults to the user running gocfg (the user behind `sudo`)."
  example     = "alice"
}

option "macos.defaults" {
  type        = attrs_of(attrs_of(anything))
  default     = {}
  description = "Preferences written with `defaults write` as `macos.primary_user`, keyed by domain and then key; the domain `NSGlobalDomain` is written with `-g`. Values are plist values: bool, string, integer, `real(x)`, `date(...)`, `data(...)`, lists and objects; a null value leaves the key unmanaged."
  example = {
    "com.apple.dock" = { autohide = true, tilesize = 48 }
  }
}

option "macos.current_host_defaults" {
  type        = attrs_of(attrs_of(anything))
  default     = {}
  description = "Preferences written with `defaults -currentHost write` as `macos.primary_user` (the per-machine `ByHost` preferences), keyed by domain and then key."
  example = {
    "com.apple.screensaver" = { idleTime = 600 }
  }
}

option "macos.system_defaults" {
  type        = attrs_of(attrs_of(anything))
  default     = {}
  description = "Preferences written as root to `/Library/Preferences/<domain>.plist`, for every user of the machine, keyed by domain and then key."
  example = {
    "com.apple.loginwindow" = { GuestEnabled = false }
  }
}
