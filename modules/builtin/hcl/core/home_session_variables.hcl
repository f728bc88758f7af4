# home.<user>.session_variables (home-manager's home.sessionVariables)
# and home.<user>.session_path (its home.sessionPrependPath): environment
# variables and folders first in PATH, for the user's login shells and,
# on Linux, the user's systemd manager. This declaration adds them to the
# home submodule of core/home.hcl; the files are home_files.

option "home" {
  type = attrs_of(submodule({
    session_variables = {
      type        = attrs_of(str)
      default     = {}
      description = "Environment variables of the user's sessions, taken literally (no `$VAR` expansion, any character allowed). gocfg writes `~/.config/gocfg/session.sh` (`export NAME='value'` lines, quoted for any POSIX shell) and, on Linux, `~/.config/environment.d/60-gocfg.conf`, which the user's systemd manager reads at its start (so graphical sessions and user services see the variables from the next login); on macOS, for `macos.primary_user`, a LaunchAgent `org.gocfg.session-variables` that runs `launchctl setenv` for each variable at login and at the switch, so applications started from the Dock or Finder see them (a variable removed stays set until the user logs out). gocfg does not edit `~/.profile`, which is usually yours and not gocfg's: add the line `. \"$HOME/.config/gocfg/session.sh\"` to it (or to `~/.zprofile`) once, or manage that file with `home.<user>.files`; `home.<user>.programs.bash` and `programs.zsh` read it themselves. Names are letters, digits and `_`, not starting with a digit."
      example     = { EDITOR = "nvim", LESS = "-R --mouse" }
    }
    session_path = {
      type        = list_of(str)
      default     = []
      description = "Folders put first in `PATH` in the user's sessions, in this order: definitions from several modules are concatenated in module order (`before()` and `after()` move a module's folders ahead or behind), and a folder listed twice counts once. A folder is an absolute path, or one in the user's home written `~/bin` or `$HOME/bin` (`~` or `$HOME` alone is the home), expanded to the home wherever the files below are read; nothing else is expanded (`$GOPATH/bin` is refused: write the folder itself), and a folder cannot hold `:`. They go into the files `session_variables` writes, and `~/.profile` is left alone as it says there: `~/.config/gocfg/session.sh` moves them to the front of `PATH` and drops their other places in it, so sourcing it again (a nested shell, or after macOS's `path_helper`) neither repeats them nor leaves them behind; on Linux `~/.config/environment.d/60-gocfg.conf` sets `PATH` to them followed by the user's systemd manager's own `PATH`, which the manager expands at its start; on macOS the `org.gocfg.session-variables` LaunchAgent of `macos.primary_user` sets `PATH` with `launchctl setenv` (a folder removed stays until the user logs out). The folders need not exist. Unlike home-manager's `home.sessionPath`, which appends to `PATH`, these come first, as with its `home.sessionPrependPath`."
      example     = ["~/.local/bin", "/opt/tools/bin"]
    }
  }))
}

locals {
  # The users with session variables or folders: a few. (One sum and
  # one comparison a home: every home pays for this condition.)
  session_users = { for user, h in config.home : user => h if length(h.session_variables) + length(h.session_path) > 0 }
  # The option their files are made from, for errors and the files' first line.
  session_by = {
    for user, h in local.session_users : user => (length(h.session_path) == 0 ? "home.${user}.session_variables"
      : length(h.session_variables) == 0 ? "home.${user}.session_path"
    : "home.${user}.session_variables and session_path")
  }
  # Each user's folders, once each, as [in the home, the rest]: "~/bin"
  # and "$HOME/bin" are [true, "/bin"], "/opt/bin" [false, "/opt/bin"].
  session_dirs = {
    for user, h in local.session_users : user => distinct([
      for m in [for p in h.session_path : regex("(?s)^(~|\\$HOME|\\$\\{HOME\\})?(.*)$", p)] : [m[0] != null, m[1]]
    ]) if length(h.session_path) > 0
  }
  # The shell code that puts a user's folders first in PATH: they are
  # single-quoted, and the home is "$HOME" (session_path_loop does the
  # rest).
  session_path_sh = {
    for user, ds in local.session_dirs : user => join("\n", [
      "# session_path: first in PATH, in this order, each once.",
      "__gocfg_path=${join(":", [for d in ds : "${d[0] ? "\"$HOME\"" : ""}${d[1] == "" ? "" : "'${replace(d[1], "'", "'\\''")}'"}"])}",
      local.session_path_loop,
    ])
  }
  # Constant text with "${", in heredocs: the loader's fast parser reads
  # their $${, while a quoted "$${" hands the whole expression to
  # hclsyntax, which every cold evaluation would pay for.
  #
  # Shell code that puts the folders in __gocfg_path first in PATH and
  # drops their other places in it, so that reading it again neither
  # repeats them nor leaves them behind folders put before them since
  # (macOS's path_helper).
  session_path_loop = chomp(<<-EOT
    __gocfg_rest=
    __gocfg_left=$${PATH:+$PATH:}
    while [ -n "$__gocfg_left" ]; do
      __gocfg_dir=$${__gocfg_left%%:*}
      __gocfg_left=$${__gocfg_left#*:}
      case ":$__gocfg_path:" in *":$__gocfg_dir:"*) ;; *) __gocfg_rest=$__gocfg_rest:$__gocfg_dir ;; esac
    done
    export PATH="$__gocfg_path$__gocfg_rest"
    unset __gocfg_path __gocfg_rest __gocfg_left __gocfg_dir
    EOT
  )
  # After the folders in environment.d: the manager's own PATH, if it has
  # one (environment.d(5)).
  session_envd_path = chomp(<<-EOT
    $${PATH:+:$PATH}
    EOT
  )

  session_bad_names = flatten([
    for user, h in local.session_users : [for name, v in h.session_variables : "home.${jsonencode(user)}.session_variables.${jsonencode(name)}" if !can(regex("^[A-Za-z_][A-Za-z0-9_]*$", name))]
  ])
  # Values with $NAME or ${NAME}, which home-manager's shell expands and
  # gocfg writes as they are (tester BC: GOPATH = "$HOME/go").
  session_dollar = flatten([
    for user, h in local.session_users : [for name, v in h.session_variables : "home.${jsonencode(user)}.session_variables.${jsonencode(name)}" if can(regex("\\$[A-Za-z_{]", v))]
  ])
  session_bad_dirs = flatten([
    for user, h in local.session_users : [for p in h.session_path : { user = user, dir = p } if !can(regex("^(/|(~|\\$HOME|\\$\\{HOME\\})(/|$))[^:\\n]*$", p))]
  ])
}

