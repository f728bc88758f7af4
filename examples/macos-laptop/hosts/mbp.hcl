# mbp: Alice's MacBook Pro.
#
#   gocfg switch --host mbp
imports = [
  "../modules/common.hcl",
  "../modules/home.hcl",
  "../modules/darwin",
  "../modules/profiles",
]

networking {
  host_name       = "mbp"
  computer_name   = "Alice's MacBook Pro"
  local_host_name = "mbp"
}

profile {
  developer {
    enable    = true
    languages = ["go", "rust"]
  }
}

macos {
  # Mostly used without an external screen: keep the Dock out of the way
  # and a little bigger than the shared default.
  dock {
    autohide  = true
    tile_size = 56
  }

  # darwin/global.hcl sets a key repeat for every Mac; this keyboard
  # wants the fastest one.
  global {
    key_repeat = force(1)
  }
}
