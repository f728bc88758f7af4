# home.<user>.programs.bash (home-manager's programs.bash): each user's
# ~/.bashrc and ~/.bash_profile (and ~/.bash_logout for logout_extra),
# with aliases single-quoted so bash reads them back literally.
# ~/.profile stays the user's: the ~/.bash_profile gocfg writes is what a
# login bash reads instead. This declaration adds "programs.bash.*" to
# the home submodule of core/home.hcl; the files are home_files.
#
# Every option declared in the home submodule costs every home of every
# evaluation (its default is part of each home's value): with 1,000 homes,
# enable alone cost 13 allocations a home, each further option about 4,
# and history.size (a nested group) with bash's own session_variables
# 22 more, so bash has neither: HISTSIZE goes in init_extra, variables in
# home.<user>.session_variables.

option "home" {
  type = attrs_of(submodule({
    "programs.bash.enable" = {
      type        = bool
      default     = false
      description = "Write the user's `~/.bashrc` and `~/.bash_profile` from the options below (and `~/.bash_logout` when `logout_extra` is set); without it they do nothing, and gocfg does not warn about them. `~/.bashrc` is for interactive shells (bash also reads it for a command run over ssh, which stops before them): aliases, then `init_extra`. `~/.bash_profile` is for login shells: it reads `~/.config/gocfg/session.sh` when `home.<user>.session_variables` or `session_path` is set, runs `profile_extra`, then reads `~/.bashrc` if the shell is interactive. A login bash reads `~/.bash_profile` instead of `~/.profile` and `~/.bash_login`, which gocfg leaves alone and bash then no longer reads: move what you want of them into `profile_extra` (Debian's `~/.profile` adds `~/bin` and `~/.local/bin` to `PATH` when they exist: `home.<user>.session_path` does that). An unmanaged `~/.bashrc` or `~/.bash_profile` (or, with `logout_extra`, `~/.bash_logout`) already there is left alone and reported, and the user's files wait for the next switch (the copies useradd makes from `/etc/skel` for a user the same switch creates are replaced): move what you want to keep into `init_extra` or `profile_extra` and delete the file, or switch with `--backup-ext EXT`, which moves it aside and puts it back when `enable` is turned off, or set `home_files.<user>.\".bashrc\".force = true` to replace it. The user's login shell is `users.<name>.shell`."
      example     = true
    }
    "programs.bash.aliases" = {
      type        = attrs_of(str)
      default     = {}
      description = "Shell aliases (`alias -- name='value'` in `~/.bashrc`), taken literally. Names are letters, digits and `_ . + : @ % -`, not starting with `-`."
      example     = { ll = "ls -l", g = "git" }
    }
    "programs.bash.init_extra" = {
      type        = lines
      default     = ""
      description = "bash code added at the end of `~/.bashrc`, as written: interactive shells run it (bash's history sizes, for one: `HISTSIZE=10000`)."
      example     = "shopt -s autocd histappend\nHISTSIZE=10000"
    }
    "programs.bash.profile_extra" = {
      type        = lines
      default     = ""
      description = "bash code added to `~/.bash_profile`, as written, before it reads `~/.bashrc`: login shells run it. Environment variables of the session go in `home.<user>.session_variables`, which it reads first."
      example     = "umask 027"
    }
    "programs.bash.logout_extra" = {
      type        = lines
      default     = ""
      description = "bash code written to `~/.bash_logout`, which a login shell runs when it exits. Unset, gocfg writes no `~/.bash_logout` and leaves one that is there alone."
      example     = "clear"
    }
  }))
}

locals {
  # The one look at every home. No warning for options set without
  # enable (zsh and git have one): it read five options of every home,
  # 118 allocations a home, 14% of what a home with a file cost in all.
  bash_users = { for user, h in config.home : user => h.programs.bash if h.programs.bash.enable }

  # The aliases the assert below refuses, as option paths.
  bash_bad_aliases = flatten([
    for user, b in local.bash_users : [for name, v in b.aliases : "home.${jsonencode(user)}.programs.bash.aliases.${jsonencode(name)}" if !can(regex("^[A-Za-z0-9_.+:@%][A-Za-z0-9_.+:@%-]*$", name))]
  ])
}

# when: without a bash user, the files' expression is not evaluated.
home_files = when(length(local.bash_users) > 0, {
  for user, b in local.bash_users : user => merge(
    {
      ".bashrc" = {
        generated_by = "home.${user}.programs.bash"
        text = join("\n", concat(
          [
            "# Written by gocfg from home.${user}.programs.bash; replaced by every switch.",
            "# Only interactive shells go on (bash reads this file for ssh commands too).",
            "[[ $- == *i* ]] || return",
          ],
          [for name in sort(keys(b.aliases)) : "alias -- ${name}='${replace(b.aliases[name], "'", "'\\''")}'"],
          b.init_extra == "" ? [] : [b.init_extra],
          # What modules add (shell_init, core/shell_init.hcl), by order, then name.
          [for k in sort([for name, e in try(config.shell_init[user], {}) : format("%05d %s", e.order, name) if e.bash != ""]) : trimsuffix(config.shell_init[user][substr(k, 6, -1)].bash, "\n")],
          [""],
        ))
      }
      ".bash_profile" = {
        generated_by = "home.${user}.programs.bash"
        text = join("\n", concat(
          ["# Written by gocfg from home.${user}.programs.bash; replaced by every switch."],
          length(try(config.home[user].session_variables, {})) + length(try(config.home[user].session_path, [])) > 0 ? ["if [ -r \"$HOME/.config/gocfg/session.sh\" ]; then . \"$HOME/.config/gocfg/session.sh\"; fi"] : [],
          b.profile_extra == "" ? [] : [b.profile_extra],
          ["if [[ $- == *i* ]]; then . \"$HOME/.bashrc\"; fi", ""],
        ))
      }
    },
    {
      for path, text in { ".bash_logout" = b.logout_extra } : path => { text = "# Written by gocfg from home.${user}.programs.bash; replaced by every switch.\n${text}\n", generated_by = "home.${user}.programs.bash" } if text != ""
    },
  )
})

assert {
  condition = length(local.bash_bad_aliases) == 0
  message   = "an alias name is letters, digits and _ . + : @ % - (not starting with -)."
  at        = local.bash_bad_aliases
}