# when: with no user's variables or folders, the locals the files are
# made from are not computed (a cold evaluation of 1,000 modules without
# homes computed them for nothing).
home_files = when(length(local.session_users) > 0, {
  for user, h in local.session_users : user => merge(
    {
      ".config/gocfg/session.sh" = {
        generated_by = local.session_by[user]
        text = join("\n", concat([
          "# Written by gocfg from ${local.session_by[user]}; replaced by every switch.",
          "# Your login shell reads it if your ~/.profile has the line:",
          "#   . \"$HOME/.config/gocfg/session.sh\"",
          ], [for name in sort(keys(h.session_variables)) : "export ${name}='${replace(h.session_variables[name], "'", "'\\''")}'"],
          [for sh in [try(local.session_path_sh[user], "")] : sh if sh != ""],
          [""],
        ))
      }
    },
    {
      for path, text in {
        ".config/environment.d/60-gocfg.conf" = join("\n", concat([
          "# Written by gocfg from ${local.session_by[user]}; replaced by every switch.",
          ], [
          # environment.d(5): in double quotes \ " ` $ are escaped; then
          # $ is expanded, and $$ is one literal $.
          for name in sort(keys(h.session_variables)) : "${name}=\"${replace(replace(replace(replace(h.session_variables[name], "\\", "\\\\"), "\"", "\\\""), "`", "\\`"), "$", "\\$\\$")}\""
          ], [
          # The folders before the manager's own PATH, the home as $HOME.
          for ds in [try(local.session_dirs[user], [])] : "PATH=\"${join(":", [for d in ds : "${d[0] ? "$HOME" : ""}${replace(replace(replace(replace(d[1], "\\", "\\\\"), "\"", "\\\""), "`", "\\`"), "$", "\\$\\$")}"])}${local.session_envd_path}\"" if length(ds) > 0
        ], [""]))
      } : path => { text = text, generated_by = local.session_by[user] } if host.os == "linux"
    },
  )
})

locals {
  # The primary user's variables and folders, as the commands of a shell
  # (macOS): launchctl setenv for each variable, then for PATH.
  session_mac = try(local.session_users[config.macos.primary_user], null)
  session_launchctl = local.session_mac == null ? [] : concat(
    sort([for name, v in local.session_mac.session_variables : "/bin/launchctl setenv ${name} '${replace(v, "'", "'\\''")}'"]),
    [for sh in [try(local.session_path_sh[config.macos.primary_user], "")] : "${sh}\n/bin/launchctl setenv PATH \"$PATH\"" if sh != ""],
  )
}

macos {
  launchd {
    agents "org.gocfg.session-variables" {
      when              = host.os == "darwin" && local.session_mac != null
      program_arguments = ["/bin/sh", "-c", join("\n", local.session_launchctl)]
      run_at_load       = true
    }
  }
}

assert {
  condition = length(local.session_bad_names) == 0
  message   = "a name is letters, digits and _, not starting with a digit."
  at        = local.session_bad_names
}

assert {
  condition = length(local.session_bad_dirs) == 0
  message   = "a folder is an absolute path, or ~/bin or $HOME/bin for one in the home (no other variable is expanded), without a colon: not ${join(", ", [for b in local.session_bad_dirs : jsonencode(b.dir)])}."
  at        = distinct([for b in local.session_bad_dirs : "home.${jsonencode(b.user)}.session_path"])
}

warn {
  condition = length(local.session_dollar) > 0
  message   = "a value is taken literally: its $NAME is not expanded, so the variable holds the $ and the name. Write the value out (the home's path rather than $HOME); folders for PATH go in home.<user>.session_path, which expands ~ and $HOME."
  at        = local.session_dollar
}
