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
      description = "An `http://` or `https://` URL fetched from the deploying machine after the switch; it passes on a 2xx answer."
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

assert {
  condition = length([for c in config.deployment.health_checks : c if (c.command == null) == (c.url == null)]) == 0
  message   = "deployment.health_checks: each check sets exactly one of command and url."
}

assert {
  condition = length([for c in config.deployment.health_checks : c if c.url != null && !can(regex("^https?://", coalesce(c.url, "")))]) == 0
  message   = "deployment.health_checks: a url must start with http:// or https://."
}

assert {
  condition = length([for c in config.deployment.health_checks : c if c.timeout <= 0]) == 0 && config.deployment.confirm_timeout > 0
  message   = "deployment: health check timeouts and confirm_timeout must be positive numbers of seconds."
}

assert {
  condition = config.deployment.target_port == null || (coalesce(config.deployment.target_port, 0) >= 1 && coalesce(config.deployment.target_port, 0) <= 65535)
  message   = "deployment.target_port: must be between 1 and 65535."
}
