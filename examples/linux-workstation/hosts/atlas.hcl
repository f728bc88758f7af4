# atlas: Alice's desktop at work (Debian 12).
#
#   sudo gocfg switch --host atlas
imports = [
  "../modules/base.hcl",
  "../modules/developer.hcl",
  "../modules/home",
]

networking {
  host_name = host.name
}

# The work machine commits with the work address. modules/me.hcl sets the
# personal one plainly, so this host has to force its own.
me {
  email = force("alice@corp.example")
}

profile {
  developer {
    enable = true
  }
}

groups "media" {
  gid     = 2000
  members = ["alice"]
}
