# Users and groups. Applied with useradd/usermod/groupadd on Linux and
# sysadminctl/dscl on macOS; gocfg deletes only users and groups it created.

option "users" {
  type = attrs_of(submodule({
    uid = {
      type        = null_or(int)
      description = "Numeric user ID. Unset lets the system pick one when the user is created."
    }
    description = {
      type        = null_or(str)
      description = "Full name or comment (the GECOS field on Linux, `RealName` on macOS)."
    }
    home = {
      type        = null_or(str)
      description = "Home folder, an absolute path on the machine. Unset means the user's existing passwd entry, else `/home/<name>` on Linux and `/Users/<name>` on macOS."
    }
    shell = {
      type        = null_or(str)
      description = "Login shell, an absolute path on the machine, e.g. `/bin/zsh`. Unset keeps the system's default for new users."
    }
    groups = {
      type        = list_of(str)
      default     = []
      description = "Supplementary groups the user belongs to, e.g. `[\"wheel\", \"docker\"]`."
    }
    create_home = {
      type        = bool
      default     = true
      description = "Whether to create the home folder (owned by the user, mode 0700) when the user is created."
    }
    is_hidden = {
      type        = bool
      default     = false
      description = "macOS only: hide the user from the login window and the Users & Groups settings (`IsHidden`)."
    }
  }))
  default     = {}
  description = "User accounts to create and manage, keyed by user name. gocfg changes existing users to match and deletes only users it created itself."
  example = {
    alice = { shell = "/bin/zsh", groups = ["wheel"] }
  }
}

option "groups" {
  type = attrs_of(submodule({
    gid = {
      type        = null_or(int)
      description = "Numeric group ID. Unset lets the system pick one when the group is created."
    }
    members = {
      type        = list_of(str)
      default     = []
      description = "User names that are members of the group, in addition to the users that list it in `users.<name>.groups`."
    }
  }))
  default     = {}
  description = "Groups to create and manage, keyed by group name. gocfg deletes only groups it created itself."
  example = {
    developers = { members = ["alice"] }
  }
}
