# users.<name>.admin: membership of the distribution's administrators
# group (NixOS's extraGroups = [ "wheel" ]), whatever that group is
# called here. This declaration adds "admin" to the users submodule of
# core/users.hcl.

option "users" {
  type = attrs_of(submodule({
    admin = {
      type        = bool
      default     = false
      description = "Make the user an administrator: a member of the group that may use `sudo` on this system, `sudo` on Debian and Ubuntu (`host.distro` `debian`), `wheel` on Fedora and Arch (`fedora`, `arch`), `admin` on macOS. It replaces NixOS's `extraGroups = [ \"wheel\" ]`, which names a group Debian does not have. On a distribution gocfg does not know (`host.distro` neither of those) `true` is an error: list the group in `groups` instead. Turning it off removes the membership gocfg added."
      example     = true
    }
  }))
}

locals {
  admin_groups = {
    debian = "sudo"
    fedora = "wheel"
    arch   = "wheel"
    macos  = "admin"
  }
  # A Mac is "macos" whoever filled in host.distro.
  admin_group = lookup(local.admin_groups, host.os == "darwin" ? "macos" : host.distro, "")
  admins      = sort([for name, u in config.users : name if u.admin])
}

# The membership is declared from the group's side: a definition of
# users.<name>.groups here would read and define `users` at once.
groups "sudo" {
  when    = local.admin_group == "sudo" && length(local.admins) > 0
  members = local.admins
}

groups "wheel" {
  when    = local.admin_group == "wheel" && length(local.admins) > 0
  members = local.admins
}

groups "admin" {
  when    = local.admin_group == "admin" && length(local.admins) > 0
  members = local.admins
}

assert {
  condition = local.admin_group != "" || length(local.admins) == 0
  message   = "gocfg does not know the administrators group of this system (host.distro is \"${host.distro}\"${host.distro == "linux" ? ", os-release(5)'s default: the machine's, or under --root the tree's, etc/os-release names no ID" : ""}; it knows debian: sudo, fedora and arch: wheel, macos: admin), so it cannot make this user an administrator. Set admin = false and list the group that may use sudo here in users.<name>.groups instead, e.g. groups = [\"wheel\"]."
  at        = [for name in local.admins : "users.${jsonencode(name)}.admin"]
}
