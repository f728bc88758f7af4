networking {
  host_name = default("localhost")
}

users "alice" {
  shell  = "/bin/bash"
  groups = ["wheel"]
  home   = "/home/alice"
}

environment {
  system_packages = ["git", "curl"]
  # A path is relative to the module that writes it.
  etc "motd" {
    source = "./motd"
  }
}
