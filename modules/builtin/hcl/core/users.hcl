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
    hashed_password = {
      type        = null_or(str)
      description = "Linux only: the password as a crypt(3) hash, as `/etc/shadow` holds it (NixOS's `hashedPassword`), made with `mkpasswd -m yescrypt` (Debian package `whois`) or `openssl passwd -6`; `\"!\"` or `\"*\"` locks password logins. gocfg sets it with `chpasswd --encrypted` (the hash on its standard input, never on a command line) when the account is created and whenever the account's hash differs, as NixOS does with `users.mutableUsers = false`: a password changed with `passwd` (by the user too) is set back by the next switch, and `gocfg status` reports it. A rollback sets the hash of the generation it returns to; removing the option leaves the password as it is. No plan, status or `generations diff` shows a hash (a diff shows a fingerprint of it); only root's files hold it: the generation's `config.json` and `resources.json` (0600) and the journal of a switch in progress. chpasswd also sets the password's last-change date (which ends a `passwd -e` expiry). The configuration holds the hash: keep it out of a public repository. Unset leaves the password alone. On macOS it is ignored, with a warning: set a password with `sysadminctl -resetPasswordFor`."
      example     = "$y$j9T$Xu0Yb3uKB3H0o2Q9rAn8h/$5zTjY9T5d3kbQ3qT0xvZ1hJ8QqN2Vp0r4c1aYx6mH1A"
    }
    linger = {
      type        = null_or(bool)
      description = "Linux only: whether systemd starts the user's manager at boot and keeps it after the last session, so that her user units (`home.<name>.systemd`) run without a login (NixOS's `linger`, `loginctl enable-linger`). `false` disables it; unset leaves it as it is. Removing the option puts back what the user had before gocfg managed it. A switch that enables it starts her manager once its plan is made: her user units wait for the next switch."
    }
    hashed_password_file = {
      type        = null_or(str)
      description = "Linux only: a file that holds the password as a crypt(3) hash, one line (NixOS's `hashedPasswordFile`), usually an age secret of `age.secrets`, so that the hash stays encrypted in the repository: `\"/run/gocfg/secrets/alice-password\"`, or `config.age.secrets.alice-password.path` when the secret sets `path` (unset, that is null, and so would this option be). Read by root's gocfg at every switch, after the secrets it decrypts, and set like `hashed_password` when the account's hash differs (a password changed with `passwd` is set back). Whoever may change the file chooses the password: the file, and every folder on its way, must be root's and writable by no one else (a secret's default owner root and mode 0400 are; a user's own `home.<name>.age` secrets are not), a regular file of at most 4 KiB. A missing file, or a secret the switch removes, leaves the password as it is, with a warning. A rollback reads the file its generation named (for a secret, the generation's secret). No plan, status or diff shows the hash. Not together with `hashed_password` or `initial_hashed_password`. On macOS it is ignored, with a warning."
      example     = "/run/gocfg/secrets/alice-password"
    }
    initial_hashed_password = {
      type        = null_or(str)
      description = "Linux only: the password the account gets when gocfg creates it, as a crypt(3) hash like `hashed_password` (NixOS's `initialHashedPassword`). Set once: the user changes it with `passwd` and gocfg leaves it, and an account that exists already (adopted, or created before the option was set) keeps its password. Kept like `hashed_password`: only root's files hold it, and no plan, status or diff shows it. Not together with `hashed_password`, which would replace it at every switch. Suits a new machine's first switch: give the hash of a throwaway password and change it at the first login (`passwd`). On macOS it is ignored, with a warning."
      example     = "$y$j9T$Xu0Yb3uKB3H0o2Q9rAn8h/$5zTjY9T5d3kbQ3qT0xvZ1hJ8QqN2Vp0r4c1aYx6mH1A"
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

