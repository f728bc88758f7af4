networking {
  hostname = "atlas" # ERROR: Undeclared option networking.hostname
}
environment {
  packages = ["git"] # ERROR: Undeclared option environment.packages
}
users "alice" {
  shel = "/bin/zsh" # ERROR: Undeclared option users.alice.shel
}
dock { # ERROR: Undeclared option dock
  autohide = true
}
