# security.sudo (NixOS's security.sudo.wheelNeedsPassword, extraRules and
# extraConfig): a file in /etc/sudoers.d, mode 0440, validated with
# `visudo -c` when the plan is made, so a broken rule fails the plan
# instead of locking everyone out of sudo. When sudo is installed by the
# same switch (environment.system_packages), visudo is not there yet:
# the check then runs at the switch, after the package, and a broken
# rule undoes the switch.

option "security.sudo.wheel_needs_password" {
  type        = bool
  default     = true
  description = "Whether administrators must type their password for `sudo`. A setting of `security.sudo` that writes a rule, or a user with `users.<name>.admin`, installs the package `sudo` on Debian, Fedora and Arch (removed when neither is left, if gocfg installed it). `false` lets the administrators' group (the one `users.<name>.admin` adds to: `sudo` on Debian and Ubuntu, `wheel` on Fedora and Arch, both on other distributions, `admin` on macOS) run any command as any user without a password, through `/etc/sudoers.d/gocfg`."
  example     = false
}

option "security.sudo.extra_rules" {
  type = list_of(submodule({
    users = {
      type        = list_of(str)
      default     = []
      description = "Users the rule applies to."
      example     = ["alice", "bob"]
    }
    groups = {
      type        = list_of(str)
      default     = []
      description = "Groups the rule applies to (without `%`)."
      example     = ["admins"]
    }
    host = {
      type        = str
      default     = "ALL"
      description = "Hosts the rule applies to."
      example     = "web1"
    }
    run_as = {
      type        = str
      default     = "ALL:ALL"
      description = "Users (and `:groups`) the commands may be run as."
      example     = "www-data"
    }
    commands = {
      type        = list_of(anything)
      description = "Commands allowed, as full paths with arguments, or `ALL`. An item may also be NixOS's `{ command = \"/usr/bin/systemctl restart nginx\", options = [\"NOPASSWD\"] }`, written as sudoers writes it, `NOPASSWD: /usr/bin/systemctl restart nginx`: as in sudoers (and NixOS), a command's tags stay on the commands after it in the rule until others are given."
      example     = ["/usr/bin/systemctl restart nginx"]
    }
    options = {
      type        = list_of(str)
      default     = []
      description = "Tags for the commands, such as `NOPASSWD` or `SETENV`."
      example     = ["NOPASSWD"]
    }
  }))
  default     = []
  description = "sudo rules, each written as one line of `/etc/sudoers.d/gocfg` (`USERS HOST=(RUN_AS) OPTIONS: COMMANDS`). The file is checked with `visudo -c` when the plan is made: a broken rule fails the plan. When sudo is installed by the same switch (`environment.system_packages`), the check runs at the switch, once sudo is installed, and a broken rule undoes the switch."
  example     = [{ users = ["alice"], commands = ["/usr/bin/systemctl restart nginx"], options = ["NOPASSWD"] }]
}

option "security.sudo.extra_config" {
  type        = lines
  default     = ""
  description = "sudoers lines added at the end of `/etc/sudoers.d/gocfg`, checked with `visudo -c` like the rules."
  example     = "Defaults timestamp_timeout=30"
}

locals {
  # The rules the assert below refuses, by their place in the list.
  # commands has no default: a rule without it has null there.
  sudo_bad_rules = [for i, r in config.security.sudo.extra_rules : i + 1 if length(r.users) + length(r.groups) == 0 || try(length(r.commands), 0) == 0]
  # Each rule's commands as sudoers lines take them: a string as it is,
  # NixOS's { command, options } as "OPTIONS: command"; null for an item
  # that is neither (sudo_bad_commands).
  # (try and one-item for expressions, not conditionals: HCL evaluates
  # both results of a conditional, and a string and an object have no
  # common type.)
  sudo_commands = [for r in config.security.sudo.extra_rules : try([
    for c in r.commands : try(
      [for s in [c] : s if can(regex("^\"", jsonencode(s)))][0],
      [for o in [c] : "${length(try(o.options, [])) > 0 ? "${join(": ", o.options)}: " : ""}${o.command}"
      if length(keys(o)) == length(setintersection(keys(o), ["command", "options"])) && can(regex("^\"", jsonencode(o.command))) && alltrue([for t in try(o.options, []) : can(regex("^\"", jsonencode(t)))])][0],
      null,
    )
  ], [])]
  sudo_bad_commands = [for i, cs in local.sudo_commands : i + 1 if anytrue([for c in cs : c == null])]
  # The administrators' group, as users.<name>.admin picks it; both
  # Linux names when the distribution is not known.
  sudo_admin_groups = host.os == "darwin" ? ["admin"] : lookup({ debian = ["sudo"], fedora = ["wheel"], arch = ["wheel"] }, host.distro, ["sudo", "wheel"])
  sudo_lines = concat(
    config.security.sudo.wheel_needs_password ? [] : [for g in local.sudo_admin_groups : "%${g} ALL=(ALL:ALL) NOPASSWD: ALL"],
    [for i, r in config.security.sudo.extra_rules : "${join(",", concat(r.users, [for g in r.groups : "%${g}"]))} ${r.host}=(${r.run_as}) ${length(r.options) > 0 ? "${join(": ", r.options)}: " : ""}${join(", ", local.sudo_commands[i])}" if r.commands != null && !contains(local.sudo_bad_commands, i + 1)],
    config.security.sudo.extra_config == "" ? [] : [config.security.sudo.extra_config],
  )
}

environment {
  # sudo itself, as NixOS's security.sudo installs it (tester W: without
  # it the plan failed on visudo, not found, with a hint that named no
  # package): while a rule is written or a user is an administrator (the
  # group admin = true adds to is for sudo), so that the last rule going
  # does not take sudo from the administrators. macOS has sudo; other
  # distributions have no package manager gocfg drives.
  system_packages = (length(local.sudo_lines) > 0 || anytrue([for name, u in config.users : u.admin])) && contains(["debian", "fedora", "arch"], host.distro) ? ["sudo"] : []

  etc "sudoers.d/gocfg" {
    when  = length(local.sudo_lines) > 0
    text  = join("\n", concat(["# Written by gocfg (security.sudo); replaced by every switch."], local.sudo_lines, [""]))
    mode  = "0440"
    group = host.os == "darwin" ? "wheel" : "root"
    check = "visudo -c -f %s"
  }
}

assert {
  condition = length(local.sudo_bad_commands) == 0
  message   = "a command is a string, such as \"/usr/bin/systemctl restart nginx\" or \"ALL\", or NixOS's { command = \"...\", options = [\"NOPASSWD\"] } (not in rule${length(local.sudo_bad_commands) > 1 ? "s" : ""} ${join(", ", local.sudo_bad_commands)}, counting from 1)."
  at        = "security.sudo.extra_rules"
}

assert {
  condition = length(local.sudo_bad_rules) == 0
  message   = "each rule names at least one user or group, and at least one command (not rule${length(local.sudo_bad_rules) > 1 ? "s" : ""} ${join(", ", local.sudo_bad_rules)}, counting from 1)."
  at        = "security.sudo.extra_rules"
}
