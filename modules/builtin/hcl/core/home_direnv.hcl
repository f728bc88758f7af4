# home.<user>.programs.direnv (home-manager's programs.direnv): the
# package direnv, its hook in the user's bash and zsh, and her
# ~/.config/direnv/direnv.toml and ~/.config/direnv/direnvrc. This
# declaration adds "programs.direnv.*" to the home submodule of
# core/home.hcl; the files are home_files.
#
# The hook lines go at the end of the ~/.bashrc and ~/.zshrc gocfg
# writes (home.<user>.programs.bash, programs.zsh) through shell_init
# (core/shell_init.hcl), with order 1500, last, as home-manager's mkAfter
# puts them and as direnv wants them (after what else changes the
# prompt). Only where gocfg writes that file: otherwise there is no such
# file to add to.
#
# config: gocfg has no TOML encoder. direnv.toml is a table of tables
# ([global], [whitelist]) of strings, bools, numbers and lists of them;
# jsonencode writes each of those as TOML reads it (a JSON string is a
# TOML basic string, but for the DEL character, escaped here; a JSON
# array is a TOML array), and keys are bare or jsonencode-quoted. So
# config takes exactly that, section -> key -> value, and refuses the
# rest (null, deeper tables, lists of lists) with an assert: no general
# TOML writer (a toml_encode function would lift the limits).
#
# Left out: home-manager's nix-direnv (nix-direnv.enable: a faster
# `use nix` and `use flake` for .envrc files, which needs Nix, and gocfg
# has none), package (gocfg installs the distribution's direnv),
# enableFishIntegration and enableNushellIntegration (gocfg has no fish
# or nushell module), silent (add `export DIRENV_LOG_FORMAT=` to bash's
# or zsh's init_extra) and mise.

option "home" {
  type = attrs_of(submodule({
    "programs.direnv.enable" = {
      type        = bool
      default     = false
      description = "Install direnv (the package `direnv` on Debian, Fedora and Arch, whose package managers gocfg drives; not on macOS, where a warning says to install it with Homebrew) and hook it into the user's shells (home-manager's `programs.direnv`): with `home.<user>.programs.bash.enable`, the line `eval \"$(direnv hook bash)\"` ends `~/.bashrc`; with `home.<user>.programs.zsh.enable`, `eval \"$(direnv hook zsh)\"` ends `~/.zshrc` (after `init_extra`, as direnv wants its hook after what changes the prompt). A shell file gocfg does not write gets no hook: add the line to it yourself. Then, in a folder with an `.envrc` you allowed (`direnv allow`), an interactive shell loads the variables it exports, and unloads them on leaving the folder. `~/.config/direnv/direnv.toml` and `~/.config/direnv/direnvrc` are written from `config` and `stdlib` when set. The package goes when no user has it on, if gocfg installed it; turning it off removes the hook lines and the files (the allowed `.envrc` list in `~/.local/share/direnv` stays). An unmanaged file already at either path is left alone and reported: move it away, or let gocfg replace it with `home_files.<user>.\".config/direnv/direnvrc\".force = true`. home-manager's `nix-direnv` needs Nix and is not supported."
      example     = true
    }
    "programs.direnv.enable_bash_integration" = {
      type        = bool
      default     = true
      description = "Add `eval \"$(direnv hook bash)\"` at the end of the `~/.bashrc` that `home.<user>.programs.bash` writes (nothing when that is off). False leaves the hook out, to write it yourself in `init_extra`."
      example     = false
    }
    "programs.direnv.enable_zsh_integration" = {
      type        = bool
      default     = true
      description = "Add `eval \"$(direnv hook zsh)\"` at the end of the `~/.zshrc` that `home.<user>.programs.zsh` writes (nothing when that is off). False leaves the hook out, to write it yourself in `init_extra`."
      example     = false
    }
    "programs.direnv.config" = {
      type        = attrs_of(attrs_of(anything))
      default     = {}
      description = "direnv's settings, written as TOML to `~/.config/direnv/direnv.toml` (home-manager's `config`; see direnv.toml(1)), as section → key → value: a value is a string, number, bool, or a list of them (`whitelist = { prefix = [\"~/work\"] }`); sections and keys come out sorted. Strings are written as TOML basic strings, so any character is allowed. direnv reads the file each time it runs (at every prompt): it ignores a key it does not know, and a value of the wrong type (`warn_timeout = true`) makes it print an error naming the file at every prompt. Empty, no file is written. Refused, as gocfg has no general TOML encoder: `null`, objects (tables nested deeper than a section), lists of lists and whole numbers of 19 digits or more."
      example = {
        global    = { hide_env_diff = true, warn_timeout = "30s" }
        whitelist = { prefix = ["~/src/trusted"] }
      }
    }
    "programs.direnv.stdlib" = {
      type        = lines
      default     = ""
      description = "bash code written to `~/.config/direnv/direnvrc` (home-manager's `stdlib`), which direnv runs before every `.envrc`: functions of your own for them (`use_*`, `layout_*`). The lines of several definitions are joined in module order. Empty, no file is written."
      example     = "layout_poetry() {\n  . \"$(poetry env info --path)/bin/activate\"\n}"
    }
  }))
}

