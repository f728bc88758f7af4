# NixOS's users.users.<name> and users.groups.<name> are users.<name>
# and groups.<name> here; written the NixOS way they are a user named
# "users" or "groups" with an undeclared field, and the error says so.
users {
  users {
    jtest = { shell = "/bin/zsh" } # ERROR: Undeclared option users.users.jtest
  }
  groups = {
    docker = {} # ERROR: Undeclared option users.groups.docker
  }
}
