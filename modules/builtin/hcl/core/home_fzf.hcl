# home.<user>.programs.fzf (home-manager's programs.fzf): the package
# fzf, its key bindings (Ctrl-T, Ctrl-R, Alt-C) and fuzzy completion
# (`**<Tab>`) in the user's bash and zsh, and the FZF_* variables that
# set its default command and options. This declaration adds
# "programs.fzf.*" to the home submodule of core/home.hcl.
#
# The lines go into the ~/.bashrc and ~/.zshrc gocfg writes
# (home.<user>.programs.bash, programs.zsh) through shell_init
# (core/shell_init.hcl), with order 200, as home-manager's mkOrder 200
# puts them: first among what modules add (before direnv's hook, 1500).
# Only where gocfg writes that file: otherwise there is no such file to
# add to.
#
# The variables: home-manager sets them in home.sessionVariables; a
# module cannot define home.<user>.session_variables from home.<user>
# (it would depend on itself), so they are exported in the same
# shell_init entry, before the scripts are read (interactive shells, and
# what they start, see them).
#
# The scripts: fzf 0.38 (Debian 12) has no `fzf --bash`; Debian's
# package keeps them in /usr/share/doc/fzf/examples (key-bindings.bash,
# key-bindings.zsh, completion.zsh) and /usr/share/bash-completion/
# completions/fzf (completion.bash), as its README.Debian says. Other
# systems keep them elsewhere (Homebrew's under $(brew --prefix)/opt/fzf/
# shell), which gocfg does not know: there an integration is refused by
# an assert that says what to write instead.
#
# Left out: home-manager's package (gocfg installs the distribution's
# fzf), colors (write --color=... in default_options), tmux.* (fzf-tmux),
# enableFishIntegration (gocfg has no fish module).

