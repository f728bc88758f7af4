# shell_init: what modules add to a user's interactive shells, at the end
# of the ~/.bashrc and ~/.zshrc that home.<user>.programs.bash and
# programs.zsh write (core/bash.hcl, core/zsh.hcl), after init_extra, in
# the order of `order` and then of the entries' names. home-manager's
# modules add to programs.bash.initExtra with mkOrder; a module of
# gocfg's cannot add to home.<user>.programs.bash.init_extra when what it
# adds comes from home.<user> itself (a definition of `home` computed
# from `home` would depend on itself), so this option is outside `home`:
# programs.direnv's hook and programs.neovim's aliases come through it.
# A configuration may use it too. An entry for a user whose bash (zsh)
# gocfg does not write goes nowhere; the module that adds it says so.

option "shell_init" {
  type = attrs_of(attrs_of(submodule({
    "bash" = {
      type        = lines
      default     = ""
      description = "bash code added at the end of the user's `~/.bashrc` (interactive shells), after `programs.bash.init_extra`."
      example     = "eval \"$(direnv hook bash)\""
    }
    "zsh" = {
      type        = lines
      default     = ""
      description = "zsh code added at the end of the user's `~/.zshrc`, after `programs.zsh.init_extra`."
      example     = "eval \"$(direnv hook zsh)\""
    }
    "order" = {
      type        = int
      default     = 1000
      description = "Where the entry goes among the user's entries, lowest first, from 0 to 99999; entries of the same order go by name. As home-manager's mkOrder: 500 for early (mkBefore), 1000 by default, 1500 for what must come last (mkAfter), such as a hook that wraps the prompt."
      example     = 1500
    }
  })))
  default     = {}
  description = "Lines modules and configurations add to a user's interactive shells, by user and then by a name of the entry's own: `shell_init.<user>.<name>.bash` and `.zsh`, written at the end of the `~/.bashrc` and `~/.zshrc` that `home.<user>.programs.bash` and `programs.zsh` write, after their `init_extra`, in the order of `order`, then of the names. Outside `home` so that a module can add lines from the user's own options (a definition of `home.<user>` cannot be computed from `home.<user>`). Nothing is written for a user whose bash (zsh) gocfg does not write."
  example     = { alice = { direnv = { bash = "eval \"$(direnv hook bash)\"", zsh = "eval \"$(direnv hook zsh)\"", order = 1500 } } }
}

locals {
  # The entries whose order is out of range, as option paths.
  shell_init_bad_order = flatten([
    for user, entries in config.shell_init : [
      for name, e in entries : "shell_init.${jsonencode(user)}.${jsonencode(name)}.order" if e.order < 0 || e.order > 99999
    ]
  ])
}

assert {
  condition = length(local.shell_init_bad_order) == 0
  message   = "order is from 0 to 99999 (500 early, 1000 by default, 1500 last)."
  at        = local.shell_init_bad_order
}
