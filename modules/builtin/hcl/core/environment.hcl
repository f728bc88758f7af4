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
      description = "Content of the file. Set exactly one of `text` and `source`."
    }
    source = {
      type        = null_or(path)
      description = "File whose content is used, relative to the module that sets it. Set exactly one of `text` and `source`."
    }
    mode = {
      type        = str
      default     = "0644"
      description = "Octal permissions of the file. A linked file's content is readable by everyone, so any other mode than `0644` makes the file a copy with that mode, `user` and `group`, whatever `method` says (as NixOS does). A copy whose mode denies others read (such as `0600` or `0640`) is stored where only root can read it."
    }
    user = {
      type        = str
      default     = "root"
      description = "Owner of the file when it is a copy (`method = \"copy\"`, or a `mode` other than `0644`); a link is root's."
    }
    group = {
      type        = null_or(str)
      description = "Group of the file when it is a copy (`method = \"copy\"`, or a `mode` other than `0644`). Unset means root's primary group (`root` on Linux, `wheel` on macOS)."
    }
    method = {
      type        = enum(["link", "copy"])
      default     = "link"
      description = "`link` makes `/etc/<path>` a symbolic link into the current generation, so a rollback switches it at once; `copy` writes a real file, for programs that refuse links. A `mode` other than `0644` makes a link a copy."
    }
  }))
  default     = {}
  description = "Files under `/etc`, keyed by their path relative to `/etc` (e.g. `\"pam.d/sudo_local\"`)."
  example = {
    "motd" = { text = "Welcome to atlas." }
  }
}

locals {
  # Entries of environment.etc that set both text and source, or neither.
  etc_invalid = [for name, f in config.environment.etc : name if f.text == null && f.source == null || f.text != null && f.source != null]
}

assert {
  condition = length(local.etc_invalid) == 0
  message   = "environment.etc: set exactly one of text and source for: ${join(", ", local.etc_invalid)}."
}
