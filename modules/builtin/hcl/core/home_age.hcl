# home.<user>.age (agenix's home-manager module): a user's secrets,
# decrypted at the switch with the user's own identities. This
# declaration adds "age.*" to the home submodule of core/home.hcl.

option "home" {
  type = attrs_of(submodule({
    "age.secrets" = {
      type = attrs_of(submodule({
        file = {
          type        = path
          description = "The age-encrypted file, relative to the module that sets it (stored in the generation as ciphertext only)."
          example     = "./secrets/netrc.age"
        }
        path = {
          type        = null_or(str)
          description = "Where the secret goes in the user's home, relative to it or starting with `~/` (such as `.netrc`): a regular file owned by the user, written by root without following any link out of the home (a file gocfg did not write in the way stops the switch). Unset: `$XDG_RUNTIME_DIR/gocfg/secrets/<name>` (`/run/user/<uid>`, a RAM file system that exists while the user is logged in or lingers; when it does not exist the secret is written by the next switch that finds it, and nothing writes it at login yet)."
          example     = ".netrc"
        }
        mode = {
          type        = str
          default     = "0400"
          description = "Octal permissions of the decrypted file (owned by the user)."
        }
      }))
      default     = {}
      description = "The user's secrets, keyed by name (letters, digits, `.`, `_`, `-`), decrypted at the switch with `age.identity_paths`. Plans show the ciphertext hash only."
    }
    "age.identity_paths" = {
      type        = list_of(str)
      default     = ["~/.config/gocfg/age.key", "~/.ssh/id_ed25519"]
      description = "The user's identities that decrypt `age.secrets`, tried in order (age X25519 keys or unencrypted OpenSSH ed25519 or RSA keys), relative to the home or starting with `~/`. They are read without following links out of the home. A missing file is skipped."
    }
  }))
}

locals {
  # file has no default (as age.secrets). Only the users with secrets
  # are looked into: a for expression for each of a thousand users
  # costs milliseconds.
  home_age_users = [for user, h in config.home : user if length(h.age.secrets) > 0]
  home_age_without_file = flatten([
    for user in local.home_age_users : [for n, s in config.home[user].age.secrets : "home.${jsonencode(user)}.age.secrets.${jsonencode(n)}" if s.file == null]
  ])
}

assert {
  condition = length(local.home_age_without_file) == 0
  message   = "file is not set: name the age-encrypted file, such as file = \"./secrets/netrc.age\"."
  at        = local.home_age_without_file
}
