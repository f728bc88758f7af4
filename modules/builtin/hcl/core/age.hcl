# Secrets encrypted with age (agenix's option names): the repository holds
# only ciphertext; platform/secrets decrypts each file at the switch and
# writes the plaintext onto a RAM file system (/run/gocfg/secrets), with
# `path` a link to it. Generations keep the ciphertext and its hash only.

option "age.secrets" {
  type = attrs_of(submodule({
    file = {
      type        = path
      description = "The age-encrypted file (ASCII-armoured or binary), relative to the module that sets it. It is stored in the generation as it is (ciphertext only), so a rollback and the boot unit `gocfg-secrets.service` decrypt it again without the repository."
      example     = "./secrets/api-token.age"
    }
    path = {
      type        = null_or(str)
      description = "Absolute path where programs read the secret: gocfg makes it a symbolic link to `/run/gocfg/secrets/<name>` (creating missing folders), never a copy, so the plaintext stays on the RAM file system. Unset: only `/run/gocfg/secrets/<name>`. Another option can name the file with `config.age.secrets.<name>.path` when this is set (a unit's `EnvironmentFile=`); the path, never the plaintext, is in the configuration."
      example     = "/etc/app/token"
    }
    owner = {
      type        = str
      default     = "root"
      description = "Owner of the decrypted file."
    }
    group = {
      type        = null_or(str)
      description = "Group of the decrypted file. Unset means the primary group of `owner`."
    }
    mode = {
      type        = str
      default     = "0400"
      description = "Octal permissions of the decrypted file."
    }
    restart_units = {
      type        = list_of(str)
      default     = []
      description = "Units restarted when a switch changes this secret (its ciphertext, owner, group, mode or path) and they are running, e.g. `[\"app.service\"]`. A unit that is not running reads the new secret when it starts."
    }
    reload_units = {
      type        = list_of(str)
      default     = []
      description = "Units reloaded (`systemctl reload`) when a switch changes this secret and they are running."
    }
  }))
  default     = {}
  description = "Secrets decrypted at the switch, keyed by name (letters, digits, `.`, `_`, `-`): each is written to `/run/gocfg/secrets/<name>` (a RAM file system, gone at shutdown and written again at boot by `gocfg-secrets.service`) with its `owner`, `group` and `mode`. The plan, `status`, `generations diff` and `--json` show a secret's ciphertext hash, never its content. Linux only."
  example = {
    "api-token" = { file = "./secrets/api-token.age", path = "/etc/app/token", owner = "app", restart_units = ["app.service"] }
  }
}

option "age.identity_paths" {
  type        = list_of(str)
  default     = ["/etc/ssh/ssh_host_ed25519_key"]
  description = "Identities that decrypt `age.secrets`, tried in order: age X25519 keys (`age-keygen`) or unencrypted OpenSSH ed25519 or RSA private keys, as absolute paths on the machine. The default is the host's SSH key, so a secret encrypted to the host's public key (`gocfg secrets keyscan HOST`) decrypts there and nowhere else. A missing file is skipped."
}

option "age.gocfg_binary" {
  type        = str
  default     = "gocfg"
  description = "The gocfg program that the boot unit `gocfg-secrets.service` runs (`gocfg secrets activate`) to write the current generation's secrets again after a reboot. A bare name is looked for in systemd's search path (`/usr/local/sbin`, `/usr/local/bin`, `/usr/sbin`, `/usr/bin`, …); set a full path when gocfg is installed elsewhere (`go install` puts it in `~/go/bin`; `gocfg deploy` runs a copy in the deploy user's cache, which does not count). A plan warns when the program is not on the machine."
  example     = "/usr/local/bin/gocfg"
}

locals {
  # Every unit that needs a secret: the boot unit runs before them.
  age_units = distinct(flatten([for n, s in config.age.secrets : concat(s.restart_units, s.reload_units)]))
  # file has no default: a secret without it is refused here, at the
  # user's line, rather than by the switch failing to open "".
  age_without_file = [for n, s in config.age.secrets : "age.secrets.${jsonencode(n)}" if s.file == null]
}

assert {
  condition = length(local.age_without_file) == 0
  message   = "file is not set: name the age-encrypted file, such as file = \"./secrets/api-token.age\"."
  at        = local.age_without_file
}

systemd {
  services "gocfg-secrets" {
    when        = length(config.age.secrets) > 0 && host.os == "linux"
    description = "gocfg: the current generation's secrets in /run/gocfg/secrets"
    type        = "oneshot"
    exec_start  = "${config.age.gocfg_binary} secrets activate"
    after       = ["local-fs.target"]
    wanted_by   = ["sysinit.target"]
    unit_config = {
      DefaultDependencies = "no"
      Before              = join(" ", concat(["sysinit.target", "shutdown.target"], local.age_units))
      Conflicts           = "shutdown.target"
      ConditionPathExists = "/var/lib/gocfg/current"
      # At a switch, which writes the secrets itself before it starts
      # units, the unit is skipped; after a reboot /run is empty.
      ConditionPathIsSymbolicLink = "!/run/gocfg/secrets"
    }
    service_config = {
      RemainAfterExit = "yes"
    }
    restart_if_changed = false
    stop_on_removal    = false
  }
}
