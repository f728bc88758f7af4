# programs.zsh.enable (NixOS's programs.zsh.enable) and
# home.<user>.programs.zsh (home-manager's programs.zsh): the zsh package,
# and each user's ~/.zshrc (and ~/.zshenv for session variables), written
# with every value single-quoted so zsh reads it back literally. This
# declaration adds "programs.zsh.*" to the home submodule of
# core/home.hcl; the files are home_files.
#
# enable_completion (home-manager's enableCompletion, on by default):
# zsh's completion system is loaded by compinit, which ~/.zshrc must
# run. Debian's /etc/zsh/zshrc (zsh-common 5.9-4) runs it only where
# /etc/os-release says ubuntu (and not with skip_global_compinit=1 in
# ~/.zshenv); on Debian itself nothing does. So ~/.zshrc runs it, as
# home-manager's does, but only when compdef, a function compinit
# defines, is not there yet: on Ubuntu (host.distro "debian" too) the
# global run counts and compinit does not run twice, without a
# ~/.zshenv written for skip_global_compinit. It comes before
# init_extra, so compdef can be called there.
#
# autosuggestion and syntax_highlighting: Debian's packages
# zsh-autosuggestions (0.7.0) and zsh-syntax-highlighting (0.7.1) keep
# their scripts at /usr/share/zsh-autosuggestions/zsh-autosuggestions.zsh
# and /usr/share/zsh-syntax-highlighting/zsh-syntax-highlighting.zsh
# (outside /usr/share/doc, so a dpkg that leaves that out still has
# them), and their README.Debian say to source them from ~/.zshrc;
# zsh-syntax-highlighting's "at the end": it wraps the widgets defined
# before it. So autosuggestions come before init_extra (as home-manager
# puts them), and syntax highlighting after everything, shell_init
# entries (fzf, direnv) included. Other systems keep the scripts
# elsewhere (Homebrew under its prefix), which gocfg has not checked:
# there the options are refused by an assert that says what to write
# instead.
#
# Left out: home-manager's autosuggestion.highlight and .strategy and
# syntaxHighlighting.highlighters, .styles and .patterns (set
# ZSH_AUTOSUGGEST_* and ZSH_HIGHLIGHT_* in init_extra), completionInit
# (turn enable_completion off and run compinit in init_extra),
# initExtraBeforeCompInit, and the plugins' package options (gocfg
# installs the distribution's).

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
    "programs.zsh.enable_completion" = {
      type        = bool
      default     = true
      description = "Load zsh's completion system (home-manager's `enableCompletion`): `~/.zshrc` runs `autoload -U compinit && compinit` after the aliases, before `autosuggestion` and `init_extra` (so `compdef` can be called there), between `if (( ! $+functions[compdef] )); then` and `fi`, so not a second time where the system's zshrc ran it already (Ubuntu's `/etc/zsh/zshrc` does; Debian's does not). compinit keeps its cache in `~/.zcompdump`. False leaves the lines out, to run compinit yourself in `init_extra` (with your own `fpath` first, or `compinit -C`)."
      example     = false
    }
    "programs.zsh.autosuggestion.enable" = {
      type        = bool
      default     = false
      description = "Suggest, as you type, the rest of the command line from the history, in grey, taken by moving to the end of the line (right arrow, Ctrl-E; zsh-autosuggestions; home-manager's `autosuggestion.enable`): on Debian gocfg installs the package `zsh-autosuggestions` and `~/.zshrc` runs `source /usr/share/zsh-autosuggestions/zsh-autosuggestions.zsh`, after compinit, before `init_extra` (where `ZSH_AUTOSUGGEST_*` variables and `bindkey '^F' autosuggest-accept` can go). The package goes when no user has it on, if gocfg installed it. Elsewhere (`host.distro` other than `debian`) gocfg does not know where the script is, and refuses this option: install the plugin yourself and source it in `init_extra`."
      example     = true
    }
    "programs.zsh.syntax_highlighting.enable" = {
      type        = bool
      default     = false
      description = "Colour the command line as you type (commands found in green, unknown ones in red, strings, options; zsh-syntax-highlighting; home-manager's `syntaxHighlighting.enable`): on Debian gocfg installs the package `zsh-syntax-highlighting` and the last line of `~/.zshrc` is `source /usr/share/zsh-syntax-highlighting/zsh-syntax-highlighting.zsh`, after `init_extra` and what other modules add (fzf, direnv), as the plugin must be sourced after every widget it is to colour. The package goes when no user has it on, if gocfg installed it. Elsewhere (`host.distro` other than `debian`) gocfg does not know where the script is, and refuses this option: install the plugin yourself and source it last, in a `shell_init.<user>.<name>.zsh` entry with `order = 99999`."
      example     = true
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
    if !h.programs.zsh.enable && (length(h.programs.zsh.aliases) > 0 || length(h.programs.zsh.session_variables) > 0 || h.programs.zsh.init_extra != "" || !h.programs.zsh.enable_completion || h.programs.zsh.autosuggestion.enable || h.programs.zsh.syntax_highlighting.enable)
  ]

  # The plugins' scripts, in Debian's packages (README.Debian of each).
  zsh_autosuggestions     = "/usr/share/zsh-autosuggestions/zsh-autosuggestions.zsh"
  zsh_syntax_highlighting = "/usr/share/zsh-syntax-highlighting/zsh-syntax-highlighting.zsh"
  # The users who have each plugin on, as option paths; refused below
  # elsewhere than on Debian, whose paths alone gocfg knows.
  zsh_autosuggestion_users      = [for user, z in local.zsh_users : "home.${jsonencode(user)}.programs.zsh.autosuggestion.enable" if z.autosuggestion.enable]
  zsh_syntax_highlighting_users = [for user, z in local.zsh_users : "home.${jsonencode(user)}.programs.zsh.syntax_highlighting.enable" if z.syntax_highlighting.enable]
  zsh_debian                    = host.distro == "debian"
}

