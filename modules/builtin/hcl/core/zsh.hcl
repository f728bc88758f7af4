# programs.zsh.enable (NixOS's programs.zsh.enable) and
# home.<user>.programs.zsh (home-manager's programs.zsh): the zsh package,
# and each user's ~/.zshrc (and ~/.zshenv for session variables), written
# with every value single-quoted so zsh reads it back literally. This
# declaration adds "programs.zsh.*" to the home submodule of
# core/home.hcl; the files are home_files.

option "programs.zsh.enable" {
  type        = bool
  default     = false
  description = "Install zsh for the whole system (package `zsh` on Linux; macOS ships it as `/bin/zsh`), so it can be a login shell: set `users.<name>.shell = \"/bin/zsh\"`. Debian's, Fedora's and Arch's packages add it to `/etc/shells` themselves. Turning it off removes the package if gocfg installed it. Also installed when a user has `home.<user>.programs.zsh.enable`."
  example     = true
}

option "home" {
  type = attrs_of(submodule({
    "programs.zsh.enable" = {
      type        = bool
      default     = false
      description = "Write the user's `~/.zshrc` from the options below (and `~/.zshenv` when `session_variables` is set, or when `home.<user>.session_variables` or `session_path` is, which it then reads), and install zsh as `programs.zsh.enable` does. An unmanaged `~/.zshrc` already there stops the switch: move what you want to keep into `init_extra` first. The user's login shell is `users.<name>.shell`."
      example     = true
    }
    "programs.zsh.aliases" = {
      type        = attrs_of(str)
      default     = {}
      description = "Shell aliases (`alias -- name='value'`), taken literally. Names are letters, digits and `_ . + : @ % -`, not starting with `-`."
      example     = { ll = "ls -l", g = "git" }
    }
    "programs.zsh.session_variables" = {
      type        = attrs_of(str)
      default     = {}
      description = "Environment variables exported in `~/.zshenv`, which every zsh of the user reads (scripts too), taken literally (no `$VAR` expansion). Names are letters, digits and `_`, not starting with a digit."
      example     = { EDITOR = "nvim" }
    }
    "programs.zsh.init_extra" = {
      type        = lines
      default     = ""
      description = "zsh code added at the end of `~/.zshrc`, as written."
      example     = "bindkey -e\nsetopt autocd"
    }
    "programs.zsh.history.size" = {
      type        = int
      default     = 10000
      description = "Number of history lines kept in memory (`HISTSIZE`) and saved to `~/.zsh_history` (`SAVEHIST`, with `HISTFILE` set so history is saved at all)."
      example     = 50000
    }
  }))
}

locals {
  zsh_users = { for user, h in config.home : user => h.programs.zsh if h.programs.zsh.enable }
  zsh_package = (config.programs.zsh.enable || length(local.zsh_users) > 0) && host.os == "linux"

  # What the asserts below refuse, as option paths (zsh_users are the
  # users with zsh on: a few).
  zsh_bad_aliases = flatten([
    for user, z in local.zsh_users : [for name, v in z.aliases : "home.${jsonencode(user)}.programs.zsh.aliases.${jsonencode(name)}" if !can(regex("^[A-Za-z0-9_.+:@%][A-Za-z0-9_.+:@%-]*$", name))]
  ])
  zsh_bad_variables = flatten([
    for user, z in local.zsh_users : [for name, v in z.session_variables : "home.${jsonencode(user)}.programs.zsh.session_variables.${jsonencode(name)}" if !can(regex("^[A-Za-z_][A-Za-z0-9_]*$", name))]
  ])
  zsh_negative_history = [for user, z in local.zsh_users : "home.${jsonencode(user)}.programs.zsh.history.size" if z.history.size < 0]
  zsh_unused = [
    for user, h in config.home : user
    if !h.programs.zsh.enable && (length(h.programs.zsh.aliases) > 0 || length(h.programs.zsh.session_variables) > 0 || h.programs.zsh.init_extra != "")
  ]
}

environment {
  system_packages = local.zsh_package ? ["zsh"] : []
}

home_files = {
  for user, z in local.zsh_users : user => merge(
    {
      ".zshrc" = {
        generated_by = "home.${user}.programs.zsh"
        text = join("\n", concat(
          [
            "# Written by gocfg from home.${user}.programs.zsh; replaced by every switch.",
            "HISTFILE=\"$HOME/.zsh_history\"",
            "HISTSIZE=${z.history.size}",
            "SAVEHIST=${z.history.size}",
          ],
          [for name in sort(keys(z.aliases)) : "alias -- ${name}='${replace(z.aliases[name], "'", "'\\''")}'"],
          z.init_extra == "" ? [] : [z.init_extra],
          # What modules add (shell_init, core/shell_init.hcl), by order, then name.
          [for k in sort([for name, e in try(config.shell_init[user], {}) : format("%05d %s", e.order, name) if e.zsh != ""]) : trimsuffix(config.shell_init[user][substr(k, 6, -1)].zsh, "\n")],
          [""],
        ))
      }
    },
    {
      for path, text in {
        ".zshenv" = join("\n", concat(
          ["# Written by gocfg from home.${user}.programs.zsh; replaced by every switch."],
          length(try(config.home[user].session_variables, {})) + length(try(config.home[user].session_path, [])) > 0 ? ["if [ -r \"$HOME/.config/gocfg/session.sh\" ]; then . \"$HOME/.config/gocfg/session.sh\"; fi"] : [],
          [for name in sort(keys(z.session_variables)) : "export ${name}='${replace(z.session_variables[name], "'", "'\\''")}'"],
          [""],
        ))
      } : path => { text = text, generated_by = "home.${user}.programs.zsh" } if length(z.session_variables) > 0 || length(try(config.home[user].session_variables, {})) + length(try(config.home[user].session_path, [])) > 0
    },
  )
}

assert {
  condition = length(local.zsh_bad_aliases) == 0
  message   = "an alias name is letters, digits and _ . + : @ % - (not starting with -)."
  at        = local.zsh_bad_aliases
}

assert {
  condition = length(local.zsh_bad_variables) == 0
  message   = "a variable name is letters, digits and _, not starting with a digit."
  at        = local.zsh_bad_variables
}

assert {
  condition = length(local.zsh_negative_history) == 0
  message   = "must not be negative."
  at        = local.zsh_negative_history
}

warn {
  condition = length(local.zsh_unused) > 0
  message   = "options are set but programs.zsh.enable is false, so gocfg writes no ~/.zshrc."
  at        = [for user in local.zsh_unused : "home.${jsonencode(user)}.programs.zsh"]
}
