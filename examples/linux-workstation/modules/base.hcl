# What every Debian machine of Alice's gets.
imports = ["./me.hcl"]

locals {
  packages = [
    "curl",
    "git",
    "htop",
    "syncthing",
    "tmux",
    "unzip",
    "zsh",
  ]
}

environment {
  package_manager = "apt"
  system_packages = local.packages

  etc "apt/apt.conf.d/99no-recommends" {
    text = <<-EOT
      APT::Install-Recommends "false";
      APT::Install-Suggests "false";
    EOT
  }
}

users "alice" {
  uid         = 1000
  description = config.me.full_name
  home        = "/home/alice"
  shell       = default("/bin/bash")
  groups      = ["sudo", "audio", "video", "plugdev"]
  create_home = true
}

assert {
  condition = config.me.user == "alice"
  message   = "the home modules are written for alice, not ${config.me.user}."
  at        = "me.user"
}

warn {
  condition = host.arch != "amd64"
  message   = "the package list is only tested on amd64, this is ${host.arch}."
}
