# Settings every one of Alice's Macs shares.
locals {
  user = "alice"
}

macos {
  primary_user = local.user
}

users "alice" {
  description = "Alice Liddell"
  home        = "/Users/${local.user}"
  shell       = "/bin/zsh"
}

environment {
  package_manager = "brew"
  system_packages = [
    "coreutils",
    "curl",
    "htop",
    "tree",
    "wget",
  ]
}

assert {
  condition = host.os == "darwin"
  message   = "macos-laptop is a configuration for macOS, not ${host.os}."
}
