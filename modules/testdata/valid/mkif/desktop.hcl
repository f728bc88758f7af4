option "profile.desktop" {
  type        = bool
  default     = false
  description = "Install and configure a desktop."
}

option "profile.browser" {
  type    = str
  default = "firefox"
}

environment = when(config.profile.desktop, {
  system_packages = [config.profile.browser, "alacritty"]
})

systemd {
  services "xdg-portal" {
    when        = config.profile.desktop
    description = "Desktop portal for ${config.profile.browser}"
    exec_start  = "/usr/libexec/xdg-desktop-portal"
  }
}
