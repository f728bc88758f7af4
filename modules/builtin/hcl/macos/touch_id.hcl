# Touch ID for sudo, through /etc/pam.d/sudo_local: the file macOS 14+
# includes from /etc/pam.d/sudo and keeps across system updates.

option "macos.touch_id_sudo" {
  type        = bool
  default     = false
  description = "Let `sudo` authenticate with Touch ID (and an Apple Watch), by writing `auth       sufficient     pam_tid.so` to `/etc/pam.d/sudo_local` (macOS 14 or later)."
}

option "macos.touch_id_sudo_reattach" {
  type        = bool
  default     = false
  description = "With `macos.touch_id_sudo`: also load pam_reattach before pam_tid, so Touch ID works inside tmux and screen. Needs pam-reattach installed (e.g. `brew install pam-reattach`)."
}

option "macos.touch_id_sudo_reattach_path" {
  type        = str
  default     = host.arch == "arm64" ? "/opt/homebrew/lib/pam/pam_reattach.so" : "/usr/local/lib/pam/pam_reattach.so"
  description = "Path of the pam_reattach module used by `macos.touch_id_sudo_reattach`. The default is where Homebrew's `pam-reattach` puts it: under Homebrew's prefix for this Mac, `/opt/homebrew` on Apple silicon and `/usr/local` on Intel. gocfg warns when the file is not there and not being installed."
}

environment {
  etc "pam.d/sudo_local" {
    when = config.macos.touch_id_sudo
    text = join("\n", concat(
      ["# Written by gocfg (macos.touch_id_sudo)."],
      config.macos.touch_id_sudo_reattach ? ["auth       optional       ${config.macos.touch_id_sudo_reattach_path}"] : [],
      ["auth       sufficient     pam_tid.so", ""],
    ))
    # A copy, not a link: sudo must keep working even if the state folder
    # is damaged. Read-only and owned by root, as Apple's sudo_local.template;
    # default() so a user's own settings for the file win.
    method = default("copy")
    mode   = default("0444")
    user   = default("root")
    group  = default("wheel")
  }
}

warn {
  condition = config.macos.touch_id_sudo_reattach && !config.macos.touch_id_sudo
  message   = "has no effect unless macos.touch_id_sudo is true."
  at        = "macos.touch_id_sudo_reattach"
}
