# A host module importing shared modules: priorities decide who wins.
# Module order is the entry module first, then its imports, depth first:
# so lists hold the host's own entries before those of the modules it imports.
imports = ["./modules"]

networking {
  host_name = "atlas"
}

users "alice" {
  shell  = force("/bin/zsh")
  groups = ["docker"]
}

environment {
  system_packages = after(["htop"])
}