option "home" {
  type = attrs_of(submodule({
    "programs.fzf.enable" = {
      type        = bool
      default     = false
      description = "Install fzf, the command-line fuzzy finder (the package `fzf` on Debian, Fedora and Arch, whose package managers gocfg drives; not on macOS, where a warning says to install it with Homebrew), and load it into the user's shells (home-manager's `programs.fzf`). On Debian, with `home.<user>.programs.bash.enable`, `~/.bashrc` reads `/usr/share/bash-completion/completions/fzf` and `/usr/share/doc/fzf/examples/key-bindings.bash`; with `home.<user>.programs.zsh.enable`, `~/.zshrc` reads `/usr/share/doc/fzf/examples/completion.zsh` and `key-bindings.zsh`; both only when the shell edits its command line (as home-manager guards them). Then Ctrl-T puts the files fzf picks on the command line, Ctrl-R picks a command from the history, Alt-C changes to the folder picked, and `**` then Tab completes paths, processes (`kill **`) and hosts (`ssh **`) with fzf. The lines come after `init_extra`, before what other modules add (direnv's hook). A shell file gocfg does not write gets nothing: add the lines to it yourself. A system whose dpkg leaves out `/usr/share/doc` (a `path-exclude` in `/etc/dpkg/dpkg.cfg.d`, as in minimal container images) has no key-binding scripts, and the shell says so when it starts. Elsewhere (`host.distro` other than `debian`) gocfg does not know where fzf keeps these scripts, and refuses the integrations: turn them off and load the scripts yourself. The `FZF_*` variables of the options below are exported in the same files. The package goes when no user has it on, if gocfg installed it; turning it off removes the lines."
      example     = true
    }
    "programs.fzf.enable_bash_integration" = {
      type        = bool
      default     = true
      description = "Add fzf's key bindings and completion to the `~/.bashrc` that `home.<user>.programs.bash` writes (nothing when that is off): `if [[ :$SHELLOPTS: =~ :(vi|emacs): ]]; then` it reads `/usr/share/bash-completion/completions/fzf` and `/usr/share/doc/fzf/examples/key-bindings.bash`. False leaves them out (the `FZF_*` variables are still exported), to load them yourself in `init_extra`. On a system other than Debian, with bash on, it must be false."
      example     = false
    }
    "programs.fzf.enable_zsh_integration" = {
      type        = bool
      default     = true
      description = "Add fzf's key bindings and completion to the `~/.zshrc` that `home.<user>.programs.zsh` writes (nothing when that is off): `if [[ $options[zle] = on ]]; then` it reads `/usr/share/doc/fzf/examples/completion.zsh` and `key-bindings.zsh`. False leaves them out (the `FZF_*` variables are still exported), to load them yourself in `init_extra`. On a system other than Debian, with zsh on, it must be false."
      example     = false
    }
    "programs.fzf.default_command" = {
      type        = null_or(str)
      default     = null
      description = "The command fzf runs for its list when its input is a terminal, exported as `FZF_DEFAULT_COMMAND` in the `~/.bashrc` and `~/.zshrc` gocfg writes (home-manager's `defaultCommand`). Written literally, single-quoted; fzf runs it with `sh -c`. Null, not set (fzf lists the files under the current folder)."
      example     = "fd --type f"
    }
    "programs.fzf.default_options" = {
      type        = list_of(str)
      default     = []
      description = "Options of every fzf run, joined with spaces and exported as `FZF_DEFAULT_OPTS` in the `~/.bashrc` and `~/.zshrc` gocfg writes (home-manager's `defaultOptions`). fzf splits the value into words as a shell does, so a value with spaces needs quotes of its own (`\"--prompt='> '\"`). Empty, not set."
      example     = ["--height 40%", "--border"]
    }
    "programs.fzf.file_widget_command" = {
      type        = null_or(str)
      default     = null
      description = "The command that lists the files Ctrl-T picks from, exported as `FZF_CTRL_T_COMMAND` (home-manager's `fileWidgetCommand`). Null, not set (fzf's `find`)."
      example     = "fd --type f"
    }
    "programs.fzf.file_widget_options" = {
      type        = list_of(str)
      default     = []
      description = "fzf's options for Ctrl-T, joined with spaces and exported as `FZF_CTRL_T_OPTS` (home-manager's `fileWidgetOptions`). Empty, not set."
      example     = ["--preview 'head {}'"]
    }
    "programs.fzf.change_dir_widget_command" = {
      type        = null_or(str)
      default     = null
      description = "The command that lists the folders Alt-C picks from, exported as `FZF_ALT_C_COMMAND` (home-manager's `changeDirWidgetCommand`). Null, not set (fzf's `find`)."
      example     = "fd --type d"
    }
    "programs.fzf.change_dir_widget_options" = {
      type        = list_of(str)
      default     = []
      description = "fzf's options for Alt-C, joined with spaces and exported as `FZF_ALT_C_OPTS` (home-manager's `changeDirWidgetOptions`). Empty, not set."
      example     = ["--preview 'ls {}'"]
    }
    "programs.fzf.history_widget_options" = {
      type        = list_of(str)
      default     = []
      description = "fzf's options for Ctrl-R, joined with spaces and exported as `FZF_CTRL_R_OPTS` (home-manager's `historyWidgetOptions`). Empty, not set."
      example     = ["--sort", "--exact"]
    }
  }))
}