locals {
  direnv_users = { for user, h in config.home : user => h.programs.direnv if h.programs.direnv.enable }

  # config: what jsonencode writes as TOML reads it, and nothing else.
  # A key is bare when it can be, quoted otherwise (a JSON string is a
  # TOML basic string).
  direnv_key = "^[A-Za-z0-9_-]+$"
  # What jsonencode writes for a value config refuses: an object (a
  # table nested deeper), null (TOML has none), a whole number of 19
  # digits or more (TOML's are 64-bit), or, in a list, a list.
  direnv_bad_re      = "^(\\{|null$|-?[0-9]{19,}$)"
  direnv_bad_elem_re = "^(\\{|\\[|null$|-?[0-9]{19,}$)"
  # The values config refuses, by user, as option paths.
  direnv_bad = {
    for user, d in local.direnv_users : user => flatten([
      for s, section in d.config : [
        for k, v in section : "home.${jsonencode(user)}.programs.direnv.config.${jsonencode(s)}.${jsonencode(k)}"
        if can(regex(local.direnv_bad_re, jsonencode(v))) || startswith(jsonencode(v), "[") && try(length([for e in v : e if can(regex(local.direnv_bad_elem_re, jsonencode(e)))]) > 0, true)
      ]
    ])
  }
  direnv_bad_values = flatten(values(local.direnv_bad))
  # DEL, which JSON leaves as it is and TOML refuses raw. (Not "\u007f":
  # the loader's fast parser reads no \u escape.)
  direnv_del = jsondecode("\"\\u007f\"")
  # Each user's direnv.toml: the sections in order, their keys in order,
  # DEL escaped.
  direnv_toml = {
    for user, d in local.direnv_users : user => join("\n", concat(
      ["# Written by gocfg from home.${user}.programs.direnv.config; replaced by every switch."],
      flatten([
        for s in sort(keys(d.config)) : concat(
          ["", "[${can(regex(local.direnv_key, s)) ? s : replace(jsonencode(s), local.direnv_del, "\\u007f")}]"],
          [for k in sort(keys(d.config[s])) : "${can(regex(local.direnv_key, k)) ? k : replace(jsonencode(k), local.direnv_del, "\\u007f")} = ${replace(jsonencode(d.config[s][k]), local.direnv_del, "\\u007f")}"],
        )
      ]),
      [""],
    )) if length(d.config) > 0
  }

  direnv_unused = [
    for user, h in config.home : user
    if !h.programs.direnv.enable && (length(h.programs.direnv.config) > 0 || h.programs.direnv.stdlib != "" || !h.programs.direnv.enable_bash_integration || !h.programs.direnv.enable_zsh_integration)
  ]
}

# The package, where gocfg drives the package manager (apt, dnf, pacman);
# macOS has no direnv (a warning below).
environment {
  system_packages = length(local.direnv_users) > 0 && contains(["debian", "fedora", "arch"], host.distro) ? ["direnv"] : []
}

# The hooks; when: without a direnv user, not evaluated.
shell_init = when(length(local.direnv_users) > 0, {
  for user, d in local.direnv_users : user => {
    direnv = {
      bash  = d.enable_bash_integration ? "eval \"$(direnv hook bash)\"" : ""
      zsh   = d.enable_zsh_integration ? "eval \"$(direnv hook zsh)\"" : ""
      order = 1500
    }
  }
})

# when: without a direnv user, the files' expression is not evaluated.
home_files = when(length(local.direnv_users) > 0, {
  for user, d in local.direnv_users : user => {
    for path, text in {
      ".config/direnv/direnvrc" = d.stdlib == "" ? "" : "# Written by gocfg from home.${user}.programs.direnv.stdlib; replaced by every switch.\n${trimsuffix(d.stdlib, "\n")}\n"
      # A user whose config an assert below refuses gets no direnv.toml.
      ".config/direnv/direnv.toml" = length(local.direnv_bad[user]) > 0 ? "" : try(local.direnv_toml[user], "")
    } : path => { text = text, generated_by = "home.${user}.programs.direnv" } if text != ""
  }
})

assert {
  condition = length(local.direnv_bad_values) == 0
  message   = "a direnv.toml value is a string, number (a whole one of at most 18 digits) or bool, or a list of them: not null, an object (a table nested deeper than a section) or a list of lists (gocfg has no general TOML encoder)."
  at        = local.direnv_bad_values
}

warn {
  condition = length(local.direnv_unused) > 0
  message   = "options are set but programs.direnv.enable is false, so gocfg installs no direnv and writes no direnv hook or configuration."
  at        = [for user in local.direnv_unused : "home.${jsonencode(user)}.programs.direnv"]
}

warn {
  condition = host.os == "darwin" && length(local.direnv_users) > 0
  message   = "macOS has no direnv, and gocfg does not install it there: install it with Homebrew (brew install direnv). The hooks and files are written."
  at        = [for user, d in local.direnv_users : "home.${jsonencode(user)}.programs.direnv.enable"]
}