environment {
  system_packages = concat(
    local.zsh_package ? ["zsh"] : [],
    local.zsh_debian && length(local.zsh_autosuggestion_users) > 0 ? ["zsh-autosuggestions"] : [],
    local.zsh_debian && length(local.zsh_syntax_highlighting_users) > 0 ? ["zsh-syntax-highlighting"] : [],
  )
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
          # compinit, unless the system's zshrc ran it (Ubuntu's does).
          z.enable_completion ? ["if (( ! $+functions[compdef] )); then", "  autoload -U compinit && compinit", "fi"] : [],
          z.autosuggestion.enable && local.zsh_debian ? ["source ${local.zsh_autosuggestions}"] : [],
          z.init_extra == "" ? [] : [z.init_extra],
          # What modules add (shell_init, core/shell_init.hcl), by order, then name.
          [for k in sort([for name, e in try(config.shell_init[user], {}) : format("%05d %s", e.order, name) if e.zsh != ""]) : trimsuffix(config.shell_init[user][substr(k, 6, -1)].zsh, "\n")],
          # Last, as zsh-syntax-highlighting must be.
          z.syntax_highlighting.enable && local.zsh_debian ? ["source ${local.zsh_syntax_highlighting}"] : [],
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

assert {
  condition = local.zsh_debian || length(local.zsh_autosuggestion_users) == 0
  message   = "gocfg knows where Debian's zsh-autosuggestions keeps its script (${local.zsh_autosuggestions}) and no other system's (host.distro is ${jsonencode(host.distro)}).\nhint: set programs.zsh.autosuggestion.enable = false, install zsh-autosuggestions yourself (environment.system_packages, or brew install zsh-autosuggestions on macOS) and source its zsh-autosuggestions.zsh in programs.zsh.init_extra."
  at        = local.zsh_autosuggestion_users
}

assert {
  condition = local.zsh_debian || length(local.zsh_syntax_highlighting_users) == 0
  message   = "gocfg knows where Debian's zsh-syntax-highlighting keeps its script (${local.zsh_syntax_highlighting}) and no other system's (host.distro is ${jsonencode(host.distro)}).\nhint: set programs.zsh.syntax_highlighting.enable = false, install zsh-syntax-highlighting yourself (environment.system_packages, or brew install zsh-syntax-highlighting on macOS) and source its zsh-syntax-highlighting.zsh last in ~/.zshrc: in shell_init.<user>.<name>.zsh with order = 99999."
  at        = local.zsh_syntax_highlighting_users
}

warn {
  condition = length(local.zsh_unused) > 0
  message   = "options are set but programs.zsh.enable is false, so gocfg writes no ~/.zshrc."
  at        = [for user in local.zsh_unused : "home.${jsonencode(user)}.programs.zsh"]
}
