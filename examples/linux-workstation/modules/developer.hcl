# A profile: one switch for the tools and settings of software
# development.
imports = ["./base.hcl"] # loaded once, however many modules import it

option "profile.developer.enable" {
  type        = bool
  default     = false
  description = "Install development tools and set up the machine for programming."
}

environment {
  when = config.profile.developer.enable

  system_packages = [
    "build-essential",
    "docker.io",
    "fd-find",
    "golang-go",
    "jq",
    "neovim",
    "ripgrep",
    "shellcheck",
  ]

  # IDEs and file watchers run out of inotify watches on big trees.
  etc "sysctl.d/60-inotify.conf" {
    text = "fs.inotify.max_user_watches = 524288\n"
  }
}

users "alice" {
  when = config.profile.developer.enable

  shell  = "/usr/bin/zsh" # beats base.hcl's default("/bin/bash")
  groups = ["docker"]     # added to base.hcl's groups
}
