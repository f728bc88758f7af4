# Dotfiles in users' home folders (home-manager's home.file).

option "home" {
  type = attrs_of(submodule({
    files = {
      type = attrs_of(submodule({
        source = {
          type        = null_or(path)
          description = "File or folder whose content is used, relative to the module that sets it. Set exactly one of `source` and `text`."
        }
        text = {
          type        = null_or(lines)
          description = "Content of the file. Set exactly one of `source` and `text`."
        }
        executable = {
          type        = null_or(bool)
          description = "Whether the file is executable. Unset keeps the executable bit of `source`; a file made from `text` is then not executable."
        }
        mode = {
          type        = null_or(str)
          description = "Octal permissions of the file, such as `\"0600\"`. Setting it makes the file a copy (a link's content is read-only in the generation), so `method = \"link\"` becomes `copy`; `method = \"live\"` refuses it. Unset, a copy takes the permissions of `source` without write for group and others (a `0600` source stays `0600`), or `0644` for `text`, with `executable` adding or removing the execute bits. `executable`, when set too, must agree with the mode. A copy whose mode denies others read is private: the folders gocfg creates to hold it are made `0700`, as are `.ssh`, `.gnupg`, `.password-store` and the folders in them (other folders are `0755`)."
          example     = "0600"
        }
        recursive = {
          type        = bool
          default     = false
          description = "When `source` is a folder: link each file inside it separately instead of the folder itself, so other programs can add files next to them. An error with `text`, which makes one file."
        }
        method = {
          type        = enum(["link", "copy", "live"])
          default     = "link"
          description = "`link`: a symbolic link through the current generation (read-only, switched at once by a rollback; its content is readable by this user alone); `copy`: a real, writable file; `live`: a link straight to `source` in the dotfiles repository, for editing in place. A `mode` makes a link a copy."
        }
        force = {
          type        = bool
          default     = false
          description = "Replace an unmanaged file or link that is in the way instead of stopping the switch."
        }
        on_change = {
          type        = null_or(lines)
          description = "Shell commands run as the user after a switch that changed this file, in her home, with `/bin/sh -c`, her supplementary groups (those /etc/group gives her; not those of a name service only, such as LDAP), an environment of only PATH, HOME, USER, LOGNAME and (when /run/user/<uid> is hers) XDG_RUNTIME_DIR, standard input from /dev/null and output captured, in a session of its own without a terminal and with no other descriptor of gocfg's (when root switches, the hook cannot reach root's terminal or files); what it leaves running is killed when it exits: its process group and session, and on Linux also what it started in a session of its own or left behind by a double fork (stopped first, then killed; it may start at most 512 processes more than she has). A user's hooks run at most 5 minutes in all in a switch (a hook still running then is killed, and the ones after it are not run) and stop when gocfg is interrupted; a failed or killed hook is reported with the last 20 lines of its output (of the last 64 KiB kept), each quoted after `| `, and does not undo the switch."
          example     = "tmux source-file ~/.tmux.conf"
        }
      }))
      default     = {}
      description = "Files to manage in the user's home folder, keyed by their path relative to it (e.g. `\".config/nvim\"`)."
    }
  }))
  default     = {}
  description = "Per-user configuration, keyed by user name: dotfiles and systemd user units in that user's home."
  example = {
    alice = { files = { ".zshrc" = { source = "./zshrc" } } }
  }
}

locals {
  # "user:target" of every home file that sets both source and text, or neither.
  files_invalid = flatten([
    for user, h in config.home : [
      for target, f in h.files : "home.${jsonencode(user)}.files.${jsonencode(target)}" if f.source == null && f.text == null || f.source != null && f.text != null
    ]
  ])
}

assert {
  condition = length(local.files_invalid) == 0
  message   = "set exactly one of source and text."
  at        = local.files_invalid
}