locals {
  fzf_users = { for user, h in config.home : user => h.programs.fzf if h.programs.fzf.enable }

  # Each user's export lines, by name (so sorted), single-quoted.
  fzf_exports = {
    for user, f in local.fzf_users : user => join("\n", [
      for name, v in {
        FZF_DEFAULT_COMMAND = f.default_command
        FZF_DEFAULT_OPTS    = length(f.default_options) > 0 ? join(" ", f.default_options) : null
        FZF_CTRL_T_COMMAND  = f.file_widget_command
        FZF_CTRL_T_OPTS     = length(f.file_widget_options) > 0 ? join(" ", f.file_widget_options) : null
        FZF_ALT_C_COMMAND   = f.change_dir_widget_command
        FZF_ALT_C_OPTS      = length(f.change_dir_widget_options) > 0 ? join(" ", f.change_dir_widget_options) : null
        FZF_CTRL_R_OPTS     = length(f.history_widget_options) > 0 ? join(" ", f.history_widget_options) : null
      } : "export ${name}='${replace(v, "'", "'\\''")}'" if v != null
    ])
  }

  # Debian's fzf 0.38 (README.Debian): completion first, then the key
  # bindings, as home-manager reads them; only with line editing on.
  fzf_bash = <<-EOT
    if [[ :$SHELLOPTS: =~ :(vi|emacs): ]]; then
      . /usr/share/bash-completion/completions/fzf
      . /usr/share/doc/fzf/examples/key-bindings.bash
    fi
    EOT
  fzf_zsh  = <<-EOT
    if [[ $options[zle] = on ]]; then
      . /usr/share/doc/fzf/examples/completion.zsh
      . /usr/share/doc/fzf/examples/key-bindings.zsh
    fi
    EOT

  # The users whose bash or zsh gocfg writes with an integration on, on
  # a system whose fzf scripts gocfg does not know: refused below.
  fzf_unknown = host.distro == "debian" ? [] : [
    for user, f in local.fzf_users : "home.${jsonencode(user)}.programs.fzf.enable"
    if f.enable_bash_integration && try(config.home[user].programs.bash.enable, false) || f.enable_zsh_integration && try(config.home[user].programs.zsh.enable, false)
  ]

  fzf_unused = [
    for user, h in config.home : user
    if !h.programs.fzf.enable && (h.programs.fzf.default_command != null || length(h.programs.fzf.default_options) > 0 || h.programs.fzf.file_widget_command != null || length(h.programs.fzf.file_widget_options) > 0 || h.programs.fzf.change_dir_widget_command != null || length(h.programs.fzf.change_dir_widget_options) > 0 || length(h.programs.fzf.history_widget_options) > 0 || !h.programs.fzf.enable_bash_integration || !h.programs.fzf.enable_zsh_integration)
  ]
}

# The package, where gocfg drives the package manager (apt, dnf, pacman);
# macOS has no fzf (a warning below).
environment {
  system_packages = length(local.fzf_users) > 0 && contains(["debian", "fedora", "arch"], host.distro) ? ["fzf"] : []
}

# The variables, then the scripts; when: without an fzf user, not
# evaluated. A user refused above gets no scripts.
shell_init = when(length(local.fzf_users) > 0, {
  for user, f in local.fzf_users : user => {
    fzf = {
      bash  = join("\n", compact([local.fzf_exports[user], f.enable_bash_integration && host.distro == "debian" ? local.fzf_bash : ""]))
      zsh   = join("\n", compact([local.fzf_exports[user], f.enable_zsh_integration && host.distro == "debian" ? local.fzf_zsh : ""]))
      order = 200
    }
  }
})

assert {
  condition = length(local.fzf_unknown) == 0
  message   = "gocfg knows where Debian's fzf keeps its key bindings and completion (/usr/share/doc/fzf/examples, /usr/share/bash-completion/completions/fzf) and no other system's (host.distro is ${jsonencode(host.distro)}).\nhint: set programs.fzf.enable_bash_integration = false and enable_zsh_integration = false, and load fzf's scripts in programs.bash.init_extra and programs.zsh.init_extra yourself: with fzf 0.48 or later (Homebrew's), eval \"$(fzf --bash)\" and source <(fzf --zsh)."
  at        = local.fzf_unknown
}

warn {
  condition = length(local.fzf_unused) > 0
  message   = "options are set but programs.fzf.enable is false, so gocfg installs no fzf and writes no fzf lines or variables."
  at        = [for user in local.fzf_unused : "home.${jsonencode(user)}.programs.fzf"]
}

warn {
  condition = host.os == "darwin" && length(local.fzf_users) > 0
  message   = "macOS has no fzf, and gocfg does not install it there: install it with Homebrew (brew install fzf)."
  at        = [for user, f in local.fzf_users : "home.${jsonencode(user)}.programs.fzf.enable"]
}
