# How `gocfg deploy` reaches this host over the OpenSSH client, and how it
# checks the result. Evaluated on the deploying machine; never applied to
# the host itself.

option "deployment.target_host" {
  type        = null_or(str)
  default     = null
  description = "The address `ssh` connects to: a host name, an IP address or a `Host` alias of your `~/.ssh/config`. Unset means the host's name (the `hosts/<name>.hcl` it is defined in)."
  example     = "web1.example.org"
}

option "deployment.target_user" {
  type        = null_or(str)
  default     = null
  description = "The user `ssh` logs in as. Unset leaves it to `ssh` (your `~/.ssh/config`, else your own user name)."
  example     = "deploy"
}

option "deployment.target_port" {
  type        = null_or(int)
  default     = null
  description = "The SSH port. Unset leaves it to `ssh` (your `~/.ssh/config`, else 22)."
  example     = 2222
}

option "deployment.tags" {
  type        = list_of(str)
  default     = []
  description = "Tags to select this host with `gocfg deploy --on @<tag>`."
  example     = ["web", "eu"]
}

option "deployment.become" {
  type        = null_or(enum(["sudo", "doas", "none"]))
  default     = null
  description = "How the switch on the host gets root when `target_user` is not root: `sudo` (the default then), `doas`, or `none` to switch as the login user (only that user's files)."
  example     = "sudo"
}

option "deployment.health_checks" {
  type = list_of(submodule({
    command = {
      type        = null_or(str)
      default     = null
      description = "A shell command run on the host after the switch; it passes when it exits 0."
    }
    url = {
      type        = null_or(str)
      default     = null
      description = "An `http://` or `https://` URL fetched from the deploying machine after the switch; it passes on a 2xx answer. A redirect is not followed: it fails the check."
    }
    timeout = {
      type        = int
      default     = 10
      description = "Seconds the check may take."
    }
  }))
  default     = []
  description = "Checks that must pass after the switch before the deploying machine confirms it (see `magic_rollback`). Each sets exactly one of `command` and `url`."
  example = [
    { command = "systemctl is-active nginx" },
    { url = "http://web1.example.org/health", timeout = 5 },
  ]
}

option "deployment.magic_rollback" {
  type        = bool
  default     = true
  description = "After a switch, the host waits `confirm_timeout` seconds for the deploying machine to confirm it over a new SSH connection, after the health checks pass; without that confirmation the host rolls itself back, so a change that cuts SSH off undoes itself."
}

option "deployment.confirm_timeout" {
  type        = int
  default     = 30
  description = "Seconds the host waits for the confirmation of `magic_rollback`."
}

option "deployment.ssh_options" {
  type        = list_of(str)
  default     = []
  description = "Extra options for every `ssh` to this host, each as `ssh -o` takes it."
  example     = ["ProxyJump=bastion.example.org", "Compression=yes"]
}

locals {
  # The health checks the asserts below refuse, by their place in the
  # list, counting from 1.
  health_not_one_kind = [for i, c in config.deployment.health_checks : i + 1 if (c.command == null) == (c.url == null)]
  health_bad_url      = [for i, c in config.deployment.health_checks : i + 1 if c.url != null && !can(regex("^https?://", coalesce(c.url, "")))]
  health_bad_timeout  = [for i, c in config.deployment.health_checks : i + 1 if c.timeout <= 0]
  # ssh takes the address and the user as arguments: one that starts
  # with "-" is an option to it (ssh refuses those, later, as the host
  # being unreachable); a user or a port written into the address goes
  # in its own option.
  target_host = coalesce(config.deployment.target_host, "x")
  target_user = coalesce(config.deployment.target_user, "x")
  # Each entry of ssh_options is what `ssh -o` takes: Key=Value.
  ssh_bad_options = [for i, o in config.deployment.ssh_options : i + 1 if !can(regex("^[A-Za-z][A-Za-z0-9]*( *= *| +)[^ ]", o))]
}

assert {
  condition = !startswith(local.target_host, "-") && !can(regex("[[:space:][:cntrl:]]", local.target_host))
  message   = "must be a host name, an IP address or an ssh_config Host alias: not an ssh option, and without spaces."
  at        = "deployment.target_host"
}

assert {
  condition = !strcontains(local.target_host, "@")
  message   = "holds a user (user@host): set the user in deployment.target_user and only the host here."
  at        = "deployment.target_host"
}

assert {
  condition = !can(regex("^[^:]+:[0-9]+$", local.target_host))
  message   = "holds a port (host:port): set the port in deployment.target_port and only the host here."
  at        = "deployment.target_host"
}

assert {
  condition = !startswith(local.target_user, "-") && !can(regex("[@[:space:][:cntrl:]]", local.target_user))
  message   = "must be a user name: not an ssh option, and without @ or spaces."
  at        = "deployment.target_user"
}

assert {
  condition = length(local.ssh_bad_options) == 0
  message   = "each entry is an option as `ssh -o` takes it, Key=Value, such as \"ProxyJump=bastion.example.org\" (not entry ${join(", ", local.ssh_bad_options)}, counting from 1)."
  at        = "deployment.ssh_options"
}

assert {
  condition = length(local.health_not_one_kind) == 0
  message   = "each check sets exactly one of command and url (not check ${join(", ", local.health_not_one_kind)}, counting from 1)."
  at        = "deployment.health_checks"
}

assert {
  condition = length(local.health_bad_url) == 0
  message   = "a url must start with http:// or https:// (not in check ${join(", ", local.health_bad_url)}, counting from 1)."
  at        = "deployment.health_checks"
}

assert {
  condition = length(local.health_bad_timeout) == 0
  message   = "a check's timeout must be a positive number of seconds (not in check ${join(", ", local.health_bad_timeout)}, counting from 1)."
  at        = "deployment.health_checks"
}

assert {
  condition = config.deployment.confirm_timeout > 0
  message   = "must be a positive number of seconds."
  at        = "deployment.confirm_timeout"
}

assert {
  condition = config.deployment.target_port == null || (coalesce(config.deployment.target_port, 0) >= 1 && coalesce(config.deployment.target_port, 0) <= 65535)
  message   = "must be between 1 and 65535."
  at        = "deployment.target_port"
}
