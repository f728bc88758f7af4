networking {
  host_name = default("localhost")
}

users "alice" {
  shell  = "/bin/bash"
  groups = ["wheel"]
  home   = "./home/alice"
}

environment {
  system_packages = ["git", "curl"]
}
