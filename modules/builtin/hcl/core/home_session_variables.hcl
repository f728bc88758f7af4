# home.<user>.session_variables (home-manager's home.sessionVariables):
# environment variables for the user's login shells and, on Linux, the
# user's systemd manager. This declaration adds "session_variables" to
# the home submodule of core/home.hcl; the files are home_files.

option "home" {
  type = attrs_of(submodule({
    session_variables = {
      type        = attrs_of(str)
      default     = {}
      description = "Environment variables of the user's sessions, taken literally (no `$VAR` expansion, any character allowed). gocfg writes `~/.config/gocfg/session.sh` (`export NAME='value'` lines, quoted for any POSIX shell) and, on Linux, `~/.config/environment.d/60-gocfg.conf`, which the user's systemd manager reads at its start (so graphical sessions and user services see the variables from the next login); on macOS, for `macos.primary_user`, a LaunchAgent `org.gocfg.session-variables` that runs `launchctl setenv` for each variable at login and at the switch, so applications started from the Dock or Finder see them (a variable removed stays set until the user logs out). gocfg does not edit `~/.profile`, which is usually yours and not gocfg's: add the line `. \"$HOME/.config/gocfg/session.sh\"` to it (or to `~/.zprofile`) once, or manage that file with `home.<user>.files`. Names are letters, digits and `_`, not starting with a digit."
      example     = { EDITOR = "nvim", LESS = "-R --mouse" }
    }
  }))
}

locals {
  session_vars = { for user, h in config.home : user => h.session_variables if length(h.session_variables) > 0 }

  session_bad_names = flatten([
    for user, vs in local.session_vars : [for name, v in vs : "home.${jsonencode(user)}.session_variables.${jsonencode(name)}" if !can(regex("^[A-Za-z_][A-Za-z0-9_]*$", name))]
  ])
}

home_files = {
  for user, vs in local.session_vars : user => merge(
    {
      ".config/gocfg/session.sh" = {
        generated_by = "home.${user}.session_variables"
        text = join("\n", concat([
          "# Written by gocfg from home.${user}.session_variables; replaced by every switch.",
          "# Your login shell reads it if your ~/.profile has the line:",
          "#   . \"$HOME/.config/gocfg/session.sh\"",
          ], [for name in sort(keys(vs)) : "export ${name}='${replace(vs[name], "'", "'\\''")}'"], [""]
        ))
      }
    },
    {
      for path, text in {
        ".config/environment.d/60-gocfg.conf" = join("\n", concat([
          "# Written by gocfg from home.${user}.session_variables; replaced by every switch.",
          ], [
          # environment.d(5): in double quotes \ " ` $ are escaped; then
          # $ is expanded, and $$ is one literal $.
          for name in sort(keys(vs)) : "${name}=\"${replace(replace(replace(replace(vs[name], "\\", "\\\\"), "\"", "\\\""), "`", "\\`"), "$", "\\$\\$")}\""
        ], [""]))
      } : path => { text = text, generated_by = "home.${user}.session_variables" } if host.os == "linux"
    },
  )
}

locals {
  # The primary user's variables, as launchctl setenv commands (macOS).
  session_launchctl = [
    for name, v in try(local.session_vars[config.macos.primary_user], {}) :
    "/bin/launchctl setenv ${name} '${replace(v, "'", "'\\''")}'"
  ]
}

macos {
  launchd {
    agents "org.gocfg.session-variables" {
      when              = host.os == "darwin" && length(local.session_launchctl) > 0
      program_arguments = ["/bin/sh", "-c", join("\n", sort(local.session_launchctl))]
      run_at_load       = true
    }
  }
}

assert {
  condition = length(local.session_bad_names) == 0
  message   = "a name is letters, digits and _, not starting with a digit."
  at        = local.session_bad_names
}
