# System packages and files under /etc.

option "environment.system_packages" {
  type        = list_of(str)
  default     = []
  description = "Packages installed for the whole system with `environment.package_manager`, by that manager's names. gocfg removes only packages it installed itself."
  example     = ["git", "ripgrep"]
}

option "environment.package_manager" {
  type        = enum(["auto", "apt", "dnf", "pacman", "brew"])
  default     = "auto"
  description = "Package manager that installs `environment.system_packages`. `auto` picks the first one found: apt, dnf or pacman on Linux, Homebrew on macOS."
}

option "environment.etc" {
  type = attrs_of(submodule({
    text = {
      type        = null_or(lines)
      description = "Content of the file. Set exactly one of `text`, `source` and `symlink_to`."
    }
    source = {
      type        = null_or(path)
      description = "File whose content is used, relative to the module that sets it. Set exactly one of `text`, `source` and `symlink_to`."
    }
    symlink_to = {
      type        = null_or(str)
      description = "Make `/etc/<path>` a symbolic link to this absolute path on the machine, instead of a file with `text` or `source` (NixOS's `mode = \"direct-symlink\"`), such as `/etc/localtime` to a zoneinfo file. The path must exist when the plan is made: a missing one fails the plan, naming the closest names next to it (under `--root` it is looked for in the tree, where a target whose folder is missing too is only a note: the tree may not be filled yet). `mode`, `method` and `check` do not apply."
      example     = "/usr/share/zoneinfo/Europe/Paris"
    }
    force = {
      type        = null_or(bool)
      description = "`true`: replace a file or link gocfg did not make that is in the way, instead of stopping the switch. What was there is kept in the generation and put back when gocfg lets go of the path (the option removed, or a rollback to before it). For files every machine has, such as `/etc/localtime`. Unset means `false`."
    }
    on_change = {
      type        = null_or(lines)
      description = "Shell commands run as root (with `/bin/sh -c`, after the switch, once the new generation is current) when a switch creates, changes or removes this file; on removal the script of the generation that had the file runs. Not run under `--root`. A hook runs at most 5 minutes (then it is killed, with what it started); a failure is reported, and does not undo the switch."
      example     = "sysctl --system"
    }
    check = {
      type        = null_or(str)
      description = "Command that validates new content before anything changes: run (with `/bin/sh -c`) when a plan finds the content new or changed, with `%s` replaced by `/dev/stdin` and the content on its standard input, so plan writes nothing. If it fails, the plan fails, showing its output. It must read its file argument as a stream: `visudo -c -f %s`, `sshd -t -f %s` and `nft -c -f %s` do; programs that need a seekable file or resolve includes next to it (`nginx -t -c`) do not. It runs on the machine that plans, under `gocfg plan`, `--dry-run` and `--root` too (it only reads), so the program must be installed there."
      example     = "visudo -c -f %s"
    }
    mode = {
      type        = null_or(str)
      description = "Octal permissions of the file. A linked file's content is readable by everyone, so any other mode than `0644` makes the file a copy with that mode, `user` and `group`, whatever `method` says (as NixOS does). A copy whose mode denies others read (such as `0600` or `0640`) is stored where only root can read it. Unset, it is `0644`, except for a `source` file whose own mode denies others read (such as a `0600` key): that file becomes a copy with the source's permission bits (without write for group and others; its owner and group are still `user` and `group`), stored where only root can read it, whatever `method` says; a source folder, linked as a whole, that holds such a file or a folder others may not enter is an error (name its files one by one). NixOS publishes such a file in the world-readable Nix store; gocfg does not. git keeps no mode but the execute bit, so a key checked out from a repository is `0644`: set `mode` for it (or use `age.secrets`), and put private content in `source`, not in `text` (`text = file(...)` is public)."
    }
    user = {
      type        = str
      default     = "root"
      description = "Owner of the file when it is a copy (`method = \"copy\"`, a `mode` other than `0644`, or a `source` others may not read: see `mode`); a link is root's."
    }
    group = {
      type        = null_or(str)
      description = "Group of the file when it is a copy (`method = \"copy\"`, a `mode` other than `0644`, or a `source` others may not read: see `mode`). Unset means root's primary group (`root` on Linux, `wheel` on macOS), not the source's: a `0640` key of group `ssl-cert` wants `group = \"ssl-cert\"`."
    }
    method = {
      type        = enum(["link", "copy"])
      default     = "link"
      description = "`link` makes `/etc/<path>` a symbolic link into the current generation, so a rollback switches it at once; `copy` writes a real file, for programs that refuse links. A `mode` other than `0644`, or a `source` others may not read (see `mode`), makes a link a copy."
    }
  }))
  default     = {}
  description = "Files under `/etc`, keyed by their path relative to `/etc` (e.g. `\"pam.d/sudo_local\"`)."
  example = {
    "motd" = { text = "Welcome to atlas." }
  }
}

locals {
  # Entries of environment.etc that set not exactly one of text, source and symlink_to.
  etc_invalid = [for name, f in config.environment.etc : "environment.etc.${jsonencode(name)}" if length([for v in [f.text, f.source, f.symlink_to] : v if v != null]) != 1]
}

assert {
  condition = length(local.etc_invalid) == 0
  message   = "set exactly one of text, source and symlink_to."
  at        = local.etc_invalid
}
