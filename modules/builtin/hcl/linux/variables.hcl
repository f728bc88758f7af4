# environment.variables (NixOS's environment.variables): environment
# variables for every user, in /etc/profile.d/gocfg-variables.sh, which
# login shells that read /etc/profile read, and in
# /etc/environment.d/50-gocfg-variables.conf, which every user's systemd
# manager reads at its start. A user's own home.<user>.session_variables
# come later and win: her ~/.config/environment.d/60-gocfg.conf is read
# after this file (a file of hers with this file's name would replace
# it whole: reviewer).

option "environment.variables" {
  type        = attrs_of(str)
  default     = {}
  description = "Environment variables for every user, taken literally (no `$VAR` expansion, any character allowed; NixOS's `environment.variables`; a line break reaches login shells as it is, but user services and graphical sessions get the two characters `\\n` in its place, as systemd's environment.d generator writes it). gocfg writes `/etc/profile.d/gocfg-variables.sh` (`export NAME='value'` lines, quoted for any POSIX shell), which login shells read through `/etc/profile` (sh, bash; zsh only where its own startup files read it), and `/etc/environment.d/50-gocfg-variables.conf`, which every user's systemd manager reads at its start (graphical sessions and user services see the variables from the next login). A user's `home.<user>.session_variables` are read after them and win. Names are letters, digits and `_`, not starting with a digit. Linux only: on macOS nothing is written, with a warning."
  example     = { EDITOR = "vim", PAGER = "less -R" }
}

locals {
  variables_set = length(config.environment.variables) > 0 && host.os == "linux"
  # The names the assert below refuses, as option paths.
  # As home.<user>.session_variables' (tester BC).
  variables_dollar = [for name, v in config.environment.variables : "environment.variables.${jsonencode(name)}" if can(regex("\\$[A-Za-z_{]", v))]
  variables_bad = [for name, v in config.environment.variables : "environment.variables.${jsonencode(name)}" if !can(regex("^[A-Za-z_][A-Za-z0-9_]*$", name))]
}

environment {
  etc "profile.d/gocfg-variables.sh" {
    when = local.variables_set
    text = join("\n", concat(
      ["# Written by gocfg from environment.variables; replaced by every switch."],
      [for name in sort(keys(config.environment.variables)) : "export ${name}='${replace(config.environment.variables[name], "'", "'\\''")}'"],
      [""],
    ))
  }
  etc "environment.d/50-gocfg-variables.conf" {
    when = local.variables_set
    text = join("\n", concat(
      ["# Written by gocfg from environment.variables; replaced by every switch."],
      # environment.d(5): in double quotes \ " ` $ are escaped; then $ is
      # expanded, and $$ is one literal $ (as home.<user>.session_variables).
      [for name in sort(keys(config.environment.variables)) : "${name}=\"${replace(replace(replace(replace(config.environment.variables[name], "\\", "\\\\"), "\"", "\\\""), "`", "\\`"), "$", "\\$\\$")}\""],
      [""],
    ))
  }
}

assert {
  condition = length(local.variables_bad) == 0
  message   = "names of environment variables are letters, digits and _, not starting with a digit."
  at        = local.variables_bad
}

warn {
  condition = host.os != "linux" && length(config.environment.variables) > 0
  message   = "applied on Linux only; on macOS no file is written."
  at        = "environment.variables"
}

warn {
  condition = length(local.variables_dollar) > 0 && host.os == "linux"
  message   = "a value is taken literally: its $NAME is not expanded, so the variable holds the $ and the name. Write the value out."
  at        = local.variables_dollar
}
